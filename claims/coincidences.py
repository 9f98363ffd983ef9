"""Krippendorff's alpha from a coincidence matrix: the primitives that the sentence and article bootstraps share.

No Django import.
"""

from statistics import NormalDist

import numpy as np

NORMAL = NormalDist()


def squared_distances(level: str, scale, marginals: np.ndarray) -> np.ndarray:
    """Krippendorff's delta^2 for every pair of categories; batched over leading axes.

    The ordinal metric depends on the pairable marginals n_c (Krippendorff 2011, p. 6):
    delta^2_ck = (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2.
    """
    k = marginals.shape[-1]
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "interval":
        return (scale[:, None] - scale[None, :]) ** 2
    low = np.minimum.outer(np.arange(k), np.arange(k))
    high = np.maximum.outer(np.arange(k), np.arange(k))
    cumulative = np.cumsum(marginals, axis=-1)
    between = cumulative[..., high] - cumulative[..., low] + marginals[..., low]
    ends = (marginals[..., :, None] + marginals[..., None, :]) / 2.0
    return (between - ends) ** 2


def alpha_from_coincidences(coincidences: np.ndarray, level: str, scale) -> np.ndarray:
    """alpha = 1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck; NaN where D_e = 0. Batched."""
    marginals = coincidences.sum(axis=-1)
    total = marginals.sum(axis=-1)
    distances = squared_distances(level, scale, marginals)
    observed = (coincidences * distances).sum(axis=(-2, -1))
    expected = np.einsum("...c,...k,...ck->...", marginals, marginals, distances)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (total - 1.0) * observed / expected
    return np.where(expected > 0, alpha, np.nan)


def pattern_coincidences(patterns: np.ndarray) -> np.ndarray:
    """(P, K, K): what one unit of each pattern adds to the coincidence matrix (all must be pairable)."""
    k = patterns.shape[1]
    labels = patterns.sum(axis=1)
    per_pattern = (patterns[:, :, None] * patterns[:, None, :]).astype(float)
    per_pattern[:, np.arange(k), np.arange(k)] -= patterns
    return per_pattern / (labels - 1)[:, None, None]


def t_quantile(p: float, df: int) -> float:
    """Student's t quantile by the Cornish-Fisher expansion (Abramowitz & Stegun 26.7.5), to 1e-5 from 10 df."""
    z = NORMAL.inv_cdf(p)
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )
