"""Inter-annotator agreement statistics for sentence labels: NumPy arrays in, plain numbers out.

Every function takes ``data``, an integer array of shape (units, coders): ``data[u, c]`` is the
category index (0..K-1) that coder ``c`` gave unit ``u``, or -1 where ``c`` did not label ``u``.
Units are sentences, coders are reviewers. Nothing here imports Django.

Everything is computed from one (units, K) matrix of per-unit label counts, built in one pass
over the labels. Krippendorff's coincidence matrix, Fleiss' kappa, percent agreement, the
one-vs-rest alphas and the bootstrap are all sums over units of per-unit terms of that matrix.

Why this is written by hand rather than delegated (``bench/agreement_stats.py`` compares them):

- the ``krippendorff`` package computes alpha only. It wants a float coders x units matrix
  with NaN for missing, builds a (units, V, V) array (memory grows with V^2 per unit), returns
  NaN when alpha is undefined, reports no pairable counts and has no bootstrap. Our alpha is
  the same formula on the count matrix, faster and with less peak memory, so the package
  stays a test oracle, not a runtime dependency.
- NLTK's ``AnnotationTask`` is pure Python, far slower on thousands of units, and its kappa
  assumes every coder labelled every unit.
- statsmodels' ``fleiss_kappa`` needs a complete table with the same number of raters per
  unit and ``cohens_kappa`` a contingency table; both formulas are a few lines.

All three libraries serve as independent oracles in ``tests/claims``.

Undefined statistics are ``None``, never NaN and never an exception: fewer than two coders or
no unit with two labels; no variation at all (Krippendorff's expected disagreement D_e = 0,
which he calls alpha = 0/0, undefined; the ``krippendorff`` package returns NaN and NLTK 1.0);
a kappa whose chance agreement p_e is 1.
"""

from dataclasses import dataclass

import numpy as np

from claims import article_intervals, kappas, sample_size
from claims.coincidences import NORMAL, alpha_from_coincidences, pattern_coincidences, t_quantile
from claims.tallies import LabelSummary, confusion_matrix, summarize, unit_counts, unit_patterns

LEVELS = ("nominal", "ordinal", "interval")

# Fewer pairable units than this get no interval (see `alpha_interval`).
MIN_INTERVAL_UNITS = 50
INTERVAL_METHOD = "expanded BCa bootstrap over pairable units, resampled with replacement"


# Bootstrap resamples are drawn in chunks so memory stays bounded whatever ``resamples`` is.
_BOOTSTRAP_CHUNK_CELLS = 2_000_000


@dataclass(frozen=True)
class AlphaResult:
    alpha: float | None
    pairable_units: int  # units with at least two labels
    pairable_values: int  # labels in those units (Krippendorff's n..)

    @property
    def reason(self) -> str | None:
        """Why alpha is None: no unit with two labels, or no variation at all (D_e = 0)."""
        if self.alpha is not None:
            return None
        return "not_enough_units" if self.pairable_units == 0 else "no_variation"


# --- input -------------------------------------------------------------------------------


def _as_data(data) -> np.ndarray:
    array = np.asarray(data)
    if array.size == 0:
        return array.reshape(array.shape if array.ndim == 2 else (0, 0)).astype(np.int64)
    if array.ndim != 2:
        raise ValueError(f"data must be 2-D (units, coders), got shape {array.shape}")
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"data must hold integer category indices, got {array.dtype}")
    return array


def _check_level(level: str, values, n_categories: int) -> np.ndarray | None:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    if level != "interval":
        return None
    # Without explicit values, the interval scale is the category index itself.
    scale = np.arange(n_categories, dtype=float) if values is None else np.asarray(values, float)
    if scale.shape != (n_categories,) or not np.isfinite(scale).all():
        raise ValueError(f"interval level needs {n_categories} finite category values")
    return scale


def _finite(value) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


# --- Krippendorff's alpha ----------------------------------------------------------------


def _alpha_of_patterns(patterns: np.ndarray, weights: np.ndarray, level, scale) -> AlphaResult:
    """Alpha of a sample given as count patterns and how many units have each (rows may repeat)."""
    labels = patterns.sum(axis=1)
    pairable = (labels >= 2) & (weights > 0)
    if not pairable.any():
        return AlphaResult(None, 0, 0)
    weights = weights[pairable].astype(float)
    coincidences = np.einsum("p,pkl->kl", weights, pattern_coincidences(patterns[pairable]))
    alpha = alpha_from_coincidences(coincidences, level, scale)
    return AlphaResult(_finite(alpha), int(weights.sum()), int(weights @ labels[pairable]))


