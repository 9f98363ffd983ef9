"""Agreement statistics against published worked examples, degenerate data and the report shape."""

import json

import numpy as np
import pytest

from claims.agreement import (
    LEVELS,
    _alpha_from_counts,
    _bootstrap_alphas,
    bootstrap_alpha_ci,
    cohen_kappa,
    compute_agreement,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    resampled_frequencies,
    sentence_disagreement,
)
from claims.coincidences import pattern_coincidences
from claims.tallies import confusion_matrix
from claims.tallies import unit_counts as _unit_counts
from claims.tallies import unit_patterns as _unit_patterns


def reliability_matrix(rows: list[str]) -> np.ndarray:
    """Coders x units text as printed in the papers ('.' = missing, values 1..K) -> units x coders."""
    return np.array([[-1 if v == "." else int(v) - 1 for v in row.split()] for row in rows]).T


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# four observers, twelve units, values 1..5, missing data.
KRIPPENDORFF_2011_C = reliability_matrix(
    [
        "1 2 3 3 2 1 4 1 2 . . .",
        "1 2 3 3 2 2 4 1 2 5 . 3",
        ". 3 3 3 2 3 4 2 2 5 1 .",
        "1 2 3 3 2 4 4 1 2 5 1 .",
    ]
)


def rows_from_count_table(table) -> np.ndarray:
    """Units x categories count table (Fleiss form) -> units x raters category indices."""
    return np.array([np.repeat(np.arange(len(row)), row) for row in np.asarray(table)])


def pairs_from_contingency(table) -> tuple[np.ndarray, np.ndarray]:
    """2 x 2 (or K x K) contingency table -> the two coders' label vectors."""
    table = np.asarray(table)
    cells = [(i, j) for i in range(len(table)) for j in range(len(table)) for _ in range(table[i, j])]
    a, b = np.array(cells).T
    return a, b


def test_krippendorff_2011_nominal_alpha_with_missing_values():
    """Krippendorff (2011) section C, nominal metric: alpha = 0.743, n.. = 40 pairable values."""
    result = krippendorff_alpha(KRIPPENDORFF_2011_C, n_categories=5)
    assert result.alpha == pytest.approx(0.743, abs=5e-4)
    assert result.pairable_units == 11
    assert result.pairable_values == 40


def test_krippendorff_2011_ordinal_alpha_with_missing_values():
    """Krippendorff (2011) section C, ordinal metric: alpha = 0.815."""
    result = krippendorff_alpha(KRIPPENDORFF_2011_C, n_categories=5, level="ordinal")
    assert result.alpha == pytest.approx(0.815, abs=5e-4)


def test_krippendorff_2011_interval_alpha_with_missing_values():
    """Krippendorff (2011) section C, interval metric on the values 1..5: alpha = 0.849."""
    result = krippendorff_alpha(KRIPPENDORFF_2011_C, n_categories=5, level="interval", values=[1, 2, 3, 4, 5])
    assert result.alpha == pytest.approx(0.849, abs=5e-4)


def test_interval_alpha_does_not_depend_on_scale_origin_or_unit():
    """Interval alpha is invariant to affine rescaling of the values (Krippendorff 2011, C)."""
    default = krippendorff_alpha(KRIPPENDORFF_2011_C, n_categories=5, level="interval")
    rescaled = krippendorff_alpha(KRIPPENDORFF_2011_C, n_categories=5, level="interval", values=[10, 30, 50, 70, 90])
    assert default.alpha == pytest.approx(rescaled.alpha, abs=1e-12)


def test_krippendorff_2011_binary_two_observers():
    """Krippendorff (2011) section A, binary data, two observers, ten units: alpha = 0.095."""
    data = reliability_matrix(["1 2 1 1 1 1 1 1 2 1", "2 2 2 1 1 2 1 1 1 1"])
    result = krippendorff_alpha(data, n_categories=2)
    assert result.alpha == pytest.approx(0.095, abs=5e-4)
    assert (result.pairable_units, result.pairable_values) == (10, 20)


# Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin
# 76(5), Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses. Rater form as distributed in
# R's irr package (`diagnoses`) and statsmodels' test suite.
FLEISS_1971_DIAGNOSES = (
    np.array(
        [
            [4, 4, 4, 4, 4, 4],
            [2, 2, 2, 5, 5, 5],
            [2, 3, 3, 3, 3, 5],
            [5, 5, 5, 5, 5, 5],
            [2, 2, 2, 4, 4, 4],
            [1, 1, 3, 3, 3, 3],
            [3, 3, 3, 3, 5, 5],
            [1, 1, 3, 3, 3, 4],
            [1, 1, 4, 4, 4, 4],
            [5, 5, 5, 5, 5, 5],
            [1, 4, 4, 4, 4, 4],
            [1, 2, 4, 4, 4, 4],
            [2, 2, 2, 3, 3, 3],
            [1, 4, 4, 4, 4, 4],
            [2, 2, 4, 4, 4, 5],
            [3, 3, 3, 3, 3, 5],
            [1, 1, 1, 4, 5, 5],
            [1, 1, 1, 1, 1, 2],
            [2, 2, 4, 4, 4, 4],
            [1, 3, 3, 5, 5, 5],
            [5, 5, 5, 5, 5, 5],
            [2, 4, 4, 4, 4, 4],
            [2, 2, 4, 5, 5, 5],
            [1, 1, 4, 4, 4, 4],
            [1, 4, 4, 4, 4, 5],
            [2, 2, 2, 2, 2, 4],
            [1, 1, 1, 1, 5, 5],
            [2, 2, 4, 4, 4, 4],
            [1, 3, 3, 3, 3, 3],
            [5, 5, 5, 5, 5, 5],
        ]
    )
    - 1
)


def test_fleiss_1971_psychiatric_diagnoses():
    """Fleiss (1971) Table 1: 30 subjects, 6 raters, 5 categories, kappa = 0.430."""
    result = fleiss_kappa(FLEISS_1971_DIAGNOSES, n_categories=5)
    assert result.value == pytest.approx(0.430, abs=5e-4)
    assert (result.units, result.pairable_units) == (30, 30)


def test_fleiss_kappa_wikipedia_example():
    """Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories, 0.210."""
    table = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    result = fleiss_kappa(rows_from_count_table(table), n_categories=5)
    assert result.value == pytest.approx(0.210, abs=5e-4)
    # Its P-bar, 0.378, is our percent agreement when every unit has the same raters.
    assert percent_agreement(rows_from_count_table(table)) == pytest.approx(0.378, abs=5e-4)


def test_cohen_kappa_wikipedia_fifty_proposals():
    """Wikipedia, "Cohen's kappa", 50 grant proposals read by A and B: p_o 0.7, kappa 0.4."""
    a, b = pairs_from_contingency([[20, 5], [10, 15]])
    assert cohen_kappa(a, b, n_categories=2) == pytest.approx(0.4, abs=5e-4)


@pytest.mark.parametrize(("table", "kappa"), [([[45, 15], [25, 15]], 0.1304), ([[25, 35], [5, 35]], 0.2593)])
def test_cohen_kappa_wikipedia_same_agreement_different_marginals(table, kappa):
    """Wikipedia, "Cohen's kappa": p_o = 0.60 in both tables, kappa 0.1304 and 0.2593."""
    a, b = pairs_from_contingency(table)
    assert cohen_kappa(a, b, n_categories=2) == pytest.approx(kappa, abs=5e-5)


def test_cohen_kappa_ignores_units_only_one_coder_labelled():
    a, b = pairs_from_contingency([[20, 5], [10, 15]])
    a, b = np.append(a, [0, -1, -1]), np.append(b, [-1, 1, -1])
    assert cohen_kappa(a, b, n_categories=2) == pytest.approx(0.4, abs=1e-12)


def test_confusion_matrix_rows_are_first_coder():
    matrix = confusion_matrix(np.array([0, 0, 1, -1]), np.array([1, 1, 1, 0]), n_categories=2)
    assert matrix.tolist() == [[0, 2], [0, 1]]


