"""Coverage of the analyses' 95% intervals for a group's label shares, which resample the group's articles.

Seeded clustered studies (claims.simulation): for each scenario and number of articles in a group,
the share of studies whose interval for each label's share (every reviewer's label, each weighing
1/k on a sentence with k labels) holds the population share (that of one study of 5,000 articles
drawn the same way), and the same for the difference between two groups drawn from one population
(which is 0). The table in docs/researchers/intervals.md comes from this script;
tests/claims/test_share_interval_coverage.py checks the cells that fix MIN_GROUP_ARTICLES.

    .venv/bin/python bench/share_interval_coverage.py --studies 300
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from claims import analysis, simulation

SCHEME = analysis.Scheme(categories=["a", "b", "c"])


def scenarios():
    for heterogeneity, spread in (("mild", simulation.MILD), ("strong", simulation.STRONG)):
        for coders in (2, 3):
            for copy, marginal, mix in ((0.7, simulation.SKEWED, "skewed"), (0.85, simulation.BALANCED, "balanced")):
                name = f"{heterogeneity}, {coders} coders, {mix}"
                yield simulation.Scenario(name, coders, copy, marginal, **spread)


def units_of(counts: np.ndarray, first_article: int = 0):
    """The labels basis of a simulated study: each (sentence, category) weighing its count / the sentence's labels."""
    labels = counts.sum(axis=1)
    sentence, label = np.nonzero(counts)
    weight = counts[sentence, label] / labels[sentence]
    empty = np.zeros(0, np.int64)
    return analysis.Units(sentence, label, weight, np.zeros(len(sentence)), np.full(len(sentence), -1), empty, empty)


def population_shares(scenario) -> np.ndarray:
    counts, _ = simulation.study(np.random.default_rng(12345), scenario, 5000)
    counts = counts[counts.sum(axis=1) > 0]
    return (counts / counts.sum(axis=1, keepdims=True)).mean(axis=0)


def one_run(rng, scenario, articles: int, resamples: int, min_articles: int):
    """Two groups of `articles` articles each from one population: their shares' and difference's intervals."""
    counts, article = simulation.study(rng, scenario, 2 * articles)
    kept = counts.sum(axis=1) > 0
    counts, article = counts[kept], article[kept]
    sentences = analysis.Sentences(article=article, third=np.zeros(len(article), np.int8))
    groups = [("one", np.arange(articles)), ("two", np.arange(articles, 2 * articles))]
    return analysis.analyse(
        units_of(counts), sentences, groups, SCHEME, resamples=resamples, seed=int(rng.integers(1 << 30)),
        min_articles=min_articles,
    )  # fmt: skip


def coverage(scenario, articles: int, studies: int, resamples: int, truth: np.ndarray) -> tuple[float, float]:
    rng = np.random.default_rng(articles * 1000 + scenario.coders)
    held, counted, zero, differences = 0, 0, 0, 0
    for _ in range(studies):
        result = one_run(rng, scenario, articles, resamples, min_articles=2)
        group = result["groups"][0]
        for category, share in zip(SCHEME.categories, truth, strict=True):
            interval = group["shares"][category]["ci95"]
            if interval is not None:
                counted += 1
                held += interval[0] <= share <= interval[1]
        for category in SCHEME.categories:
            interval = result["differences"][0]["figures"][f"share:{category}"]["ci95"]
            if interval is not None:
                differences += 1
                zero += interval[0] <= 0 <= interval[1]
    return held / max(counted, 1), zero / max(differences, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=300)
    parser.add_argument("--articles", default="5,10,15,20,30,40")
    parser.add_argument("--resamples", type=int, default=1000)
    options = parser.parse_args()
    sizes = [int(x) for x in options.articles.split(",")]
    print(f"{options.studies} studies a cell, {options.resamples} resamples; coverage of a share (of a difference)")
    print("| scenario | " + " | ".join(f"{a} articles" for a in sizes) + " |")
    print("|" + " --- |" * (1 + len(sizes)))
    started = time.perf_counter()
    for scenario in scenarios():
        truth = population_shares(scenario)
        cells = []
        for articles in sizes:
            share, difference = coverage(scenario, articles, options.studies, options.resamples, truth)
            cells.append(f"{share:.3f} ({difference:.3f})")
        print(f"| {scenario.name} | " + " | ".join(cells) + " |", flush=True)
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
