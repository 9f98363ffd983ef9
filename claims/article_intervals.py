"""Alpha's interval and Krippendorff's q when sentences are nested in articles: the bootstrap resamples articles.

Sentences of one article share its topic, its writer's style and its mix of claims, quotes and
opinions, so they are not independent draws: an interval that resamples sentences one by one
treats 400 sentences from 10 articles as if they were 400 articles and comes out too narrow
(Lede's own simulation covered 0.62-0.84 at a nominal 95%). Here the unit of resampling is the
article: each resample draws as many articles as the study has, with replacement, and keeps all
of each drawn article's sentences. Everything is summed from per-article count patterns, so an
article costs its few distinct patterns, not its sentences.

The interval is the expanded BCa interval (Efron 1987; Hesterberg 2015) with the article as the
unit: the bias correction from the share of resamples below the estimate, the acceleration from
the leave-one-article-out alphas, and the normal quantile widened to sqrt(A / (A - 1)) t_{A-1}
for A articles. Krippendorff's q (Hayes & Krippendorff 2007) is the share of resamples whose
alpha falls below a minimum acceptable alpha. No Django import.
"""

import numpy as np

from claims.coincidences import NORMAL, alpha_from_coincidences, pattern_coincidences, t_quantile

# Fewer articles with a pairable sentence than this get no interval and no q. Lede's seeded simulation of
# clustered studies (bench/article_interval_coverage.py, 400 studies a cell; the table in
# docs/researchers/intervals.md; checked by tests/claims/test_article_interval_coverage.py) covered 0.935-0.970
# in each of its 12 scenarios at 20 articles and 0.915-0.960 (mean 0.941) at 30 and 40, but 0.87-0.93 at 5
# and single scenarios down to 0.905 at 10 and 15.
MIN_INTERVAL_ARTICLES = 20
# Krippendorff's (2004) conventional minima: .800 to rely on data, .667 for tentative conclusions.
ALPHA_MINIMA = (0.667, 0.8)
INTERVAL_METHOD = (
    "expanded BCa bootstrap over articles: each resample draws the study's articles with replacement and keeps "
    "every sentence of a drawn article"
)

# Resamples are drawn in chunks so memory stays bounded whatever their number.
_CHUNK_CELLS = 4_000_000


def article_coincidences(patterns: np.ndarray, by_article: np.ndarray) -> np.ndarray:
    """(A, K, K): each article's contribution to the coincidence matrix, from its pattern counts (A, P).

    With one row of counts (P,) it is that one article's (K, K).
    """
    labels = patterns.sum(axis=1)
    pairable = labels >= 2
    per_pattern = np.zeros((len(patterns), patterns.shape[1], patterns.shape[1]))
    if pairable.any():
        per_pattern[pairable] = pattern_coincidences(patterns[pairable])
    return np.einsum("...p,pkl->...kl", np.asarray(by_article, float), per_pattern)