def test_alpha_is_one_for_perfect_agreement_with_variation():
    data = np.array([[0, 0], [1, 1], [2, 2]])
    for level in LEVELS:
        assert krippendorff_alpha(data, n_categories=3, level=level).alpha == 1.0


@pytest.mark.parametrize(
    "data",
    [
        np.zeros((0, 0), int),
        np.zeros((0, 3), int),
        np.zeros((4, 0), int),
        np.array([[0], [1], [2]]),  # one coder
        np.array([[0, -1], [-1, 1], [2, -1]]),  # no unit labelled twice
        np.array([[1, 1, -1], [1, 1, 1], [-1, 1, 1]]),  # no variation: alpha is 0/0
    ],
)
def test_undefined_statistics_are_none_not_nan(data):
    for level in LEVELS:
        assert krippendorff_alpha(data, n_categories=3, level=level).alpha is None
        assert bootstrap_alpha_ci(data, n_categories=3, level=level) is None
    assert fleiss_kappa(data, n_categories=3).value is None


def test_empty_list_is_treated_as_no_data():
    assert krippendorff_alpha([], n_categories=3).alpha is None
    assert percent_agreement([]) is None


def test_cohen_kappa_is_none_when_chance_agreement_is_certain():
    assert cohen_kappa(np.array([1, 1, 1]), np.array([1, 1, 1]), n_categories=2) is None
    assert cohen_kappa(np.array([1, -1]), np.array([-1, 0]), n_categories=2) is None


def test_out_of_range_category_is_rejected():
    with pytest.raises(ValueError, match="category indices"):
        krippendorff_alpha(np.array([[0, 3]]), n_categories=3)


def test_unknown_level_is_rejected():
    with pytest.raises(ValueError, match="level must be one of"):
        krippendorff_alpha(np.array([[0, 1]]), n_categories=3, level="ratio")


def test_percent_agreement_weighs_every_pairable_unit_equally():
    # Unit 1: 3 of 3 pairs agree; unit 2: 0 of 1; unit 3 has one label and does not count.
    data = np.array([[0, 0, 0], [0, 1, -1], [1, -1, -1]])
    assert percent_agreement(data) == pytest.approx(0.5)


def test_fleiss_counts_every_unit_whatever_its_number_of_labels():
    data = np.array([[0, 0, -1], [1, 1, -1], [0, 1, 1], [1, 1, 1], [0, -1, -1]])
    result = fleiss_kappa(data, n_categories=2)
    assert (result.units, result.pairable_units, result.reason) == (5, 4, None)


def test_fleiss_without_units_labelled_twice_says_why():
    result = fleiss_kappa(np.array([[0, -1], [-1, 1]]), n_categories=2)
    assert (result.value, result.units, result.pairable_units, result.reason) == (None, 2, 0, "not_enough_units")


def test_bootstrap_is_reproducible_with_its_seed():
    data = np.tile(KRIPPENDORFF_2011_C, (5, 1))
    first = bootstrap_alpha_ci(data, n_categories=5, resamples=200, seed=7)
    again = bootstrap_alpha_ci(data, n_categories=5, resamples=200, seed=7)
    other = bootstrap_alpha_ci(data, n_categories=5, resamples=200, seed=8)
    assert first == again
    assert first != other


def test_bootstrap_interval_brackets_alpha():
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 3, 400)
    data = np.where(rng.random((400, 4)) < 0.7, truth[:, None], rng.integers(0, 3, (400, 4)))
    alpha = krippendorff_alpha(data, n_categories=3).alpha
    low, high = bootstrap_alpha_ci(data, n_categories=3)
    assert low < alpha < high
    assert high - low < 0.15


