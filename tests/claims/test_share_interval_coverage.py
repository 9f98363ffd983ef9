"""The analyses' share intervals cover on clustered studies from MIN_GROUP_ARTICLES articles, and not at 5.

A bounded repeat of bench/share_interval_coverage.py (its table is in docs/researchers/intervals.md):
two scenarios where articles differ strongly, the hardest of the bench, 150 seeded studies each.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

from claims import analysis, simulation

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import share_interval_coverage as bench

HARD = [
    simulation.Scenario("strong, 2 coders, skewed", 2, 0.7, simulation.SKEWED, **simulation.STRONG),
    simulation.Scenario("strong, 3 coders, skewed", 3, 0.7, simulation.SKEWED, **simulation.STRONG),
]


@pytest.fixture(scope="module")
def truths():
    return [bench.population_shares(scenario) for scenario in HARD]


def test_shares_and_differences_cover_from_the_article_minimum(truths):
    shares, differences = zip(
        *(
            bench.coverage(scenario, analysis.MIN_GROUP_ARTICLES, 150, 300, truth)
            for scenario, truth in zip(HARD, truths, strict=True)
        ),
        strict=True,
    )
    assert np.mean(shares) >= 0.925
    assert min(shares) >= 0.9
    assert min(differences) >= 0.92


def test_five_articles_cover_too_little_to_be_shown(truths):
    shares = [bench.coverage(scenario, 5, 150, 300, truth)[0] for scenario, truth in zip(HARD, truths, strict=True)]
    assert np.mean(shares) < 0.91