def bootstrap_alphas(coincidences: np.ndarray, level: str, scale, *, resamples: int, seed: int) -> np.ndarray:
    """(resamples,) alphas of resamples of the A articles (coincidences (A, K, K)), NaN where undefined."""
    articles, k = coincidences.shape[0], coincidences.shape[1]
    flat = coincidences.reshape(articles, -1)
    rng = np.random.default_rng(seed)
    chunk = max(1, _CHUNK_CELLS // max(1, articles + k * k))
    alphas = []
    for start in range(0, resamples, chunk):
        drawn = rng.multinomial(articles, np.full(articles, 1.0 / articles), size=min(chunk, resamples - start))
        alphas.append(alpha_from_coincidences((drawn.astype(float) @ flat).reshape(-1, k, k), level, scale))
    return np.concatenate(alphas) if alphas else np.zeros(0)


def expanded_bca(estimate: float, alphas: np.ndarray, without_one: np.ndarray, confidence: float) -> list[float]:
    """The expanded BCa limits from bootstrap `alphas` (finite) and the leave-one-cluster-out estimates."""
    clusters = len(without_one)
    resamples = len(alphas)
    below = (alphas < estimate).sum() + 0.5 * (alphas == estimate).sum()
    bias = NORMAL.inv_cdf(min(max(below / resamples, 0.5 / resamples), 1.0 - 0.5 / resamples))
    spread = without_one.mean() - without_one
    squares = (spread**2).sum()
    acceleration = (spread**3).sum() / (6.0 * squares**1.5) if squares > 0 else 0.0
    tail = (1.0 - confidence) / 2.0
    widen = np.sqrt(clusters / (clusters - 1.0))
    limits = []
    for p in (tail, 1.0 - tail):
        shifted = bias + widen * t_quantile(p, clusters - 1)
        denominator = 1.0 - acceleration * shifted
        z = bias + shifted / denominator if denominator > 0 else (np.inf if p > 0.5 else -np.inf)
        level = NORMAL.cdf(z) if np.isfinite(z) else float(z > 0)
        limits.append(float(np.quantile(alphas, min(max(level, 0.0), 1.0))))
    return limits


def article_interval(
    coincidences: np.ndarray,
    level: str,
    scale,
    *,
    resamples: int,
    seed: int,
    confidence: float = 0.95,
    minima=ALPHA_MINIMA,
    min_articles: int = MIN_INTERVAL_ARTICLES,
) -> dict:
    """Alpha's interval over articles and Krippendorff's q for each of `minima`, with the reason where none.

    `coincidences` (A, K, K) holds each article's contribution to the coincidence matrix
    (`article_coincidences`). Reasons: "not_enough_units" (no sentence with two labels),
    "no_variation", "too_few_articles" (fewer than MIN_INTERVAL_ARTICLES articles with such a
    sentence; `min_articles` lets the coverage bench look below it), "no_disagreement",
    "no_resamples". `q` lists {"alpha_min", "q"}: the share of resamples (alpha defined) below
    alpha_min, beside the interval's lower limit, as Hayes and Krippendorff (2007) report both.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    coincidences = np.asarray(coincidences, float)
    coincidences = coincidences[coincidences.sum(axis=(1, 2)) > 0]
    answer = {
        "ci": None,
        "reason": None,
        "articles": len(coincidences),
        "min_articles": min_articles,
        "resamples": int(resamples),
        "undefined_resamples": 0,
        "q": [],
    }
    if not len(coincidences):
        return answer | {"reason": "not_enough_units"}
    total = coincidences.sum(axis=0)
    estimate = alpha_from_coincidences(total, level, scale)
    if not np.isfinite(estimate):
        return answer | {"reason": "no_variation"}
    if len(coincidences) < min_articles:
        return answer | {"reason": "too_few_articles"}
    if np.trace(total) >= total.sum():
        return answer | {"reason": "no_disagreement"}
    if resamples < 1:
        return answer | {"reason": "no_resamples"}
    alphas = bootstrap_alphas(coincidences, level, scale, resamples=int(resamples), seed=seed)
    finite = np.sort(alphas[np.isfinite(alphas)])
    answer["undefined_resamples"] = int(len(alphas) - len(finite))
    if not len(finite):
        return answer | {"reason": "no_variation"}
    without_one = alpha_from_coincidences(total[None] - coincidences, level, scale)
    limits = expanded_bca(float(estimate), finite, without_one[np.isfinite(without_one)], confidence)
    answer["ci"] = limits
    answer["q"] = [{"alpha_min": float(m), "q": float((finite < m).mean())} for m in minima]
    return answer


def one_versus_rest(coincidences: np.ndarray, category: int) -> np.ndarray:
    """(..., 2, 2) coincidences of `category` against every other category pooled, for a label's own alpha."""
    inside = np.zeros(coincidences.shape[-1], bool)
    inside[category] = True
    rest = coincidences[..., ~inside, :]
    mine = coincidences[..., inside, :]
    return np.stack(
        [
            np.stack([rest[..., ~inside].sum(axis=(-2, -1)), rest[..., inside].sum(axis=(-2, -1))], -1),
            np.stack([mine[..., ~inside].sum(axis=(-2, -1)), mine[..., inside].sum(axis=(-2, -1))], -1),
        ],
        -2,
    )