@pytest.mark.parametrize("level", LEVELS)
def test_bootstrap_resample_alpha_equals_alpha_of_the_resampled_units(level):
    """Each resample's alpha, computed from pattern draws, is the alpha of the drawn units."""
    counts = _unit_counts(np.tile(KRIPPENDORFF_2011_C, (3, 1)), 5)
    counts = counts[counts.sum(axis=1) >= 2]
    scale = np.arange(5.0) if level == "interval" else None
    seed, resamples = 11, 5
    patterns, frequency, inverse = _unit_patterns(counts)
    assert (patterns[inverse] == counts).all()
    shortcut = _bootstrap_alphas(pattern_coincidences(patterns), frequency, level, scale, resamples, seed)[:, 0]
    draws = np.concatenate(list(resampled_frequencies(frequency, resamples, seed)))[:, 0]
    assert (draws.sum(axis=1) == len(counts)).all()
    for draw, alpha in zip(draws, shortcut, strict=True):
        resampled = np.repeat(patterns, draw, axis=0)
        assert _alpha_from_counts(resampled, level, scale).alpha == pytest.approx(alpha, abs=1e-12)


def test_report_is_json_safe_and_complete():
    report = compute_agreement(
        KRIPPENDORFF_2011_C,
        coders=["A", "B", "C", "D"],
        categories=list("abcde"),
        level="ordinal",
        resamples=100,
    )
    json.dumps(report, allow_nan=False)
    assert report["alpha"] == pytest.approx(0.815, abs=5e-4)
    assert (report["units"], report["annotators"]) == (12, 4)
    assert (report["pairable_units"], report["pairable_values"]) == (11, 40)
    assert report["bootstrap"] == {
        "method": "expanded BCa bootstrap over pairable units, resampled with replacement",
        "unit": "sentence",
        "resamples": 100,
        "undefined_resamples": 0,
        "min_units": 50,
        "seed": 0,
    }
    assert report["alpha_ci95_reason"] == "too_few_units"
    assert report["weights"] == {"name": "linear", "basis": "ranks"}
    assert report["gwet"]["name"] == "AC2"
    assert report["fleiss"]["units"] == 12
    assert report["per_label"]["e"]["count"] == 3
    assert report["per_label"]["e"]["by_annotator"] == {"A": 0, "B": 1, "C": 1, "D": 1}
    assert len(report["pairwise"]) == 6


def test_report_pooled_confusion_is_sum_of_pair_matrices_and_transposes():
    report = compute_agreement(KRIPPENDORFF_2011_C, coders=list("ABCD"), categories=list("abcde"), resamples=0)
    pooled = sum(np.array(p["matrix"]) + np.array(p["matrix"]).T for p in report["confusion"]["pairs"])
    assert report["confusion"]["pooled"] == pooled.tolist()
    assert report["alpha_ci95"] is None


def test_report_pairwise_matches_cohen_kappa():
    report = compute_agreement(KRIPPENDORFF_2011_C, coders=list("ABCD"), categories=list("abcde"), resamples=0)
    first = report["pairwise"][0]
    a, b = KRIPPENDORFF_2011_C[:, 0], KRIPPENDORFF_2011_C[:, 1]
    assert first["cohen_kappa"] == cohen_kappa(a, b, n_categories=5)
    assert first["n"] == 9


def test_report_one_vs_rest_alpha_is_nominal_alpha_of_binarized_labels():
    report = compute_agreement(KRIPPENDORFF_2011_C, coders=list("ABCD"), categories=list("abcde"), resamples=0)
    binary = np.where(KRIPPENDORFF_2011_C < 0, -1, (KRIPPENDORFF_2011_C == 1).astype(int))
    assert report["per_label"]["b"]["alpha"] == krippendorff_alpha(binary, n_categories=2).alpha


def test_report_on_no_labels_has_no_figures():
    report = compute_agreement(np.full((3, 2), -1), coders=["A", "B"], categories=["claim", "quote"])
    json.dumps(report, allow_nan=False)
    assert report["units"] == 0
    assert report["alpha"] is None
    assert report["alpha_ci95"] is None
    assert report["fleiss_kappa"] is None
    assert report["percent_agreement"] is None
    assert report["pairwise"][0]["cohen_kappa"] is None


