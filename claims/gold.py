"""Each reviewer against the decided labels (the gold standard): accuracy, Cohen's kappa and a confusion matrix.

Pure computation on the label matrix of `claims.reports.matrix` (units x coders, -1 where a
coder did not label) and one decided category per unit (-1 where there is no decision or it is
unresolved). No Django import.
"""

import numpy as np

from .kappas import weighted_cohen_kappa


def reviewer_against_gold(labels: np.ndarray, gold: np.ndarray, n_categories: int, weights=None) -> dict:
    """One reviewer's labels (-1: none) against gold (-1: none) over the units both have.

    `confusion[i][j]` counts the units the reviewer gave category i and the decision is j.
    Kappa is Cohen's (1960), unweighted; `weighted_kappa` uses `weights` when they are not the
    identity (an ordinal or interval scale). A kappa that cannot be computed is None with a
    reason: "no_units" (nothing to compare) or "no_variation" (chance agreement is certain,
    e.g. every label and decision the same category).
    """
    both = (labels >= 0) & (gold >= 0)
    confusion = np.zeros((n_categories, n_categories), dtype=np.int64)
    np.add.at(confusion, (labels[both].astype(np.intp), gold[both].astype(np.intp)), 1)
    return figures_of_confusion(confusion, weights)


def figures_of_confusion(confusion: np.ndarray, weights=None) -> dict:
    """`reviewer_against_gold`'s figures from the reviewer's (label, decision) confusion matrix alone."""
    n_categories = len(confusion)
    n = int(confusion.sum())
    kappa = weighted_cohen_kappa(confusion, np.eye(n_categories)) if n else None
    found = {
        "n": n,
        "agreed": int(np.trace(confusion)),
        "accuracy": float(np.trace(confusion) / n) if n else None,
        "kappa": kappa,
        "kappa_reason": None if kappa is not None else ("no_units" if n == 0 else "no_variation"),
        "confusion": confusion.tolist(),
    }
    if weights is not None and not np.array_equal(weights, np.eye(n_categories)):
        found["weighted_kappa"] = weighted_cohen_kappa(confusion, weights) if n else None
    return found


def quality_against_gold(
    data: np.ndarray, gold: np.ndarray, *, coders: list[str], categories: list[str], weights=None
) -> dict:
    """Every reviewer (column of `data`) against `gold`, one entry per reviewer in `coders` order.

    `decided` is the number of units with a decision; a reviewer who labelled none of them has
    n 0 and null figures.
    """
    gold = np.asarray(gold)
    return {
        "labels": list(categories),
        "decided": int((gold >= 0).sum()),
        "reviewers": [
            {"reviewer": coder, **reviewer_against_gold(data[:, column], gold, len(categories), weights)}
            for column, coder in enumerate(coders)
        ],
    }


def quality_from_confusions(
    confusions: np.ndarray, decided: int, *, coders: list[str], categories: list[str], weights=None
) -> dict:
    """`quality_against_gold` from each reviewer's (label, decision) confusion matrix (coders, K, K), as
    a database counts them without reading every label."""
    return {
        "labels": list(categories),
        "decided": int(decided),
        "reviewers": [
            {"reviewer": coder, **figures_of_confusion(confusion, weights)}
            for coder, confusion in zip(coders, confusions, strict=True)
        ],
    }


def independent_confusions(
    label_sentence: np.ndarray,
    label_coder: np.ndarray,
    label_category: np.ndarray,
    decision_category: np.ndarray,
    adjudicated_by: np.ndarray,
    *,
    n_coders: int,
    n_categories: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Each reviewer against decisions they did not determine: (confusions (C, K, K), kinds (C, 2)).

    A decision reached by the rule (unanimous, majority) counts the reviewer's own vote, so a
    reviewer compared with it is partly compared with themself, and a weak reviewer's kappa rises.
    Here each label (`label_sentence` index into the decisions, `label_coder`, `label_category`) is
    compared with:
    - an adjudicated decision (`adjudicated_by[s]` is the curator's coder index, or n_coders when the
      curator is no reviewer), unless the reviewer adjudicated it themself;
    - on a decision by the rule (`adjudicated_by[s]` -1), the plurality of the OTHER reviewers' labels
      on the sentence, where they have a unique one; no other label or a tie: not compared.
    `kinds[c]` counts (adjudicated, plurality of the others) comparisons.
    """
    decisions = len(decision_category)
    counts = np.zeros((decisions, n_categories), np.int64)
    np.add.at(counts, (label_sentence, label_category), 1)
    others = counts[label_sentence].copy()
    others[np.arange(len(label_sentence)), label_category] -= 1
    top = others.max(axis=1)
    unique_top = (others == top[:, None]).sum(axis=1) == 1
    by_rule = adjudicated_by[label_sentence] < 0
    reference = np.where(by_rule, others.argmax(axis=1), decision_category[label_sentence])
    compared = np.where(by_rule, (top > 0) & unique_top, adjudicated_by[label_sentence] != label_coder)
    compared &= reference >= 0
    confusions = np.zeros((n_coders, n_categories, n_categories), np.int64)
    np.add.at(confusions, (label_coder[compared], label_category[compared], reference[compared]), 1)
    kinds = np.zeros((n_coders, 2), np.int64)
    np.add.at(kinds, (label_coder[compared], by_rule[compared].astype(np.intp)), 1)
    return confusions, kinds


def independent_figures(confusion: np.ndarray, kinds: np.ndarray, weights=None) -> dict:
    """`figures_of_confusion` of one reviewer's independent comparisons, with how many of each kind."""
    return figures_of_confusion(confusion, weights) | {
        "adjudicated": int(kinds[0]),
        "plurality_of_others": int(kinds[1]),
    }
