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


def test_a_reviewer_is_compared_with_the_others_plurality_not_with_a_majority_their_own_vote_made():
    """Three reviewers, decisions by the rule: sentence 0 is 2-1 for `claim` with the weak reviewer in the
    majority; without their vote the other two tie, so it is not compared. Sentence 1 is 2-1 against them."""
    from claims.gold import independent_confusions

    # labels: (decision index, coder, category); coder 2 is the weak one.
    rows = np.array([[0, 0, 0], [0, 1, 1], [0, 2, 0], [1, 0, 1], [1, 1, 1], [1, 2, 0]])
    confusions, kinds = independent_confusions(
        rows[:, 0], rows[:, 1], rows[:, 2], np.array([0, 1]), np.array([-1, -1]), n_coders=3, n_categories=2
    )
    # coder 2 on sentence 0: others are claim 1, quote 1: a tie, not compared; on sentence 1: others quote 2.
    assert confusions[2].tolist() == [[0, 1], [0, 0]]
    assert kinds[2].tolist() == [0, 1]
    # coder 0 on sentence 0: others claim 1 (coder 2) and quote 1 (coder 1): a tie; sentence 1: others quote 1, claim 1.
    assert confusions[0].sum() == 0


def test_an_adjudicated_decision_counts_for_everyone_but_the_curator_who_made_it():
    from claims.gold import independent_confusions

    rows = np.array([[0, 0, 1], [0, 1, 0], [0, 2, 0]])
    confusions, kinds = independent_confusions(
        rows[:, 0], rows[:, 1], rows[:, 2], np.array([1]), np.array([0]), n_coders=3, n_categories=2
    )
    assert confusions[0].sum() == 0  # coder 0 adjudicated it
    assert confusions[1].tolist() == [[0, 1], [0, 0]]
    assert kinds[1].tolist() == [1, 0]


def test_without_their_own_vote_a_random_reviewer_no_longer_looks_better_than_chance():
    """Seeded panel of three: two reviewers right 80% of the time and one who labels at random; decisions are
    the unique majority of all three (ties stay undecided). The random reviewer's vote decides every sentence
    the other two disagree on, so against those decisions their kappa is well above 0; against the other two's
    plurality it is 0 within sampling error.
    """
    from claims.gold import independent_confusions

    rng = np.random.default_rng(4)
    units, k = 3000, 3
    truth = rng.integers(0, k, units)
    right = np.array([0.8, 0.8, 0.0])
    labels = np.where(rng.random((units, 3)) < right, truth[:, None], rng.integers(0, k, (units, 3)))
    counts = np.stack([(labels == c).sum(axis=1) for c in range(k)], axis=1)
    decided = (counts == counts.max(axis=1, keepdims=True)).sum(axis=1) == 1
    labels, majority = labels[decided], counts[decided].argmax(axis=1)
    rows = np.array([(u, c, labels[u, c]) for u in range(len(labels)) for c in range(3)])
    confusions, kinds = independent_confusions(
        rows[:, 0], rows[:, 1], rows[:, 2], majority, np.full(len(labels), -1), n_coders=3, n_categories=k
    )

    assert gold.reviewer_against_gold(labels[:, 2], majority, k)["kappa"] > 0.15
    assert gold.figures_of_confusion(confusions[2])["kappa"] == pytest.approx(0, abs=0.04)
    assert kinds[2, 1] > 0.5 * len(labels)  # most sentences: the other two agree
