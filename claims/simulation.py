"""Seeded simulated studies whose sentences are nested in articles, for the coverage of Lede's intervals.

Each article has its own mix of categories (a Dirichlet draw around the scheme's marginal) and
its own difficulty (a shift on the logit of the chance that a coder copies the sentence's true
category), and each coder their own skill, so sentences of one article agree alike and coders
differ. A coder copies the true category with that chance and otherwise guesses from the
article's mix; each label is missing with a fixed chance. No Django import: tests and
bench/article_interval_coverage.py share it.
"""

from dataclasses import dataclass

import numpy as np

from claims.tallies import unit_counts, unit_patterns


@dataclass(frozen=True)
class Scenario:
    name: str
    coders: int
    copy: float  # the chance a typical coder copies the true category (alpha is about its square)
    marginal: tuple  # the scheme's category shares
    article_sd: float  # spread of articles' difficulty on the logit scale
    mix_concentration: float  # Dirichlet concentration of an article's mix (small: articles differ more)
    coder_sd: float = 0.5  # spread of coders' skill on the logit scale
    missing: float = 0.15  # the chance a coder left a sentence unlabelled
    sentences: tuple = (8, 30)  # sentences per article, uniform between these


MILD = {"article_sd": 0.4, "mix_concentration": 20.0}
STRONG = {"article_sd": 1.0, "mix_concentration": 3.0}
SKEWED, BALANCED = (0.7, 0.2, 0.1), (1 / 3, 1 / 3, 1 / 3)


def _logit(p):
    return np.log(p / (1 - p))


def coder_skills(scenario: Scenario) -> np.ndarray:
    """The coders' skills (logit shifts): fixed for a scenario, evenly spread quantiles of N(0, coder_sd).

    Inference is about the population of articles coded by these coders, as in a real study,
    so the same coders code every simulated study of a scenario.
    """
    from statistics import NormalDist

    places = (np.arange(scenario.coders) + 0.5) / scenario.coders
    return np.array([NormalDist(0.0, scenario.coder_sd).inv_cdf(p) for p in places])


def study(rng, scenario: Scenario, articles: int) -> tuple[np.ndarray, np.ndarray]:
    """(units, K) label counts of one simulated study and each unit's article index."""
    k = len(scenario.marginal)
    sizes = rng.integers(scenario.sentences[0], scenario.sentences[1] + 1, articles)
    article = np.repeat(np.arange(articles), sizes)
    mixes = rng.dirichlet(scenario.mix_concentration * np.asarray(scenario.marginal), articles)
    shift = rng.normal(0.0, scenario.article_sd, articles)
    skill = coder_skills(scenario)
    copy = 1.0 / (1.0 + np.exp(-(_logit(scenario.copy) + shift[article][:, None] + skill[None, :])))
    cumulative = np.cumsum(mixes, axis=1)[article]
    truth = (rng.random((len(article), 1)) > cumulative).sum(axis=1, keepdims=True)
    guesses = (rng.random((len(article), scenario.coders, 1)) > cumulative[:, None, :]).sum(axis=2)
    data = np.where(rng.random(copy.shape) < copy, truth, guesses).clip(0, k - 1)
    data = np.where(rng.random(data.shape) < scenario.missing, -1, data)
    return unit_counts(data, k), article


def by_article(counts: np.ndarray, article: np.ndarray, articles: int) -> tuple[np.ndarray, np.ndarray]:
    """The study's distinct count patterns (P, K) and how many sentences of each article have each (A, P)."""
    patterns, _, inverse = unit_patterns(counts)
    table = np.zeros((articles, len(patterns)), np.int64)
    np.add.at(table, (article, inverse), 1)
    return patterns, table
