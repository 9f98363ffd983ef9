"""Coder competence from the labels alone: Dawid & Skene's confusion matrices and MACE's competences, by EM.

Both models treat each sentence's true category as unobserved and each reviewer as a noisy
channel from it to their label; EM fits the channel of every reviewer and the posterior of every
sentence's category at once. Dawid & Skene (1979) give each reviewer a full K x K confusion
matrix (row: true category, column: the label given); MACE (Hovy, Berg-Kirkpatrick, Vaswani &
Hovy 2013) gives each reviewer one competence, the chance they label by the text rather than by
a habit of their own ("spamming", drawn from their own label distribution), which is what tells a
careless reviewer from a careful one who disagrees.

Labels come in long form: three equal-length integer arrays `items` (0..I-1), `coders` (0..J-1)
and `categories` (0..K-1), one entry per label. The updates follow crowd-kit's `DawidSkene`
and `MACE` (method "em") step for step, so `tests/claims/test_competence.py` checks them
against crowd-kit to 1e-6 given the same start. Intervals resample articles with every
sentence of a drawn article (`bootstrap`), as alpha's interval does (`claims.article_intervals`).
No Django import.
"""

import warnings
from dataclasses import dataclass

import numpy as np

# crowd-kit's floor on a probability before its log is taken.
_EPS = 1e-10
# Resamples of the articles behind each interval; the worker fits both models this many times more.
RESAMPLES = 200


@dataclass(frozen=True)
class Labels:
    """A study's labels in long form, with the article of each sentence (`article[item]`)."""

    items: np.ndarray
    coders: np.ndarray
    categories: np.ndarray
    n_items: int
    n_coders: int
    n_categories: int
    article: np.ndarray | None = None

    @classmethod
    def of(cls, items, coders, categories, *, n_categories: int, n_coders: int | None = None, article=None):
        items, coders, categories = (np.asarray(a, np.int64) for a in (items, coders, categories))
        if not (items.shape == coders.shape == categories.shape) or items.ndim != 1:
            raise ValueError("items, coders and categories must be 1-D arrays of one length")
        if len(categories) and (categories.min() < 0 or categories.max() >= n_categories):
            raise ValueError(f"categories must be 0..{n_categories - 1}")
        n_items = int(items.max()) + 1 if len(items) else 0
        n_coders = n_coders if n_coders is not None else (int(coders.max()) + 1 if len(coders) else 0)
        article = None if article is None else np.asarray(article, np.int64)
        return cls(items, coders, categories, n_items, n_coders, n_categories, article)

    def vote_shares(self) -> np.ndarray:
        """(I, K): each sentence's share of labels per category (crowd-kit's `MajorityVote` probabilities)."""
        counts = np.zeros((self.n_items, self.n_categories))
        np.add.at(counts, (self.items, self.categories), 1.0)
        total = counts.sum(axis=1, keepdims=True)
        return np.divide(counts, total, out=np.full_like(counts, 1.0 / self.n_categories), where=total > 0)


@dataclass(frozen=True)
class DawidSkeneFit:
    posterior: np.ndarray  # (I, K)
    prior: np.ndarray  # (K,)
    confusion: np.ndarray  # (J, K true, K given): P(label given | true category)
    iterations: int


@dataclass(frozen=True)
class MaceFit:
    posterior: np.ndarray  # (I, K)
    competence: np.ndarray  # (J,): the chance a reviewer labels by the text
    strategy: np.ndarray  # (J, K): a reviewer's labels when they do not
    log_likelihood: float
    iterations: int