def _alpha_from_counts(counts: np.ndarray, level: str, scale) -> AlphaResult:
    """Alpha of a (units, K) count matrix, through its table of count patterns as every report computes it."""
    patterns, frequency, _ = unit_patterns(counts)
    return _alpha_of_patterns(patterns, frequency, level, scale)


def krippendorff_alpha(data, *, n_categories: int, level="nominal", values=None) -> AlphaResult:
    """Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability").

    ``level`` picks the metric: nominal; ordinal (categories in scale order, distances from the
    marginal frequencies); interval (``values`` gives each category's number, default 0..K-1).
    """
    scale = _check_level(level, values, n_categories)
    return _alpha_from_counts(unit_counts(_as_data(data), n_categories), level, scale)


# --- bootstrap ---------------------------------------------------------------------------


def resampled_frequencies(frequency: np.ndarray, resamples: int, seed: int):
    """Chunks of (b, R, P) bootstrap draws: how often each pattern is drawn when each of R samples is
    resampled with replacement, ``resamples`` times in all, from ``numpy.random.default_rng(seed)``.

    Drawing units uniformly with replacement is the same as drawing how many times each distinct
    count pattern appears from a multinomial: it costs the number of patterns, not of units (at
    most 252 for 5 coders and 5 categories). Chunks keep memory bounded whatever ``resamples`` is.
    """
    frequency = np.atleast_2d(frequency)
    units = frequency.sum(axis=1)
    rng = np.random.default_rng(seed)
    chunk = max(1, _BOOTSTRAP_CHUNK_CELLS // frequency.size)
    for start in range(0, resamples, chunk):
        size = (min(chunk, resamples - start), len(frequency))
        yield rng.multinomial(units, frequency / units[:, None], size=size)


def _bootstrap_alphas(per_pattern, frequency, level, scale, resamples: int, seed: int) -> np.ndarray:
    """(resamples, R) alphas of bootstrap resamples of R samples given as pattern frequencies (R, P)."""
    flat = per_pattern.reshape(len(per_pattern), -1)
    k = per_pattern.shape[-1]
    alphas = []
    for draws in resampled_frequencies(frequency, resamples, seed):
        coincidences = (draws.astype(float) @ flat).reshape(*draws.shape[:2], k, k)  # BLAS
        alphas.append(alpha_from_coincidences(coincidences, level, scale))
    return np.concatenate(alphas)


def bca_intervals(patterns, frequency, level, scale, *, resamples: int, seed: int, confidence=0.95):
    """Expanded BCa intervals of alpha for R samples at once; returns ((R, 2) limits, (R,) undefined resamples).

    Each sample is ``frequency[r]``, how many of its units have each row of ``patterns`` (every
    unit pairable). The bias-corrected and accelerated percentile interval (Efron 1987) takes the
    bootstrap alphas' quantiles at levels shifted by the median bias z0 (the share of resamples
    below the sample's alpha) and the acceleration a (the skewness of the leave-one-unit-out
    alphas, computed per pattern). The normal quantile it starts from is widened to
    sqrt(n / (n - 1)) t_{n-1}, as Hesterberg's (2015) expanded percentile interval does: a
    bootstrap from n units is too narrow by about that much. Resamples where alpha is undefined
    are left out and counted. Limits are NaN where every resample is undefined.
    """
    per_pattern = pattern_coincidences(patterns)
    drawn = np.atleast_2d(frequency).astype(np.int64)
    frequency = drawn.astype(float)
    units = frequency.sum(axis=1)
    coincidences = np.einsum("rp,pkl->rkl", frequency, per_pattern)
    alpha = alpha_from_coincidences(coincidences, level, scale)
    without_one = alpha_from_coincidences(coincidences[:, None] - per_pattern[None], level, scale)
    weight = np.where(np.isfinite(without_one) & (frequency > 0), frequency, 0.0)
    without_one = np.nan_to_num(without_one)
    spread = (weight * without_one).sum(axis=1, keepdims=True) / weight.sum(axis=1, keepdims=True) - without_one
    squares = (weight * spread**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        acceleration = np.where(squares > 0, (weight * spread**3).sum(axis=1) / (6.0 * squares**1.5), 0.0)

    alphas = np.sort(_bootstrap_alphas(per_pattern, drawn, level, scale, resamples, seed), axis=0)  # NaN last
    defined = np.isfinite(alphas).sum(axis=0)
    below = (alphas < alpha).sum(axis=0) + 0.5 * (alphas == alpha).sum(axis=0)
    share = np.clip(below / np.maximum(defined, 1), 0.5 / resamples, 1.0 - 0.5 / resamples)
    bias = np.array([NORMAL.inv_cdf(x) for x in share])
    limits = np.full((len(frequency), 2), np.nan)
    tail = (1.0 - confidence) / 2.0
    for r in np.flatnonzero(defined):
        n = units[r]
        expanded = np.sqrt(n / (n - 1.0)) * np.array([t_quantile(tail, n - 1), t_quantile(1.0 - tail, n - 1)])
        shifted = bias[r] + expanded
        with np.errstate(divide="ignore"):
            z = bias[r] + shifted / (1.0 - acceleration[r] * shifted)
        levels = [NORMAL.cdf(x) if np.isfinite(x) else float(x > 0) for x in z]
        limits[r] = np.quantile(alphas[: defined[r], r], np.clip(levels, 0.0, 1.0))
    return limits, len(alphas) - defined


def bootstrap_alpha_ci(
    data,
    *,
    n_categories: int,
    level="nominal",
    values=None,
    resamples=1000,
    seed=0,
    confidence=0.95,
) -> tuple[float, float] | None:
    """Bootstrap interval for Krippendorff's alpha; None where there is none.

    See `alpha_interval`, which also says why there is none and how many resamples were undefined.
    """
    scale = _check_level(level, values, n_categories)
    counts = unit_counts(_as_data(data), n_categories)
    interval = alpha_interval(counts, level, scale, resamples=resamples, seed=seed, confidence=confidence)
    return None if interval["ci"] is None else (interval["ci"][0], interval["ci"][1])


def alpha_interval(counts, level, scale, *, resamples: int, seed: int, confidence=0.95) -> dict:
    """The interval of alpha over a (units, K) count matrix, with its resamples and its reason if none.

    `bca_intervals` over the units with at least two labels, resampled with replacement
    ``resamples`` times from ``numpy.random.default_rng(seed)``. Resamples where alpha is
    undefined (no variation) are counted in ``undefined_resamples`` and left out.

    No interval below MIN_INTERVAL_UNITS pairable units ("too_few_units"). A seeded simulation
    (tests/claims/test_interval_coverage.py: coders copy a true category with probability r,
    else draw from the marginal, so population alpha is r^2) shows 95% intervals covering at
    least 93% of the time from 50 pairable units up, with 2, 3 or 5 coders, balanced or skewed
    (0.7/0.2/0.1) categories and r = 0.5, 0.7, 0.9. Below that no method tried held where
    categories are skewed and alpha low (r = 0.5): at 20 units the percentile bootstrap, BCa,
    jackknife-t (raw or on log(1 - alpha)) and bootstrap-t covered 0.87-0.92, and this interval
    0.92 at 20, 0.91-0.93 at 30 and 0.92-0.94 at 40 units (3 coders), mostly missing above the interval;
    so a smaller sample gets a reason, not an interval that would overstate certainty. None either
    when no unit is disagreed on ("no_disagreement"): every resample is the sample, and a
    zero-width interval would claim a certainty the data cannot give.
    """
    counts = counts[counts.sum(axis=1) >= 2]
    patterns, frequency, _ = unit_patterns(counts)
    return alpha_interval_of_patterns(
        patterns, frequency, level, scale, resamples=resamples, seed=seed, confidence=confidence
    )


def alpha_interval_of_patterns(patterns, frequency, level, scale, *, resamples: int, seed: int, confidence=0.95):
    """`alpha_interval` of the units given as distinct count patterns (in `unit_patterns` order) and their frequencies.

    The resamples are drawn per pattern (`resampled_frequencies`), so the interval depends on
    the labels only through this table: a project's interval is the same whether its table was
    counted from every label or summed from its documents' tables.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    pairable = (patterns.sum(axis=1) >= 2) & (frequency > 0)
    patterns, frequency = patterns[pairable], frequency[pairable]
    answer = {"ci": None, "reason": None, "resamples": int(resamples), "undefined_resamples": 0}
    alpha = _alpha_of_patterns(patterns, frequency, level, scale)
    if alpha.reason is not None:
        return answer | {"reason": alpha.reason}
    if frequency.sum() < MIN_INTERVAL_UNITS:
        return answer | {"reason": "too_few_units"}
    if not (patterns.max(axis=1) < patterns.sum(axis=1)).any():
        return answer | {"reason": "no_disagreement"}
    if resamples < 1:
        return answer | {"reason": "no_resamples"}
    limits, undefined = bca_intervals(
        patterns, frequency, level, scale, resamples=int(resamples), seed=seed, confidence=confidence
    )
    answer["undefined_resamples"] = int(undefined[0])
    if not np.isfinite(limits[0]).all():
        return answer | {"reason": "no_variation"}
    return answer | {"ci": [float(x) for x in limits[0]]}


# --- kappas and agreement ----------------------------------------------------------------


def _kappa_from_confusion(matrix: np.ndarray) -> float | None:
    total = int(matrix.sum())
    chance = int(matrix.sum(axis=1) @ matrix.sum(axis=0))  # p_e * total^2, exact
    if total == 0 or chance == total * total:
        return None
    observed = np.trace(matrix) / total
    expected = chance / (total * total)
    return _finite((observed - expected) / (1.0 - expected))


def cohen_kappa(a, b, *, n_categories: int) -> float | None:
    """Cohen's (1960) kappa over the units both coders labelled; None if none or p_e = 1."""
    return _kappa_from_confusion(confusion_matrix(a, b, n_categories=n_categories))


def _unit_pair_agreement(counts: np.ndarray) -> np.ndarray:
    """Per unit, the share of coder pairs that agree; NaN for units with fewer than 2 labels."""
    labels = counts.sum(axis=1)
    pairs = labels * (labels - 1)
    agreeing = (counts * (counts - 1)).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pairs > 0, agreeing / pairs, np.nan)


def percent_agreement(data) -> float | None:
    """Mean over pairable units of the share of coder pairs in the unit that agree.

    Every unit with at least two labels weighs the same, whatever its number of coders; with
    the same number of coders per unit this is Fleiss' (1971) P-bar, and for two coders the
    plain proportion of units on which they agree. None without pairable units.
    """
    data = _as_data(data)
    n_categories = int(data.max()) + 1 if data.size else 0
    agreement = _unit_pair_agreement(unit_counts(data, max(n_categories, 1)))
    agreement = agreement[np.isfinite(agreement)]
    return float(agreement.mean()) if agreement.size else None


def fleiss_kappa(data, *, n_categories: int, level="nominal", values=None) -> kappas.Coefficient:
    """Fleiss' kappa generalized to any number of labels per unit, weighted as the level is (`claims.kappas`)."""
    weights = kappas.weights_for(level, n_categories, _check_level(level, values, n_categories))
    return kappas.fleiss_kappa(unit_counts(_as_data(data), n_categories), weights.matrix)


def gwet_ac(data, *, n_categories: int, level="nominal", values=None) -> kappas.Coefficient:
    """Gwet's AC1 (nominal) or AC2 (ordinal, interval weights) over any number of labels per unit."""
    weights = kappas.weights_for(level, n_categories, _check_level(level, values, n_categories))
    return kappas.gwet_ac(unit_counts(_as_data(data), n_categories), weights.matrix)


# --- report ------------------------------------------------------------------------------


def _coefficient_dict(name: str, coefficient: kappas.Coefficient, weights: kappas.Weights) -> dict:
    return {
        "name": name,
        "value": coefficient.value,
        "se": coefficient.se,
        "units": coefficient.units,
        "pairable_units": coefficient.pairable_units,
        "weights": weights.name,
        "reason": coefficient.reason,
    }


def _reviewers(summary: LabelSummary, coders, level, scale) -> list[dict]:
    """Per reviewer: labels, agreement with the others and alpha without them (agreement over their own time is
    `claims.time_drift`'s, which the project report adds).

    Alpha without a reviewer needs no pass over the units: a unit whose count pattern is p and
    where the reviewer gave category k becomes pattern p - e_k without them, so the sample
    without the reviewer is the (pattern, k) table `summary.given` holds.
    """
    rows = []
    patterns, frequency = summary.patterns, summary.frequency
    k = summary.n_categories
    labels = patterns.sum(axis=1)
    overall = _alpha_of_patterns(patterns, frequency, level, scale).alpha
    reduced = np.repeat(patterns, k, axis=0) - np.tile(np.eye(k, dtype=patterns.dtype), (len(patterns), 1))
    for c, name in enumerate(coders):
        given = summary.given[c]
        untouched = frequency - given.sum(axis=1)
        without = _alpha_of_patterns(
            np.concatenate([patterns, reduced]), np.concatenate([untouched, given.ravel()]), level, scale
        )
        # A reviewer's pairings on a unit: one with each other label; they agree where the label is theirs.
        agreeing = int((given * (patterns - 1)).sum())
        pairings = int((given * (labels - 1)[:, None]).sum())
        rows.append(
            {
                "reviewer": name,
                "labels": int(given.sum()),
                "agreement_with_others": agreeing / pairings if pairings else None,
                "pairs": pairings,
                "alpha_without": without.alpha,
                "alpha_without_reason": without.reason,
                "alpha_change": None if without.alpha is None or overall is None else without.alpha - overall,
            }
        )
    return rows


def compute_agreement(
    data,
    *,
    coders: list[str],
    categories: list[str],
    level="nominal",
    values=None,
    resamples=1000,
    seed=0,
    articles=None,
    alpha_min=None,
) -> dict:
    """Every agreement figure of a (units, coders) label array, as `agreement_from_tallies` gives them.

    `articles`, where given, is each unit's article (any integer key): alpha's interval then
    resamples articles (`claims.article_intervals`).
    """
    data = _as_data(data)
    k = len(categories)
    if data.size == 0:
        data = np.full((data.shape[0], len(coders)), -1, dtype=np.int64)
    if data.shape[1] != len(coders):
        raise ValueError(f"data has {data.shape[1]} coders, {len(coders)} names given")
    by_article = None
    if articles is not None:
        counts = unit_counts(data, k)
        patterns, _, inverse = unit_patterns(counts)
        _, article = np.unique(np.asarray(articles), return_inverse=True)
        table = np.zeros((article.max(initial=-1) + 1, len(patterns)), np.int64)
        np.add.at(table, (article.ravel(), inverse), 1)
        by_article = article_intervals.article_coincidences(patterns, table)
    return agreement_from_tallies(
        summarize(data, k),
        coders=coders,
        categories=categories,
        level=level,
        values=values,
        resamples=resamples,
        seed=seed,
        articles=by_article,
        alpha_min=alpha_min,
    )


def agreement_from_tallies(
    summary: LabelSummary,
    *,
    coders: list[str],
    categories: list[str],
    level="nominal",
    values=None,
    resamples=1000,
    seed=0,
    articles=None,
    alpha_min=None,
) -> dict:
    """Every agreement figure for one project, as a JSON-safe dict of plain Python values.

    `summary` holds the coders in the order of `coders` (their names). Every
    figure comes with the units it is computed over, and every null with a reason code
    (`not_enough_units`, `no_variation`, `one_category`, `too_few_units`, `no_disagreement`).
    Fleiss' kappa, Gwet's AC and the pairwise weighted kappa use the weights of the level
    (`kappas.weights_for`): identity on a nominal scale, so they are the unweighted figures there.
    ``percent_agreement_weighted`` is the weighted percent agreement they correct for chance
    (Gwet's p_a, mean over pairable units): the plain percent agreement on a nominal scale. On
    ordinal and interval scales each pair also has its ``weighted_percent_agreement``.

    ``confusion.pooled`` counts ordered pairs of labels given to the same unit by two
    different coders: the sum over coder pairs of M + M^T, so it is symmetric and integer.
    It is Krippendorff's coincidence matrix without the 1 / (m_u - 1) weight per unit.

    `articles`, where given, is each article's contribution to the coincidence matrix (A, K, K):
    sentences are nested in those articles, so alpha's interval, the label alphas' intervals and
    Krippendorff's q resample articles (`claims.article_intervals`). Without it (one article's own
    report) the interval resamples sentences.

    `alpha_min`, a lead's own smallest acceptable alpha, adds its Krippendorff's q beside .667 and
    .800 and is the minimum `sample_size` plans for (.800 without it).
    """
    k = len(categories)
    if summary.n_categories != k or len(summary.coders) != len(coders):
        raise ValueError(f"the tallies have {summary.n_categories} categories and {len(summary.coders)} coders")
    scale = _check_level(level, values, k)
    patterns, frequency = summary.patterns, summary.frequency
    weights = kappas.weights_for(level, k, scale)

    alpha = _alpha_of_patterns(patterns, frequency, level, scale)
    if articles is None:
        interval = alpha_interval_of_patterns(patterns, frequency, level, scale, resamples=resamples, seed=seed)
        bootstrap = {"method": INTERVAL_METHOD, "unit": "sentence", "min_units": MIN_INTERVAL_UNITS}
    else:
        interval = article_intervals.article_interval(
            articles, level, scale, resamples=resamples, seed=seed, minima=_minima(alpha_min)
        )
        bootstrap = {
            "method": article_intervals.INTERVAL_METHOD,
            "unit": "article",
            "articles": interval["articles"],
            "min_articles": interval["min_articles"],
        }
    fleiss = kappas.fleiss_kappa(patterns, weights.matrix, frequency)
    gwet = kappas.gwet_ac(patterns, weights.matrix, frequency)
    agreement = _unit_pair_agreement(patterns)
    pairable = np.isfinite(agreement) & (frequency > 0)
    pairable_units = int(frequency[pairable].sum())

    by_coder = summary.given.sum(axis=1)
    labels_per_unit = patterns.sum(axis=1)
    per_label = {}
    for index, label in enumerate(categories):
        one_vs_rest = np.stack([labels_per_unit - patterns[:, index], patterns[:, index]], 1)
        label_alpha = _alpha_of_patterns(one_vs_rest, frequency, "nominal", None)
        per_label[label] = {
            "alpha": label_alpha.alpha,
            "reason": label_alpha.reason,
            **_label_interval(articles, index, label_alpha, resamples, seed),
            "pairable_units": label_alpha.pairable_units,
            "count": int(frequency @ patterns[:, index]) if len(patterns) else 0,
            "by_annotator": {c: int(by_coder[i, index]) for i, c in enumerate(coders)},
        }

    pairwise, pair_matrices = [], []
    for i in range(len(coders)):
        for j in range(i + 1, len(coders)):
            matrix = summary.pairs[i, j]
            n = int(matrix.sum())
            pair = {
                "a": coders[i],
                "b": coders[j],
                "cohen_kappa": _kappa_from_confusion(matrix),
                "percent_agreement": float(np.trace(matrix) / n) if n else None,
                "n": n,
                "reason": None if n else "not_enough_units",
            }
            if level != "nominal":
                pair["weighted_kappa"] = kappas.weighted_cohen_kappa(matrix, weights.matrix)
                pair["weighted_percent_agreement"] = kappas.weighted_agreement(matrix, weights.matrix)
                pair["weights"] = weights.name
            if n and pair["cohen_kappa"] is None:
                pair["reason"] = "no_variation"
            pairwise.append(pair)
            pair_matrices.append({"a": coders[i], "b": coders[j], "matrix": matrix.tolist()})
    pooled = patterns.T @ (patterns * frequency[:, None]) - np.diag(frequency @ patterns) if len(patterns) else 0
    pooled = np.zeros((k, k), np.int64) + pooled

    return {
        "units": int(frequency.sum()),
        "annotators": int((by_coder.sum(axis=1) > 0).sum()),
        "coders_per_sentence": _coders_per_sentence(labels_per_unit, frequency),
        "scale": level,
        "alpha": alpha.alpha,
        "alpha_reason": alpha.reason,
        "alpha_ci95": interval["ci"],
        "alpha_ci95_reason": interval["reason"],
        "alpha_q": interval.get("q", []),
        "alpha_min": alpha_min,
        "sample_size": _sample_plan(patterns, frequency, alpha_min, alpha.pairable_units, interval, bootstrap),
        "bootstrap": bootstrap
        | {"resamples": interval["resamples"], "undefined_resamples": interval["undefined_resamples"], "seed": seed},
        "pairable_units": alpha.pairable_units,
        "pairable_values": alpha.pairable_values,
        "weights": {"name": weights.name, "basis": weights.basis},
        "fleiss_kappa": fleiss.value,
        "fleiss": _coefficient_dict("Fleiss' kappa (generalized)", fleiss, weights),
        "gwet": _coefficient_dict("AC1" if weights.name == "identity" else "AC2", gwet, weights)
        | {
            # Gwet's chance agreement counts every category of the scheme, used or not: a label nobody gave still
            # changes AC1 and AC2 (Hayes & Krippendorff's data: AC1 .509 with their 4 values, .545 with a 5th unused).
            "categories": k,
            "unused_labels": [label for label in categories if per_label[label]["count"] == 0],
        },
        "percent_agreement": float(frequency[pairable] @ agreement[pairable] / pairable_units)
        if pairable_units
        else None,
        "percent_agreement_units": pairable_units,
        "percent_agreement_weighted": fleiss.observed,
        "per_label": per_label,
        "pairwise": pairwise,
        "reviewers": _reviewers(summary, coders, level, scale),
        "confusion": {"labels": list(categories), "pooled": pooled.tolist(), "pairs": pair_matrices},
    }


def _minima(alpha_min) -> tuple:
    """Krippendorff's .667 and .800, and the lead's own minimum where it is another."""
    if alpha_min is None or any(abs(alpha_min - m) < 1e-9 for m in article_intervals.ALPHA_MINIMA):
        return article_intervals.ALPHA_MINIMA
    return tuple(sorted((*article_intervals.ALPHA_MINIMA, float(alpha_min))))


def _sample_plan(patterns, frequency, alpha_min, pairable_units: int, interval: dict, bootstrap: dict) -> dict | None:
    """Krippendorff's sample size for the lead's minimum (.800 without one), and what else an interval waits for.

    The table assumes independent sentences; nested in articles, an interval also needs
    `min_articles` articles (`more_articles`).
    """
    pairable = patterns.sum(axis=1) >= 2 if len(patterns) else np.zeros(0, bool)
    marginals = frequency[pairable] @ patterns[pairable] if pairable.any() else []
    planned = sample_size.plan(0.8 if alpha_min is None else float(alpha_min), marginals, pairable_units)
    if planned is None:
        return None
    if bootstrap.get("unit") == "article":
        planned["more_articles"] = max(0, bootstrap["min_articles"] - interval["articles"])
    return planned


def _coders_per_sentence(labels_per_unit: np.ndarray, frequency: np.ndarray) -> dict | None:
    """Fewest, median and most reviewers' labels on a labelled sentence (each pattern counted as often as it occurs)."""
    labelled = (labels_per_unit > 0) & (frequency > 0)
    if not labelled.any():
        return None
    counts = np.repeat(labels_per_unit[labelled], frequency[labelled])
    return {"min": int(counts.min()), "median": float(np.median(counts)), "max": int(counts.max())}


def _label_interval(articles, index: int, label_alpha: AlphaResult, resamples: int, seed: int) -> dict:
    """A label's one-vs-rest alpha interval by article; nothing without articles (one article's report)."""
    if articles is None:
        return {}
    if label_alpha.alpha is None:
        return {"ci95": None, "ci95_reason": label_alpha.reason}
    interval = article_intervals.article_interval(
        article_intervals.one_versus_rest(articles, index), "nominal", None, resamples=resamples, seed=seed
    )
    return {"ci95": interval["ci"], "ci95_reason": interval["reason"]}


def sentence_disagreement(data, *, categories: list[str]) -> list[dict]:
    """Per unit: how many labels, the plurality label and how contested the unit is.

    ``plurality`` is the label chosen most often, None on a tie or without labels; with one
    label it is that label and ``labels`` says 1, which is not unanimity. ``plurality_share``
    is the top label's share of the unit's labels (also on ties).
    ``contested`` is the share of coder pairs on the unit that disagree (1 - the unit's
    percent agreement): 0 when all agree, 1 when no two coders agree; None with fewer than two
    labels, where nothing can be contested.
    """
    data = _as_data(data)
    counts = unit_counts(data, len(categories))
    labels = counts.sum(axis=1)
    top = counts.max(axis=1) if len(categories) else np.zeros(len(counts), np.int64)
    unique_top = (counts == top[:, None]).sum(axis=1) == 1
    plurality = counts.argmax(axis=1) if len(categories) else top
    contested = 1.0 - _unit_pair_agreement(counts)
    names = [categories[m] if unique else None for m, unique in zip(plurality, unique_top, strict=True)]
    # Plain Python lists up front: indexing a NumPy array per unit costs more than the row itself.
    rows = []
    for n, name, best, tally, contest in zip(
        labels.tolist(), names, top.tolist(), counts.tolist(), contested.tolist(), strict=True
    ):
        rows.append(
            {
                "labels": n,
                "plurality": name if n else None,
                "plurality_share": best / n if n else None,
                "counts": dict(zip(categories, tally, strict=True)),
                "contested": contest if n >= 2 else None,
            }
        )
    return rows
