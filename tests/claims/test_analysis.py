"""The coverage figures and their article bootstrap, checked against a plain-Python computation of the same
definitions (the draws as `claims.analysis` documents them)."""

from collections import Counter, defaultdict

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from claims import analysis

CATEGORIES = ["claim", "quote", "opinion"]
SPEAKERS = [f"speaker {n}" for n in range(7)]
SCHEME = analysis.Scheme(CATEGORIES, speakers=SPEAKERS)


def random_study(seed: int = 1, articles: int = 12, reviewers: int = 3):
    """Articles of 3-9 sentences; each reviewer labels most sentences, some with sources or a speaker."""
    rng = np.random.default_rng(seed)
    sentence_article, sentence_index, lengths = [], [], []
    for article in range(articles):
        length = int(rng.integers(3, 10))
        lengths.append(length)
        sentence_article += [article] * length
        sentence_index += list(range(length))
    rows = []
    for sentence in range(len(sentence_article)):
        for _ in range(reviewers):
            if rng.random() < 0.8:
                label = int(rng.integers(0, 3))
                speaker = int(rng.integers(0, 7)) if label == 1 and rng.random() < 0.9 else -1
                rows.append((sentence, label, int(rng.integers(0, 3)) if label == 0 else 0, speaker))
    sentence, label, sources, speaker = (np.array(column, np.int64) for column in zip(*rows, strict=True))
    labels = analysis.Labels(sentence=sentence, label=label, sources=sources, speaker=speaker)
    article = np.array(sentence_article, np.int64)
    third = analysis.third_of(np.array(sentence_index), np.array(lengths)[article])
    return labels, analysis.Sentences(article=article, third=third), sentence_index, lengths


def plain_share(rows, articles_drawn, wanted):
    """Share of weight with label `wanted` over the drawn articles (a multiset), labels basis."""
    num = den = 0.0
    for article, times in articles_drawn.items():
        for weight, label in rows[article]:
            num += times * weight * (label == wanted)
            den += times * weight
    return num / den if den else float("nan")


def test_labels_basis_shares_and_intervals_equal_a_plain_computation():
    labels, sentences, _, _ = random_study()
    groups = [("even", np.arange(0, 12, 2)), ("odd", np.arange(1, 12, 2))]
    result = analysis.analyse(
        analysis.labels_basis(labels), sentences, groups, SCHEME, min_articles=2, resamples=200, seed=3
    )

    per_sentence = Counter(labels.sentence.tolist())
    rows = defaultdict(list)
    for sentence, label in zip(labels.sentence.tolist(), labels.label.tolist(), strict=True):
        rows[int(sentences.article[sentence])].append((1 / per_sentence[sentence], label))
    rng = np.random.default_rng(3)
    for (name, articles), group in zip(groups, result["groups"], strict=True):
        draws = rng.integers(0, len(articles), size=(200, len(articles)))
        for wanted, category in enumerate(CATEGORIES):
            estimate = plain_share(rows, Counter(articles.tolist()), wanted)
            reps = [plain_share(rows, Counter(articles[draw].tolist()), wanted) for draw in draws]
            low, high = np.quantile(reps, analysis.expanded_levels(len(articles)))
            figure = group["shares"][category]
            assert group["name"] == name
            assert figure["estimate"] == pytest.approx(estimate, abs=1e-6)
            assert figure["ci95"] == pytest.approx([low, high], abs=1e-6)


def test_every_labelled_sentence_weighs_one_whatever_its_number_of_labels():
    labels, sentences, _, _ = random_study()
    result = analysis.analyse(
        analysis.labels_basis(labels), sentences, [("all", np.arange(12))], SCHEME, min_articles=2, resamples=10
    )

    assert result["groups"][0]["weight"] == pytest.approx(len(set(labels.sentence.tolist())))


def test_plurality_splits_a_tied_sentence_between_its_labels_and_takes_the_fullest_citation():
    labels = analysis.Labels(
        sentence=np.array([0, 0, 0, 1, 1]),
        label=np.array([0, 0, 2, 0, 1]),
        sources=np.array([1, 3, 0, 2, 0]),
        speaker=np.array([-1, -1, -1, -1, 4]),
    )
    units = analysis.plurality_basis(labels, 3)

    assert sorted(zip(units.sentence.tolist(), units.label.tolist(), units.weight.tolist(), strict=True)) == [
        (0, 0, 1.0),
        (1, 0, 0.5),
        (1, 1, 0.5),
    ]
    assert units.sources[(units.sentence == 0)].tolist() == [3.0]
    assert units.speaker[(units.sentence == 1) & (units.label == 1)].tolist() == [4]


