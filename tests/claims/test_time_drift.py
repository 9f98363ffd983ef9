"""Reviewers' agreement over their own labelling time (claims.time_drift)."""

import datetime

import numpy as np
import pytest

from claims import time_drift

MONDAY = datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC).timestamp()
DAY = 86_400


def test_label_pairings_count_the_other_labels_of_the_unit():
    same, pairings = time_drift.label_pairings(np.array([7, 7, 7, 9]), np.array([0, 0, 1, 2]), 3)
    assert same.tolist() == [1, 1, 0, 0]
    assert pairings.tolist() == [2, 2, 2, 0]


def test_a_reviewer_who_drifts_in_their_second_week_shows_it_by_week_and_by_tenth():
    # Reviewer 0 labels 20 sentences, ten a week: agrees with the other on every sentence of the first week and
    # on none of the second; the sentences' order has nothing to do with when they were labelled.
    times = [MONDAY + day * DAY for day in range(5) for _ in range(2)] + [
        MONDAY + (7 + day) * DAY for day in range(5) for _ in range(2)
    ]
    rng = np.random.default_rng(0)
    order = rng.permutation(20)
    same = np.array([1] * 10 + [0] * 10)[order]
    found = time_drift.reviewer_drift(np.zeros(20, int), np.array(times)[order], same, np.ones(20, int), n_coders=2)

    weeks = found[0]["by_week"]
    assert [(w["week"], w["labels"], w["agreement"]) for w in weeks] == [
        ("2026-11-30", 10, 1.0),
        ("2026-12-07", 10, 0.0),
    ]
    tenths = found[0]["by_tenth"]
    assert [t["agreement"] for t in tenths] == [1.0] * 5 + [0.0] * 5
    assert tenths[0]["first"].startswith("2026-11-30T09:00")
    assert tenths[-1]["last"].startswith("2026-12-11")
    assert found[1] == {"by_week": [], "by_tenth": []}


def test_a_sunday_label_belongs_to_the_week_that_began_on_monday():
    sunday = MONDAY + 6 * DAY + 14 * 3600
    found = time_drift.reviewer_drift([0, 0], [MONDAY, sunday], [1, 0], [1, 1], n_coders=1)
    assert [(w["week"], w["pairs"], w["agreement"]) for w in found[0]["by_week"]] == [("2026-11-30", 2, 0.5)]


def test_fewer_labels_than_ten_give_one_tenth_per_label_and_no_pairings_no_agreement():
    found = time_drift.reviewer_drift([0, 0, 0], [MONDAY + 2, MONDAY, MONDAY + 1], [0, 1, 0], [0, 1, 1], n_coders=1)
    assert [(t["tenth"], t["pairs"], t["agreement"]) for t in found[0]["by_tenth"]] == [
        (1, 1, 1.0),
        (2, 1, 0.0),
        (3, 0, None),
    ]
    assert found[0]["by_week"][0]["agreement"] == pytest.approx(0.5)
