"""Coverage of the reviewers' competence intervals (claims.competence.bootstrap) on seeded simulated panels.

Each study has ARTICLES articles of 8-20 sentences, five reviewers who label by the text with chance
COMPETENCE (else from a habit of their own, the one spammer always "0"), 15% of labels missing, and
articles that differ in their mix of categories. MACE is the true model here, so a reviewer's
competence is known; the script prints how often the 95% interval holds it, per reviewer and overall.
Run: .venv/bin/python bench/competence_coverage.py [studies] [articles] [resamples]
"""

import sys
import time

import numpy as np

from claims import competence

COMPETENCE = np.array([0.9, 0.8, 0.7, 0.6, 0.2])
HABITS = np.array([[1 / 3] * 3, [0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [1 / 3] * 3, [1.0, 0.0, 0.0]])


def study(rng, articles: int) -> competence.Labels:
    sizes = rng.integers(8, 21, articles)
    article = np.repeat(np.arange(articles), sizes)
    mixes = rng.dirichlet(np.array([0.5, 0.3, 0.2]) * 10, articles)[article]
    truth = (rng.random((len(article), 1)) > np.cumsum(mixes, axis=1)).sum(axis=1)
    items, coders, labels = [], [], []
    for coder, (skill, habit) in enumerate(zip(COMPETENCE, HABITS, strict=True)):
        present = rng.random(len(article)) > 0.15
        knows = rng.random(len(article)) < skill
        habitual = rng.choice(3, len(article), p=habit)
        given = np.where(knows, truth, habitual)
        items.append(np.flatnonzero(present))
        coders.append(np.full(present.sum(), coder))
        labels.append(given[present])
    return competence.Labels.of(
        np.concatenate(items), np.concatenate(coders), np.concatenate(labels), n_categories=3, n_coders=5,
        article=article,
    )  # fmt: skip


def main(studies: int = 60, articles: int = 30, resamples: int = 100) -> None:
    rng = np.random.default_rng(2026)
    covered = np.zeros(len(COMPETENCE))
    started = time.perf_counter()
    for _ in range(studies):
        found = competence.bootstrap(study(rng, articles), resamples=resamples, seed=int(rng.integers(1 << 31)))
        low, high = found["competence"].T
        covered += (low <= COMPETENCE) & (high >= COMPETENCE)
    rate = covered / studies
    print(f"{studies} studies of {articles} articles, {resamples} resamples, {time.perf_counter() - started:.0f} s")
    for skill, share in zip(COMPETENCE, rate, strict=True):
        print(f"  competence {skill:.1f}: 95% interval covered {share:.3f}")
    print(f"  overall {rate.mean():.3f} (nominal 0.95)")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
