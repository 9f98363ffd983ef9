"""Time per sentence on the agreement page: each reviewer's median active seconds and its trend."""

import numpy as np
import pytest

from annotator.services import set_document_design
from claims import pace
from tests.factories import DocumentFactory


def test_runs_cut_the_labels_in_order_into_fifths_differing_by_at_most_one():
    assert [len(run) for run in pace.runs(list(range(12)))] == [2, 2, 3, 2, 3]
    assert pace.runs([1.0, 2.0]) == [[1.0], [2.0]]
    assert [n for run in pace.runs(list(range(12))) for n in run] == list(range(12))


def test_medians_and_trend_match_numpy_on_seeded_times():
    rng = np.random.default_rng(30)
    seconds = list(np.round(rng.gamma(2.0, 4.0, size=103), 1))
    (row,) = pace.reviewer_pace({"anna": seconds})
    assert row["median_seconds"] == pytest.approx(np.median(seconds))
    lengths = [len(run) for run in pace.runs(seconds)]
    assert (len(lengths), sum(lengths), max(lengths) - min(lengths)) == (5, 103, 1)
    expected = [np.median(run) for run in pace.runs(seconds)]
    assert row["by_part"] == pytest.approx(expected)
    assert row["trend_seconds"] == pytest.approx(round(expected[-1] - expected[0], 1))


def test_a_reviewer_with_one_timed_label_has_no_trend_and_one_without_none_is_left_out():
    assert pace.reviewer_pace({"ben": [4.0], "anna": []}) == [
        {"reviewer": "ben", "labels": 1, "median_seconds": 4.0, "by_part": [4.0], "trend_seconds": None}
    ]


@pytest.mark.django_db
def test_the_agreement_report_shows_each_reviewer_s_pace_without_training_or_untimed_labels(
    team, django_capture_on_commit_callbacks
):
    sentences = list(team.document.sentences.order_by("index"))
    training = DocumentFactory(project=team.project, text="A training sentence. Another one.")
    set_document_design(document=training, training=True)
    with django_capture_on_commit_callbacks(execute=True):
        for sentence, seconds in zip(sentences, [10, 4, 6, 2], strict=True):
            team.save_label("annotator", sentence, seconds=seconds)
            team.save_label("annotator2", sentence)  # saved over the API without a time
        team.save_label("annotator", training.sentences.first(), seconds=3000)

    body = team.client("viewer").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()
    (row,) = body["pace"]
    assert row["reviewer"] == team.users["annotator"].username
    assert (row["labels"], row["median_seconds"], row["by_part"], row["trend_seconds"]) == (
        4,
        5.0,
        [10.0, 4.0, 6.0, 2.0],
        -8.0,
    )