def test_claims_with_a_source_and_sources_per_claim():
    labels, sentences, _, _ = random_study(seed=5)
    result = analysis.analyse(
        analysis.labels_basis(labels), sentences, [("all", np.arange(12))], SCHEME, min_articles=2, resamples=50
    )

    per_sentence = Counter(labels.sentence.tolist())
    claims = [
        (1 / per_sentence[s], n)
        for s, label, n in zip(labels.sentence.tolist(), labels.label.tolist(), labels.sources.tolist(), strict=True)
        if label == 0
    ]
    total = sum(weight for weight, _ in claims)
    figures = result["groups"][0]["claims"]
    assert figures["with_source"]["estimate"] == pytest.approx(sum(w for w, n in claims if n) / total, abs=1e-6)
    assert figures["sources_per_claim"]["estimate"] == pytest.approx(sum(w * n for w, n in claims) / total, abs=1e-6)
    low, high = figures["with_source"]["ci95"]
    assert low <= figures["with_source"]["estimate"] <= high


def test_speakers_and_the_share_of_the_five_most_quoted():
    labels, sentences, _, _ = random_study(seed=7)
    result = analysis.analyse(
        analysis.labels_basis(labels),
        sentences,
        [("all", np.arange(12))],
        SCHEME,
        min_articles=2,
        resamples=50,
    )

    per_sentence = Counter(labels.sentence.tolist())
    quoted = Counter()
    for s, label, speaker in zip(labels.sentence.tolist(), labels.label.tolist(), labels.speaker.tolist(), strict=True):
        if label == 1 and speaker >= 0:
            quoted[speaker] += 1 / per_sentence[s]
    quotes = result["groups"][0]["quotes"]
    assert quotes["speakers"]["estimate"] == len(quoted)
    top = sum(sorted(quoted.values(), reverse=True)[:5])
    assert quotes["top_five_share"]["estimate"] == pytest.approx(top / sum(quoted.values()), abs=1e-6)
    assert quotes["most_quoted"][0]["speaker"] == SPEAKERS[quoted.most_common(1)[0][0]]


def test_shares_by_third_use_each_sentence_position_in_its_article():
    labels, sentences, index, lengths = random_study(seed=9)
    result = analysis.analyse(
        analysis.labels_basis(labels), sentences, [("all", np.arange(12))], SCHEME, min_articles=2, resamples=10
    )

    per_sentence = Counter(labels.sentence.tolist())
    first = [
        (1 / per_sentence[s], label)
        for s, label in zip(labels.sentence.tolist(), labels.label.tolist(), strict=True)
        if index[s] * 3 < lengths[int(sentences.article[s])]
    ]
    expected = sum(w for w, label in first if label == 2) / sum(w for w, _ in first)
    assert result["groups"][0]["by_third"]["first"]["opinion"]["estimate"] == pytest.approx(expected, abs=1e-6)


def test_the_difference_of_two_groups_is_their_estimates_difference_with_an_interval_around_it():
    labels, sentences, _, _ = random_study(seed=11, articles=30)
    groups = [("a", np.arange(0, 15)), ("b", np.arange(15, 30))]
    result = analysis.analyse(analysis.labels_basis(labels), sentences, groups, SCHEME, min_articles=2, resamples=300)

    [difference] = result["differences"]
    first, second = result["groups"]
    figure = difference["figures"]["share:opinion"]
    assert difference["groups"] == ["a", "b"]
    expected = first["shares"]["opinion"]["estimate"] - second["shares"]["opinion"]["estimate"]
    assert figure["estimate"] == pytest.approx(expected, abs=1e-5)
    assert figure["ci95"][0] <= figure["estimate"] <= figure["ci95"][1]