def test_sentence_disagreement_reports_plurality_and_contest():
    data = np.array([[0, 0, 0], [0, 1, -1], [0, 0, 1], [-1, -1, -1]])
    rows = sentence_disagreement(data, categories=["claim", "quote"])
    assert rows[0] == {
        "labels": 3,
        "plurality": "claim",
        "plurality_share": 1.0,
        "counts": {"claim": 3, "quote": 0},
        "contested": 0.0,
    }
    assert (rows[1]["plurality"], rows[1]["plurality_share"], rows[1]["contested"]) == (None, 0.5, 1.0)
    assert rows[2]["contested"] == pytest.approx(2 / 3)
    assert (rows[3]["labels"], rows[3]["plurality"], rows[3]["plurality_share"]) == (0, None, None)


def test_report_on_an_empty_project_lists_its_coders_without_figures():
    report = compute_agreement([], coders=["A", "B"], categories=["claim", "quote"])
    json.dumps(report, allow_nan=False)
    assert (report["units"], report["annotators"], report["pairable_units"]) == (0, 0, 0)
    assert report["pairwise"] == [
        {"a": "A", "b": "B", "cohen_kappa": None, "percent_agreement": None, "n": 0, "reason": "not_enough_units"}
    ]
    assert report["per_label"]["quote"] == {
        "alpha": None,
        "reason": "not_enough_units",
        "pairable_units": 0,
        "count": 0,
        "by_annotator": {"A": 0, "B": 0},
    }
    assert (report["alpha_reason"], report["alpha_ci95_reason"]) == ("not_enough_units", "not_enough_units")


def test_report_rejects_a_coder_list_that_does_not_fit_the_data():
    with pytest.raises(ValueError, match="coders"):
        compute_agreement(np.array([[0, 1]]), coders=["A"], categories=["claim", "quote"])


def test_bootstrap_rejects_a_confidence_outside_zero_and_one():
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_alpha_ci(KRIPPENDORFF_2011_C, n_categories=5, confidence=95)


def test_ordinal_and_interval_reports_give_weighted_percent_agreement_beside_the_plain_one():
    # Two coders: one exact match, one near miss (half credit on linear ranks), one far miss.
    data = np.array([[0, 0], [0, 1], [0, 2]])
    ordinal = compute_agreement(data, coders=["A", "B"], categories=["low", "mid", "high"], level="ordinal")
    assert ordinal["percent_agreement"] == pytest.approx(1 / 3)
    assert ordinal["percent_agreement_weighted"] == pytest.approx(0.5)
    assert ordinal["pairwise"][0]["weighted_percent_agreement"] == pytest.approx(0.5)
    interval = compute_agreement(data, coders=["A", "B"], categories=list("012"), level="interval", values=[0, 1, 2])
    # Quadratic weights on the values: 1 - 1/4 for the near miss.
    assert interval["percent_agreement_weighted"] == pytest.approx((1 + 0.75 + 0) / 3)
    nominal = compute_agreement(data, coders=["A", "B"], categories=["low", "mid", "high"])
    assert nominal["percent_agreement_weighted"] == pytest.approx(nominal["percent_agreement"])
    assert "weighted_percent_agreement" not in nominal["pairwise"][0]


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_without_a_reviewer_is_alpha_of_the_data_without_their_column(level):
    rng = np.random.default_rng(4)
    truth = rng.integers(0, 4, 300)
    data = np.where(rng.random((300, 4)) < 0.6, truth[:, None], rng.integers(0, 4, (300, 4)))
    data[rng.random((300, 4)) < 0.3] = -1
    values = [0.0, 1.0, 2.5, 7.0] if level == "interval" else None
    report = compute_agreement(data, coders=list("ABCD"), categories=list("wxyz"), level=level, values=values)
    for c, reviewer in enumerate(report["reviewers"]):
        rest = np.delete(data, c, axis=1)
        expected = krippendorff_alpha(rest, n_categories=4, level=level, values=values).alpha
        assert reviewer["alpha_without"] == pytest.approx(expected, abs=1e-12)
        assert reviewer["alpha_change"] == pytest.approx(expected - report["alpha"], abs=1e-12)