def _sum_by(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """(n, ...) sums of the rows of `values` (L, ...) by `index` (L,): `np.add.at`, by `bincount` as it is faster."""
    flat = values.reshape(len(values), -1)
    columns = [np.bincount(index, flat[:, c], minlength=n) for c in range(flat.shape[1])]
    return np.stack(columns, axis=1).reshape((n, *values.shape[1:])) if columns else np.zeros((n, *values.shape[1:]))


def _normalize_rows(posterior_log: np.ndarray) -> np.ndarray:
    shifted = np.exp(posterior_log - posterior_log.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _ds_m_step(labels: Labels, posterior: np.ndarray) -> np.ndarray:
    """(J, K true, K given) from the sentences' posteriors; a label a reviewer never gave stays at 0."""
    j, k = labels.n_coders, labels.n_categories
    counts = _sum_by(labels.coders * k + labels.categories, posterior[labels.items], j * k).reshape(j, k, k)
    given = np.zeros((j, k), bool)
    given[labels.coders, labels.categories] = True
    counts = np.where(given[:, :, None], np.maximum(counts, _EPS), 0.0)
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0).transpose(0, 2, 1)


def _ds_e_step(labels: Labels, prior: np.ndarray, confusion: np.ndarray) -> np.ndarray:
    logs = np.log(np.maximum(confusion, 1e-300))[labels.coders, :, labels.categories]  # (labels, K true)
    total = _sum_by(labels.items, logs, labels.n_items)
    return _normalize_rows(total + np.log(np.maximum(prior, _EPS)))


def dawid_skene(labels: Labels, *, max_iter: int = 500, tol: float = 1e-7, start=None) -> DawidSkeneFit:
    """Dawid & Skene's model by EM from the labels' vote shares, as crowd-kit starts it (or from `start`,
    (prior, confusion) of an earlier fit). Stops when no sentence's posterior moves by more than `tol`.
    """
    if start is None:
        posterior = labels.vote_shares()
        prior = posterior.mean(axis=0)
        confusion = _ds_m_step(labels, posterior)
    else:
        prior, confusion = start
        posterior = np.full((labels.n_items, labels.n_categories), np.inf)
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        updated = _ds_e_step(labels, prior, confusion)
        prior = updated.mean(axis=0)
        confusion = _ds_m_step(labels, updated)
        moved = np.abs(updated - posterior).max(initial=0.0)
        posterior = updated
        if moved < tol:
            break
    return DawidSkeneFit(posterior, prior, confusion, iterations)


def _mace_e_step(labels: Labels, competence: np.ndarray, strategy: np.ndarray):
    """Posteriors, log likelihood and the expected counts (spamming or not, spam labels) under the parameters."""
    k = labels.n_categories
    spam = (1.0 - competence[labels.coders]) * strategy[labels.coders, labels.categories]  # (labels,)
    knows = competence[labels.coders]
    # P(label | true k) = spam + knows [label == k]
    per_label = spam[:, None] + knows[:, None] * (labels.categories[:, None] == np.arange(k)[None, :])
    log_joint = _sum_by(labels.items, np.log(np.maximum(per_label, 1e-300)), labels.n_items) - np.log(k)
    top = log_joint.max(axis=1, keepdims=True)
    marginal = np.exp(log_joint - top).sum(axis=1, keepdims=True)
    posterior = np.exp(log_joint - top) / marginal
    log_likelihood = float((np.log(marginal[:, 0]) + top[:, 0]).sum())
    # P(the label was a habit | the data) and P(it was known | the data), per label.
    on_item = posterior[labels.items]
    spammed = (on_item * spam[:, None] / per_label).sum(axis=1)
    knew = (
        on_item[np.arange(len(labels.items)), labels.categories]
        * knows
        / per_label[np.arange(len(labels.items)), labels.categories]
    )
    knowing = _sum_by(labels.coders, np.column_stack([spammed, knew]), labels.n_coders)
    cells = labels.coders * k + labels.categories
    strategy_counts = np.bincount(cells, spammed, minlength=labels.n_coders * k).reshape(labels.n_coders, k)
    return posterior, log_likelihood, knowing, strategy_counts


def _smoothed(counts: np.ndarray, smoothing: float) -> np.ndarray:
    counts = counts + smoothing
    return counts / counts.sum(axis=1, keepdims=True)


def mace(
    labels: Labels, *, max_iter: int = 500, tol: float = 1e-9, smoothing: float | None = None, start=None
) -> MaceFit:
    """MACE by EM with additive smoothing (crowd-kit's method "em"; 0.01 / K by default).

    Starts from `start` = (competence (J,), strategy (J, K)), by default every reviewer half
    competent with a uniform habit, which is symmetric in the categories, so the first E-step is
    a vote. Stops after `max_iter` M-steps or when the log likelihood rises by less than `tol`.
    """
    k = labels.n_categories
    smoothing = 0.01 / k if smoothing is None else smoothing
    if start is None:
        competence, strategy = np.full(labels.n_coders, 0.5), np.full((labels.n_coders, k), 1.0 / k)
    else:
        competence, strategy = (np.array(part, float) for part in start)
    posterior, log_likelihood, knowing, counts = _mace_e_step(labels, competence, strategy)
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        competence = _smoothed(knowing, smoothing)[:, 1]
        strategy = _smoothed(counts, smoothing)
        before = log_likelihood
        posterior, log_likelihood, knowing, counts = _mace_e_step(labels, competence, strategy)
        if abs(log_likelihood - before) < tol:
            break
    return MaceFit(posterior, competence, strategy, log_likelihood, iterations)


def uncertainty(posterior: np.ndarray) -> np.ndarray:
    """(I,): one minus the most probable category's posterior: 0 when the model is sure, (K-1)/K at most."""
    return 1.0 - posterior.max(axis=1) if len(posterior) else np.zeros(0)


def entropy_bits(posterior: np.ndarray) -> np.ndarray:
    """(I,): the posterior's entropy in bits."""
    safe = np.where(posterior > 0, posterior, 1.0)
    return -(posterior * np.log2(safe)).sum(axis=1)


def _resample(labels: Labels, groups: list[np.ndarray], rng) -> Labels:
    """The labels of the study's articles drawn with replacement (`groups`: each article's label rows), each
    drawn copy's sentences counted as sentences of their own."""
    drawn = rng.integers(0, len(groups), len(groups))
    rows = np.concatenate([groups[a] for a in drawn])
    copy = np.repeat(np.arange(len(drawn)), [len(groups[a]) for a in drawn])
    _, items = np.unique(labels.items[rows] * len(drawn) + copy, return_inverse=True)
    items = items.ravel()
    return Labels(
        items,
        labels.coders[rows],
        labels.categories[rows],
        int(items.max()) + 1 if len(items) else 0,
        labels.n_coders,
        labels.n_categories,
    )


def bootstrap(labels: Labels, *, resamples: int = RESAMPLES, seed: int = 0, min_articles: int = 20) -> dict:
    """95% percentile intervals of each reviewer's MACE competence and Dawid-Skene confusion matrix.

    Each resample draws the study's articles with replacement and refits both models, started from
    the fit to every label (which only shortens the climb to the resample's own fit).
    A reviewer absent from a resample (none of their articles drawn) leaves it out of their
    interval. Withheld (`reason`) with fewer than `min_articles` articles.
    """
    j, k = labels.n_coders, labels.n_categories
    articles = 0 if labels.article is None else len(np.unique(labels.article[labels.items]))
    empty = {"competence": None, "confusion": None, "resamples": 0, "articles": articles}
    if labels.article is None or articles < min_articles:
        return empty | {"reason": "too_few_articles", "min_articles": min_articles}
    label_article = labels.article[labels.items]
    order = np.argsort(label_article, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(label_article[order])) + 1)
    full_mace, full_ds = mace(labels), dawid_skene(labels)
    rng = np.random.default_rng(seed)
    competences = np.full((resamples, j), np.nan)
    confusions = np.full((resamples, j, k, k), np.nan)
    for r in range(resamples):
        sample = _resample(labels, groups, rng)
        present = np.zeros(j, bool)
        present[sample.coders] = True
        fitted = mace(
            sample, max_iter=200, tol=1e-6 * len(sample.items), start=(full_mace.competence, full_mace.strategy)
        )
        competences[r, present] = fitted.competence[present]
        ds = dawid_skene(sample, max_iter=200, tol=1e-4, start=(full_ds.prior, full_ds.confusion))
        confusions[r, present] = ds.confusion[present]
    with warnings.catch_warnings():  # a reviewer in no resample has an all-NaN column: their interval is NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        competence = np.nanpercentile(competences, [2.5, 97.5], axis=0)
        confusion = np.nanpercentile(confusions, [2.5, 97.5], axis=0)
    return {
        "competence": competence.T,  # (J, 2)
        "confusion": confusion.transpose(1, 2, 3, 0),  # (J, K, K, 2)
        "resamples": resamples,
        "articles": articles,
        "reason": None,
        "min_articles": min_articles,
    }
