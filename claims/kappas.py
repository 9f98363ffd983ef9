"""Chance-corrected agreement on a weighted scale: generalized Fleiss' kappa, Gwet's AC1/AC2, weighted Cohen's kappa.

The input is the (units, K) count matrix of `claims.agreement` (how many coders gave each
category to each unit), so any number of coders per unit is allowed. The formulas are those of
Gwet (2014), *Handbook of Inter-Rater Reliability*, 4th ed., chapters 2-5, as the `irrCAC`
package implements them (`CAC.fleiss`, `CAC.gwet`): the tests use it as the oracle.

- Fleiss' kappa, generalized: observed agreement p_a is the mean over units with two or more
  labels of the share of agreeing coder pairs (weighted); the category shares pi_k are averaged
  over every unit with at least one label, each unit weighing the same. With the same number of
  coders on every unit this is Fleiss (1971); with varying numbers it uses every label instead
  of a subset of units.
- Gwet's AC1 (identity weights) and AC2 (any other weights): the same p_a, and chance agreement
  p_e = T_w sum_k pi_k (1 - pi_k) / (q (q - 1)) over the q categories of the scheme.
- Standard errors are Gwet's linearized variance over units (his eq. 5.8 and 5.11, without
  finite-population correction): the spread of each unit's contribution to the coefficient.

A coefficient that cannot be computed is None with a reason code: "not_enough_units" (no unit
with two labels), "one_category" (a scheme of one label), "no_variation" (chance agreement 1).
"""

from dataclasses import dataclass

import numpy as np

# Chance agreement this close to 1 leaves a coefficient 0/0.
_CERTAIN = 1.0 - 1e-12


@dataclass(frozen=True)
class Weights:
    """How much partial credit two categories earn: 1 on the diagonal, 0 for the farthest pair."""

    name: str  # identity, linear or quadratic
    basis: str  # categories (nominal), ranks (ordinal: the scheme's order), values (interval)
    matrix: np.ndarray


@dataclass(frozen=True)
class Coefficient:
    value: float | None
    se: float | None
    units: int  # units with at least one label (Gwet's n)
    pairable_units: int  # units with at least two labels, over which agreement is observed
    reason: str | None  # why value is None
    observed: float | None = None  # p_a: the weighted percent agreement the coefficient corrects for chance


def weights_for(level: str, n_categories: int, values=None) -> Weights:
    """Identity on a nominal scale; linear on an ordinal scale's ranks; quadratic on interval values.

    Quadratic weights on the values are the interval metric of Krippendorff's alpha
    (1 - delta^2 / max delta^2), so the weighted figures measure what interval alpha does;
    linear weights on ranks credit near misses on an ordinal scale without assuming distances.
    """
    if level == "nominal" or n_categories < 2:
        return Weights("identity", "categories", np.eye(max(n_categories, 0)))
    if level == "ordinal":
        positions = np.arange(n_categories, dtype=float)
        distance = np.abs(positions[:, None] - positions[None, :])
        return Weights("linear", "ranks", 1.0 - distance / distance.max())
    scale = np.asarray(values, dtype=float)
    squared = (scale[:, None] - scale[None, :]) ** 2
    return Weights("quadratic", "values", 1.0 - squared / squared.max())


def _coefficient(counts: np.ndarray, weights: np.ndarray, chance, frequency=None) -> Coefficient:
    """p_a, p_e and Gwet's linearized variance, shared by Fleiss' kappa and AC1/AC2.

    `chance(pi, counts, labels)` returns p_e and each unit's p_e|i. With `frequency`, each row of
    `counts` stands for that many units (a table of count patterns, `claims.tallies`).
    """
    labels = counts.sum(axis=1)
    frequency = np.ones(len(counts)) if frequency is None else np.asarray(frequency, float)
    kept = (labels >= 1) & (frequency > 0)
    counts, labels, frequency = counts[kept].astype(float), labels[kept].astype(float), frequency[kept]
    units = int(frequency.sum())
    pairable = labels >= 2
    pairable_units = int(frequency[pairable].sum())
    if pairable_units == 0:
        return Coefficient(None, None, units, 0, "not_enough_units")
    if counts.shape[1] < 2:
        return Coefficient(None, None, units, pairable_units, "one_category")
    agreeing = (counts * (counts @ weights.T - 1.0)).sum(axis=1)
    unit_agreement = np.zeros(len(counts))
    unit_agreement[pairable] = agreeing[pairable] / (labels[pairable] * (labels[pairable] - 1.0))
    observed = (frequency[pairable] * unit_agreement[pairable]).sum() / pairable_units
    shares = (frequency[:, None] * (counts / labels[:, None])).sum(axis=0) / units
    expected, unit_expected = chance(shares, counts, labels)
    if expected >= _CERTAIN:
        return Coefficient(None, None, units, pairable_units, "no_variation", float(observed))
    value = (observed - expected) / (1.0 - expected)
    per_unit = (units / pairable_units) * (unit_agreement - expected * pairable) / (1.0 - expected)
    per_unit -= 2.0 * (1.0 - value) * (unit_expected - expected) / (1.0 - expected)
    spread = (frequency * (per_unit - value) ** 2).sum()
    se = float(np.sqrt(spread / (units * (units - 1.0)))) if units > 1 else None
    return Coefficient(float(value), se, units, pairable_units, None, float(observed))


def fleiss_kappa(counts: np.ndarray, weights: np.ndarray, frequency=None) -> Coefficient:
    """Fleiss' kappa generalized to any number of coders per unit (Gwet 2014, eq. 5.7), weighted."""

    def chance(shares, counts, labels):
        expected = float(shares @ weights @ shares)
        symmetric = (weights @ shares + weights.T @ shares) / 2.0
        return expected, counts @ symmetric / labels

    return _coefficient(counts, weights, chance, frequency)


def gwet_ac(counts: np.ndarray, weights: np.ndarray, frequency=None) -> Coefficient:
    """Gwet's AC1 with identity weights, AC2 with others (Gwet 2014, eq. 5.10), any coders per unit."""
    q = weights.shape[0]
    scale = weights.sum() / (q * (q - 1.0)) if q > 1 else 0.0

    def chance(shares, counts, labels):
        return float(scale * (shares * (1.0 - shares)).sum()), scale * (counts @ (1.0 - shares)) / labels

    return _coefficient(counts, weights, chance, frequency)


def weighted_agreement(confusion: np.ndarray, weights: np.ndarray) -> float | None:
    """One pair's mean credit per unit both labelled: 1 for the same label, the weight for a near miss."""
    total = confusion.sum()
    return float((weights * confusion).sum() / total) if total else None


def weighted_cohen_kappa(confusion: np.ndarray, weights: np.ndarray) -> float | None:
    """Cohen's (1968) weighted kappa of one pair's K x K confusion matrix; None without units or variation."""
    total = confusion.sum()
    if total == 0:
        return None
    shares = confusion / total
    expected = float(shares.sum(axis=1) @ weights @ shares.sum(axis=0))
    if expected >= _CERTAIN:
        return None
    return float(((weights * shares).sum() - expected) / (1.0 - expected))
