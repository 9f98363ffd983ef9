"""Each reviewer against the decided labels: accuracy, Cohen's kappa and confusion, against independent computations."""

import numpy as np
import pytest
from statsmodels.stats.inter_rater import cohens_kappa

from claims import gold
from claims.kappas import weights_for


def test_published_example_kappa_and_accuracy():
    """Wikipedia's worked example: 50 proposals, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o 0.7, kappa 0.4."""
    reviewer = np.array([0] * 20 + [0] * 5 + [1] * 10 + [1] * 15)
    decided = np.array([0] * 20 + [1] * 5 + [0] * 10 + [1] * 15)

    found = gold.reviewer_against_gold(reviewer, decided, 2)

    assert found["n"] == 50
    assert found["accuracy"] == pytest.approx(0.7)
    assert found["kappa"] == pytest.approx(0.4)
    assert found["confusion"] == [[20, 5], [10, 15]]


@pytest.mark.parametrize("seed", range(5))
def test_kappa_matches_statsmodels_and_accuracy_counts_equal_labels(seed):
    rng = np.random.default_rng(seed)
    units, coders, k = 80, 3, 4
    data = rng.integers(-1, k, size=(units, coders))
    decided = np.where(rng.random(units) < 0.2, -1, rng.integers(0, k, size=units))
    data[:, 0] = np.where(rng.random(units) < 0.7, decided, data[:, 0])  # a reviewer close to gold

    found = gold.quality_against_gold(data, decided, coders=["a", "b", "c"], categories=list("wxyz"))

    assert found["decided"] == int((decided >= 0).sum())
    for column, row in enumerate(found["reviewers"]):
        both = (data[:, column] >= 0) & (decided >= 0)
        table = np.zeros((k, k))
        for mine, theirs in zip(data[both, column], decided[both], strict=True):
            table[mine, theirs] += 1
        assert row["n"] == both.sum()
        assert row["accuracy"] == pytest.approx((data[both, column] == decided[both]).mean())
        assert row["kappa"] == pytest.approx(cohens_kappa(table).kappa, abs=1e-12)
        assert row["confusion"] == table.astype(int).tolist()


def test_weighted_kappa_on_an_ordinal_scale_matches_statsmodels_linear_weights():
    reviewer = np.array([0, 1, 2, 2, 1, 0, 2, 1, 0, 2])
    decided = np.array([0, 2, 2, 1, 1, 0, 2, 0, 1, 2])
    table = np.zeros((3, 3))
    np.add.at(table, (reviewer, decided), 1)

    found = gold.reviewer_against_gold(reviewer, decided, 3, weights_for("ordinal", 3).matrix)

    assert found["weighted_kappa"] == pytest.approx(cohens_kappa(table, wt="linear").kappa, abs=1e-12)
    assert found["kappa"] == pytest.approx(cohens_kappa(table).kappa, abs=1e-12)


def test_no_decisions_or_no_variation_say_why():
    nothing = gold.reviewer_against_gold(np.array([0, 1]), np.array([-1, -1]), 2)
    same = gold.reviewer_against_gold(np.array([1, 1, -1]), np.array([1, 1, 0]), 2)

    assert (nothing["n"], nothing["accuracy"], nothing["kappa"], nothing["kappa_reason"]) == (0, None, None, "no_units")
    assert (same["n"], same["accuracy"], same["kappa"], same["kappa_reason"]) == (2, 1.0, None, "no_variation")
