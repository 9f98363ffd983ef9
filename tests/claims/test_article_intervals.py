"""Alpha's interval by article: its resamples are real resampled studies, q is their share below a minimum."""

import krippendorff
import numpy as np
import pytest

from claims import simulation
from claims.agreement import compute_agreement
from claims.article_intervals import (
    MIN_INTERVAL_ARTICLES,
    article_coincidences,
    article_interval,
    bootstrap_alphas,
    one_versus_rest,
)
from claims.coincidences import alpha_from_coincidences

SCENARIO = simulation.Scenario("strong, 3 coders, skewed", 3, 0.7, simulation.SKEWED, **simulation.STRONG)


def clustered(articles: int, seed: int = 3):
    counts, article = simulation.study(np.random.default_rng(seed), SCENARIO, articles)
    patterns, table = simulation.by_article(counts, article, articles)
    return counts, article, article_coincidences(patterns, table)


def test_each_resampled_alpha_is_krippendorffs_alpha_of_the_articles_drawn():
    """The fast path (coincidences summed with multiplicities) against the krippendorff package on the
    resampled study written out sentence by sentence."""
    rng = np.random.default_rng(11)
    data = rng.integers(0, 3, (60, 3))
    data[rng.random(data.shape) < 0.2] = -1
    article = np.repeat(np.arange(12), 5)
    counts = np.stack([(data == k).sum(axis=1) for k in range(3)], axis=1)
    patterns, inverse = np.unique(counts, axis=0, return_inverse=True)
    table = np.zeros((12, len(patterns)), np.int64)
    np.add.at(table, (article, inverse.ravel()), 1)
    coincidences = article_coincidences(patterns, table)
    for _ in range(5):
        drawn = rng.multinomial(12, np.full(12, 1 / 12))
        rows = np.concatenate([data[article == a] for a in range(12) for _ in range(drawn[a])])
        fast = alpha_from_coincidences((drawn[:, None, None] * coincidences).sum(axis=0), "nominal", None)
        reliability = np.where(rows.T >= 0, rows.T, np.nan).astype(float)
        assert fast == pytest.approx(krippendorff.alpha(reliability, level_of_measurement="nominal"), abs=1e-12)


def test_q_is_the_share_of_resamples_below_each_minimum():
    _, _, coincidences = clustered(30)
    answer = article_interval(coincidences, "nominal", None, resamples=400, seed=5, minima=(0.5, 0.667, 0.8))
    alphas = bootstrap_alphas(coincidences, "nominal", None, resamples=400, seed=5)
    assert [entry["alpha_min"] for entry in answer["q"]] == [0.5, 0.667, 0.8]
    assert [entry["q"] for entry in answer["q"]] == [float((alphas < m).mean()) for m in (0.5, 0.667, 0.8)]
    assert answer["q"][0]["q"] <= answer["q"][1]["q"] <= answer["q"][2]["q"]
    assert answer["articles"] == 30
    assert answer["ci"][0] < alpha_from_coincidences(coincidences.sum(axis=0), "nominal", None) < answer["ci"][1]


def test_fewer_articles_than_the_minimum_get_no_interval_and_say_how_many_there_are():
    _, _, coincidences = clustered(MIN_INTERVAL_ARTICLES - 1)
    answer = article_interval(coincidences, "nominal", None, resamples=200, seed=0)
    assert (answer["ci"], answer["reason"], answer["articles"], answer["q"]) == (
        None, "too_few_articles", MIN_INTERVAL_ARTICLES - 1, []
    )  # fmt: skip
    _, _, coincidences = clustered(MIN_INTERVAL_ARTICLES)
    assert article_interval(coincidences, "nominal", None, resamples=200, seed=0)["ci"] is not None


def test_articles_without_a_sentence_labelled_twice_do_not_count():
    _, _, coincidences = clustered(MIN_INTERVAL_ARTICLES)
    padded = np.concatenate([coincidences, np.zeros((5, 3, 3))])
    assert article_interval(padded, "nominal", None, resamples=100, seed=0) == article_interval(
        coincidences, "nominal", None, resamples=100, seed=0
    )


def test_no_disagreement_and_no_labels_are_reasons_not_intervals():
    agreed = np.zeros((25, 3, 3))
    agreed[:, 0, 0], agreed[:, 1, 1] = 4.0, 2.0
    assert article_interval(agreed, "nominal", None, resamples=100, seed=0)["reason"] == "no_disagreement"
    assert article_interval(np.zeros((25, 3, 3)), "nominal", None, resamples=100, seed=0)["reason"] == (
        "not_enough_units"
    )


def test_sentences_of_one_article_move_together_so_a_clustered_study_gets_a_wider_interval():
    counts, article, _ = clustered(40)
    rows = []
    for unit in counts:
        labels = [k for k in range(3) for _ in range(unit[k])]
        rows.append(labels + [-1] * (3 - len(labels)))
    data = np.array(rows)
    by_article = compute_agreement(data, coders=["a", "b", "c"], categories=["x", "y", "z"], articles=article)
    by_sentence = compute_agreement(data, coders=["a", "b", "c"], categories=["x", "y", "z"])
    assert by_article["alpha"] == by_sentence["alpha"]
    assert by_article["bootstrap"]["unit"] == "article"
    assert by_sentence["bootstrap"]["unit"] == "sentence"
    width = by_article["alpha_ci95"][1] - by_article["alpha_ci95"][0]
    assert width > 1.1 * (by_sentence["alpha_ci95"][1] - by_sentence["alpha_ci95"][0])


def test_each_label_gets_an_interval_by_article_of_its_own_alpha():
    counts, article, coincidences = clustered(30)
    rows = [[k for k in range(3) for _ in range(u[k])] for u in counts]
    data = np.array([r + [-1] * (3 - len(r)) for r in rows])
    report = compute_agreement(data, coders=["a", "b", "c"], categories=["x", "y", "z"], articles=article, seed=2)
    for index, name in enumerate(["x", "y", "z"]):
        own = article_interval(one_versus_rest(coincidences, index), "nominal", None, resamples=1000, seed=2)
        assert report["per_label"][name]["ci95"] == own["ci"]
        low, high = own["ci"]
        assert low <= report["per_label"][name]["alpha"] <= high


def test_a_leads_own_minimum_adds_its_q_between_krippendorffs_and_plans_the_sample_with_it():
    counts, article, coincidences = clustered(30)
    rows = [[k for k in range(3) for _ in range(u[k])] for u in counts]
    data = np.array([r + [-1] * (3 - len(r)) for r in rows])
    categories = ["x", "y", "z"]
    own = compute_agreement(data, coders=["a", "b", "c"], categories=categories, articles=article, alpha_min=0.7)
    plain = compute_agreement(data, coders=["a", "b", "c"], categories=categories, articles=article, alpha_min=0.8)
    alphas = bootstrap_alphas(coincidences, "nominal", None, resamples=1000, seed=0)
    alphas = alphas[np.isfinite(alphas)]

    assert [entry["alpha_min"] for entry in own["alpha_q"]] == [0.667, 0.7, 0.8]
    assert own["alpha_q"][1]["q"] == float((alphas < 0.7).mean())
    assert [entry["alpha_min"] for entry in plain["alpha_q"]] == [0.667, 0.8]
    assert (own["sample_size"]["alpha_min"], plain["sample_size"]["alpha_min"]) == (0.7, 0.8)
    assert own["sample_size"]["units"] < plain["sample_size"]["units"]
    assert own["sample_size"]["more_articles"] == 0
