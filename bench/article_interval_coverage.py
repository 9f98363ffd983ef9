"""Coverage of alpha's 95% interval by article, and of the old one by sentence, on simulated clustered studies.

Prints, for each scenario (claims.simulation) and number of articles, the share of seeded studies
whose interval holds the population alpha (alpha of one study of 5,000 articles drawn the same
way). The table in docs/ comes from this script; tests/claims/test_article_interval_coverage.py
checks the cells that fix MIN_INTERVAL_ARTICLES.

    .venv/bin/python bench/article_interval_coverage.py --studies 300
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from claims import simulation
from claims.agreement import _alpha_from_counts, alpha_interval
from claims.article_intervals import article_coincidences, article_interval


def scenarios():
    for heterogeneity, spread in (("mild", simulation.MILD), ("strong", simulation.STRONG)):
        for coders in (2, 3, 5):
            for copy, marginal, mix in ((0.7, simulation.SKEWED, "skewed"), (0.85, simulation.BALANCED, "balanced")):
                name = f"{heterogeneity}, {coders} coders, {mix}, copy {copy}"
                yield simulation.Scenario(name, coders, copy, marginal, **spread)


def population_alpha(scenario) -> float:
    counts, _ = simulation.study(np.random.default_rng(12345), scenario, 5000)
    return _alpha_from_counts(counts, "nominal", None).alpha


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=300)
    parser.add_argument("--articles", default="5,10,15,20,30,40")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--sentence-interval", action="store_true", help="also the interval that resamples sentences")
    options = parser.parse_args()
    sizes = [int(x) for x in options.articles.split(",")]
    print(f"{options.studies} studies a cell, {options.resamples} resamples; coverage of the 95% interval by article")
    header = "| scenario | population alpha | " + " | ".join(f"{a} articles" for a in sizes) + " |"
    print(header)
    print("|" + " --- |" * (2 + len(sizes)))
    started = time.perf_counter()
    for scenario in scenarios():
        truth = population_alpha(scenario)
        cells = []
        for articles in sizes:
            rng = np.random.default_rng(articles * 1000 + scenario.coders)
            covered, defined, old_covered = 0, 0, 0
            for _ in range(options.studies):
                counts, article = simulation.study(rng, scenario, articles)
                patterns, table = simulation.by_article(counts, article, articles)
                coincidences = article_coincidences(patterns, table)
                answer = article_interval(
                    coincidences, "nominal", None, resamples=options.resamples, seed=0, min_articles=2
                )
                if answer["ci"] is not None:
                    defined += 1
                    covered += answer["ci"][0] <= truth <= answer["ci"][1]
                if options.sentence_interval:
                    old = alpha_interval(counts, "nominal", None, resamples=options.resamples, seed=0)
                    old_covered += old["ci"] is not None and old["ci"][0] <= truth <= old["ci"][1]
            cell = f"{covered / max(defined, 1):.3f}"
            if options.sentence_interval:
                cell += f" (by sentence {old_covered / options.studies:.3f})"
            cells.append(cell)
        print(f"| {scenario.name} | {truth:.3f} | " + " | ".join(cells) + " |", flush=True)
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
