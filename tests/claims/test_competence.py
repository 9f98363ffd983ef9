"""Dawid-Skene and MACE (claims.competence) against crowd-kit, and on a simulated panel with a spammer and a bias."""

import numpy as np
import pandas as pd
import pytest
import scipy.stats as sps
from crowdkit.aggregation import MACE, DawidSkene

from claims import competence

K = 3


def panel(seed: int, *, sentences=400, articles=40, missing=0.2):
    """A seeded panel of five reviewers: three careful (copy the truth 90/80/70% of the time, else guess),
    a spammer (copies 15% of the time, else always says category 0), a biased reviewer (careful, but calls
    every category-1 sentence category 2)."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(K, sentences, p=[0.5, 0.3, 0.2])
    rows = []
    for item in range(sentences):
        for coder, copy in enumerate([0.9, 0.8, 0.7, 0.15, 0.9]):
            if rng.random() < missing:
                continue
            label = truth[item] if rng.random() < copy else (0 if coder == 3 else rng.integers(0, K))
            if coder == 4 and label == 1:
                label = 2
            rows.append((item, coder, label))
    found = np.array(rows)
    article = np.arange(sentences) * articles // sentences
    return competence.Labels.of(found[:, 0], found[:, 1], found[:, 2], n_categories=K, article=article), truth


def frame(labels: competence.Labels) -> pd.DataFrame:
    found = pd.DataFrame({"task": labels.items, "worker": labels.coders, "label": labels.categories})
    # crowd-kit's MACE reads its parameters in the order workers and labels first appear and its counts in sorted
    # order: sorting makes the two orders one.
    return found.sort_values(["worker", "label"], kind="stable").reset_index(drop=True)


def test_dawid_skene_matches_crowd_kit():
    labels, _ = panel(1, sentences=150, articles=15)
    oracle = DawidSkene(n_iter=300, tol=1e-12).fit(frame(labels))
    fitted = competence.dawid_skene(labels, tol=1e-12, max_iter=5000)

    expected = oracle.probas_.sort_index()[list(range(K))].to_numpy()
    assert fitted.posterior == pytest.approx(expected, abs=1e-6)
    for coder in range(labels.n_coders):
        errors = oracle.errors_.loc[coder].reindex(range(K)).fillna(0.0)[list(range(K))].to_numpy()
        assert fitted.confusion[coder] == pytest.approx(errors.T, abs=1e-6)


def test_mace_matches_crowd_kit_from_the_same_start():
    labels, _ = panel(2, sentences=150, articles=15)
    data = frame(labels)
    oracle = MACE(method="em", n_restarts=1, n_iter=50, random_state=0).fit(data)
    # crowd-kit's start, drawn as its `_initialize` draws it.
    spamming = sps.uniform(1, 1.5).rvs(size=(labels.n_coders, 2), random_state=0)
    habits = sps.uniform(1, 1.5).rvs(size=(labels.n_coders, K), random_state=0)
    start = (spamming[:, 1] / spamming.sum(axis=1), habits / habits.sum(axis=1, keepdims=True))

    fitted = competence.mace(labels, max_iter=50, tol=-1.0, start=start)

    assert fitted.competence == pytest.approx(oracle.spamming_[:, 1], abs=1e-9)
    assert fitted.posterior == pytest.approx(oracle.probas_.sort_index()[list(range(K))].to_numpy(), abs=1e-9)


def test_mace_finds_the_spammer_and_the_careful_reviewers():
    labels, truth = panel(3)
    fitted = competence.mace(labels)

    assert fitted.competence[3] < 0.3
    assert min(fitted.competence[[0, 1, 2]]) > 0.5
    assert np.argmax(fitted.strategy[3]) == 0  # the spammer's habit is category 0
    assert (fitted.posterior.argmax(axis=1) == truth).mean() > 0.9


def test_dawid_skene_recovers_the_biased_reviewers_confusion():
    labels, truth = panel(4)
    fitted = competence.dawid_skene(labels)

    biased = fitted.confusion[4]  # rows: true category, columns: label given
    assert biased[1, 2] > 0.8
    assert biased[1, 1] < 0.05
    assert biased[0, 0] > 0.8
    assert biased[2, 2] > 0.8
    assert fitted.confusion[0][1, 1] > 0.8
    # The model reads the biased reviewer's "2" on a category-1 sentence for what it is.
    votes = labels.vote_shares().argmax(axis=1)
    assert (fitted.posterior.argmax(axis=1) == truth).mean() > (votes == truth).mean()


def test_uncertainty_is_zero_when_sure_and_largest_when_torn():
    posterior = np.array([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0.0]])
    assert competence.uncertainty(posterior) == pytest.approx([0.0, 2 / 3, 0.5])
    assert competence.entropy_bits(posterior) == pytest.approx([0.0, np.log2(3), 1.0])


def test_bootstrap_by_article_brackets_the_estimates():
    labels, _ = panel(5, sentences=300, articles=30)
    fitted = competence.mace(labels)
    intervals = competence.bootstrap(labels, resamples=20, seed=0)

    assert (intervals["articles"], intervals["reason"]) == (30, None)
    low, high = intervals["competence"].T
    assert np.all(low <= fitted.competence + 1e-9)
    assert np.all(fitted.competence <= high + 1e-9)
    assert high[3] < 0.4  # the spammer stays a spammer in every resample's eyes
    assert intervals["confusion"].shape == (5, K, K, 2)


def test_bootstrap_is_withheld_with_few_articles():
    labels, _ = panel(6, sentences=100, articles=10)
    intervals = competence.bootstrap(labels, resamples=10)
    assert (intervals["competence"], intervals["reason"], intervals["articles"]) == (None, "too_few_articles", 10)
