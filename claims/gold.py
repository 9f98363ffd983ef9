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