def test_a_group_without_labels_has_no_figures_and_no_interval():
    labels, sentences, _, _ = random_study()
    result = analysis.analyse(
        analysis.labels_basis(labels),
        sentences,
        [("empty", np.array([], np.int64))],
        SCHEME,
        min_articles=2,
        resamples=10,
    )

    group = result["groups"][0]
    assert group["articles"] == 0
    assert group["shares"]["claim"] == {"estimate": None, "ci95": None}
    assert group["quotes"]["top_five_share"] == {"estimate": None, "ci95": None}


def test_gold_or_plurality_takes_the_decision_where_there_is_one_and_the_plurality_elsewhere():
    from claims.analysis import Labels, gold_or_plurality_basis, labels_basis, plurality_basis

    # Sentence 0: two say claim (0), one opinion (2), decided opinion with a source; sentence 1: claim against
    # quote, a tie; sentence 2: quote twice. Speakers index 0 ("the mayor"), domains index 0.
    labels = Labels(
        sentence=np.array([0, 0, 0, 1, 1, 2, 2]),
        label=np.array([0, 0, 2, 0, 1, 1, 1]),
        sources=np.zeros(7, np.int64),
        speaker=np.array([-1, -1, -1, -1, -1, 0, 0]),
    )
    gold = Labels(
        sentence=np.array([0]),
        label=np.array([2]),
        sources=np.array([1]),
        speaker=np.array([-1]),
        cited_label=np.array([0]),
        cited_domain=np.array([0]),
    )
    units, mix = gold_or_plurality_basis(labels_basis(gold), plurality_basis(labels, 3))

    assert mix == {"decided": 1, "plurality": 1, "tied": 1}
    assert sorted(zip(units.sentence.tolist(), units.label.tolist(), units.weight.tolist(), strict=True)) == [
        (0, 2, 1.0), (1, 0, 0.5), (1, 1, 0.5), (2, 1, 1.0)
    ]  # fmt: skip
    assert units.cited_unit.tolist() == [0]
    assert units.speaker[units.sentence == 2].tolist() == [0]


def expanded(articles: int) -> list[float]:
    """The expanded percentile levels from SciPy's t quantile (Hesterberg 2015)."""
    low = stats.norm.cdf(np.sqrt(articles / (articles - 1)) * stats.t.ppf(0.025, articles - 1))
    return [low, 1 - low]


@pytest.mark.parametrize(("articles", "error"), [(6, 5e-5), (10, 1e-5), (20, 1e-6), (40, 1e-6)])
def test_the_expanded_levels_are_scipys_t_quantiles_widened(articles, error):
    assert analysis.expanded_levels(articles) == pytest.approx(expanded(articles), abs=error)


def groups_of(sizes):
    start, groups = 0, []
    for index, size in enumerate(sizes):
        groups.append((f"g{index}", np.arange(start, start + size)))
        start += size
    return groups


def test_a_group_under_the_article_minimum_keeps_its_estimates_but_gets_no_interval_and_says_why():
    labels, sentences, _, _ = random_study()
    result = analysis.analyse(
        analysis.labels_basis(labels), sentences, groups_of([4, 8]), SCHEME, resamples=50, min_articles=6
    )
    small, large = result["groups"]
    assert small["interval"]["reason"] == "too_few_articles"
    assert small["interval"]["more_articles"] == 2
    assert small["shares"]["claim"]["estimate"] is not None
    assert small["shares"]["claim"]["ci95"] is None
    assert large["interval"]["reason"] is None
    assert large["shares"]["claim"]["ci95"] is not None
    figure = result["differences"][0]["figures"]["share:claim"]
    assert figure["estimate"] is not None
    assert (figure["ci95"], figure["p"], figure["p_holm"]) == (None, None, None)


def test_differences_carry_bootstrap_p_values_adjusted_by_holm_as_statsmodels_does():
    labels, sentences, _, _ = random_study()
    result = analysis.analyse(
        analysis.labels_basis(labels), sentences, groups_of([4, 4, 4]), SCHEME, resamples=200, min_articles=2
    )
    assert "Holm" in result["multiple_comparisons"]
    for name in result["differences"][0]["figures"]:
        figures = [difference["figures"][name] for difference in result["differences"]]
        raw = [figure["p"] for figure in figures]
        if None in raw:
            continue
        assert len(raw) == 3
        assert [figure["p_holm"] for figure in figures] == pytest.approx(
            multipletests(raw, method="holm")[1].tolist(), abs=1e-6
        )
