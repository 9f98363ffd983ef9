"""Alpha's interval holds at article sizes: a seeded simulation with a known population alpha.

Coders copy a unit's true category with probability r and otherwise draw a category from the
marginal p (the true categories follow p too). Two values of a unit then agree with probability
r^2 + (1 - r^2) sum p^2 and chance agreement is sum p^2, so population alpha is r^2 at every
level of agreement between coders and for any p; the first test checks it on a large sample.
Every sample is drawn and every interval computed in one batch (`bca_intervals`).
"""

import numpy as np
import pytest

from claims.agreement import MIN_INTERVAL_UNITS, bca_intervals, krippendorff_alpha
from claims.tallies import unit_counts as _unit_counts
from claims.tallies import unit_patterns as _unit_patterns

BALANCED, SKEWED = (1 / 3, 1 / 3, 1 / 3), (0.7, 0.2, 0.1)
SAMPLES = 400


def study(rng, samples: int, units: int, coders: int, r: float, p) -> np.ndarray:
    """(samples, units, coders) category indices from the copy-or-guess model."""
    truth = rng.choice(len(p), (samples, units, 1), p=p)
    guesses = rng.choice(len(p), (samples, units, coders), p=p)
    return np.where(rng.random((samples, units, coders)) < r, truth, guesses)


@pytest.mark.parametrize("p", [BALANCED, SKEWED])
def test_the_models_population_alpha_is_r_squared(p):
    data = study(np.random.default_rng(1), 1, 200_000, 3, 0.7, p)[0]
    assert krippendorff_alpha(data, n_categories=3).alpha == pytest.approx(0.49, abs=0.005)


@pytest.mark.parametrize("units", [MIN_INTERVAL_UNITS, 2 * MIN_INTERVAL_UNITS])
@pytest.mark.parametrize("coders", [2, 3, 5])
@pytest.mark.parametrize("p", [BALANCED, SKEWED], ids=["balanced", "skewed"])
@pytest.mark.parametrize("r", [0.5, 0.7, 0.9])
def test_95_percent_intervals_cover_population_alpha_at_least_93_percent_of_the_time(units, coders, p, r):
    data = study(np.random.default_rng(units * 100 + coders), SAMPLES, units, coders, r, p)
    counts = _unit_counts(data.reshape(-1, coders), 3).reshape(SAMPLES, units, 3)
    # Samples without any disagreement get no interval (no_disagreement), as in `alpha_interval`.
    disagreed = (counts.max(axis=2) < coders).any(axis=1)
    patterns, _, inverse = _unit_patterns(counts[disagreed].reshape(-1, 3))
    sample = np.repeat(np.arange(disagreed.sum()), units)
    frequency = np.zeros((disagreed.sum(), len(patterns)), dtype=np.int64)
    np.add.at(frequency, (sample, inverse), 1)

    limits, _ = bca_intervals(patterns, frequency, "nominal", None, resamples=1000, seed=0)

    covered = (limits[:, 0] <= r * r) & (r * r <= limits[:, 1])
    assert disagreed.mean() > 0.8
    assert covered.mean() >= 0.93
