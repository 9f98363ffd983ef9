"""The effect of suggestions measured as a randomized experiment: NumPy in, figures out (no Django).

Each label is one reviewer's on one sentence, in one arm: assisted (the reviewer was shown the
model's suggestions on that article) or unassisted (their assignment was drawn to come without).
For each arm: agreement between reviewers (the share of agreeing pairs among pairs of reviewers of
the same arm on the same sentence), accuracy against gold (where the gold is one no suggestion
shaped, `gold_usable`), and the share of labels equal to the model's label. The difference
(assisted minus unassisted) has a percentile interval from resampling articles, since a reviewer's
labels in one article are not independent (Berzak et al. 2016 call the effect on the third figure
anchoring; Beck et al. 2025 over-reliance).
"""

from dataclasses import dataclass

import numpy as np

FIGURES = ("agreement", "accuracy", "model_share")
RESAMPLES = 2000


@dataclass
class Labels:
    article: np.ndarray  # int, each label's article
    sentence: np.ndarray  # int, each label's sentence
    label: np.ndarray  # int, the reviewer's category
    assisted: np.ndarray  # bool
    model: np.ndarray  # int, the model's category for the sentence (-1: none)
    gold: np.ndarray  # int, the gold category (-1: none, or not usable)


def _per_article_sums(labels: Labels, n_categories: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(article ids, numerators, denominators): sums per article, shaped (articles, arms, figures); arm 0 unassisted."""
    articles, article_index = np.unique(labels.article, return_inverse=True)
    arm = labels.assisted.astype(np.int64)
    numerators = np.zeros((len(articles), 2, len(FIGURES)))
    denominators = np.zeros_like(numerators)
    # Pairs of same-arm reviewers on a sentence: counts of each category per (sentence, arm).
    sentences, sentence_index = np.unique(labels.sentence, return_inverse=True)
    counts = np.zeros((len(sentences), 2, n_categories))
    np.add.at(counts, (sentence_index, arm, labels.label), 1)
    agreeing = (counts * (counts - 1) / 2).sum(axis=2)
    total = counts.sum(axis=2)
    pairs = total * (total - 1) / 2
    sentence_article = np.zeros(len(sentences), dtype=np.int64)
    sentence_article[sentence_index] = article_index
    for a in range(2):
        np.add.at(numerators[:, a, 0], sentence_article, agreeing[:, a])
        np.add.at(denominators[:, a, 0], sentence_article, pairs[:, a])
    has_gold = labels.gold >= 0
    np.add.at(
        numerators[:, :, 1], (article_index[has_gold], arm[has_gold]), labels.label[has_gold] == labels.gold[has_gold]
    )
    np.add.at(denominators[:, :, 1], (article_index[has_gold], arm[has_gold]), 1)
    has_model = labels.model >= 0
    np.add.at(
        numerators[:, :, 2],
        (article_index[has_model], arm[has_model]),
        labels.label[has_model] == labels.model[has_model],
    )
    np.add.at(denominators[:, :, 2], (article_index[has_model], arm[has_model]), 1)
    return articles, numerators, denominators


def _ratio(numerator, denominator):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def assistance_effect(
    labels: Labels, n_categories: int, *, resamples: int = RESAMPLES, seed: int = 0, confidence: float = 0.95
) -> dict:
    """Each figure for assisted and unassisted labels, their difference and its interval (articles resampled)."""
    articles, numerators, denominators = _per_article_sums(labels, n_categories)
    rng = np.random.default_rng(seed)
    weights = np.stack([np.bincount(rng.integers(0, len(articles), len(articles)), minlength=len(articles))
                        for _ in range(resamples)]) if len(articles) else np.zeros((resamples, 0))  # fmt: skip
    tail = (1 - confidence) / 2 * 100
    figures = {}
    for f, name in enumerate(FIGURES):
        by_arm = _ratio(numerators[:, :, f].sum(axis=0), denominators[:, :, f].sum(axis=0))
        sampled = _ratio(weights @ numerators[:, :, f], weights @ denominators[:, :, f])
        differences = sampled[:, 1] - sampled[:, 0]
        differences = differences[~np.isnan(differences)]
        difference = by_arm[1] - by_arm[0]
        defined = not np.isnan(difference) and len(differences) > 0
        figures[name] = {
            "assisted": None if np.isnan(by_arm[1]) else float(by_arm[1]),
            "unassisted": None if np.isnan(by_arm[0]) else float(by_arm[0]),
            "assisted_n": int(denominators[:, 1, f].sum()),
            "unassisted_n": int(denominators[:, 0, f].sum()),
            "difference": float(difference) if defined else None,
            "difference_ci95": [float(np.percentile(differences, tail)), float(np.percentile(differences, 100 - tail))]
            if defined
            else None,
        }
    return {"articles": len(articles), "labels": len(labels.label), "resamples": resamples, **figures}
