"""Time the agreement statistics on a product-sized label matrix and compare with the libraries.

Run: .venv/bin/python bench/agreement_stats.py [--units 200000] [--coders 5] [--nltk-units 5000]
"""

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claims.agreement import (
    LEVELS,
    bootstrap_alpha_ci,
    compute_agreement,
    krippendorff_alpha,
)

CATEGORIES = ["claim", "quote", "opinion"]
# The whole agreement report on 200,000 sentences x 5 reviewers must stay under this (issue 11).
REPORT_BUDGET_S = 3.0


def label_matrix(units: int, coders: int, seed: int) -> np.ndarray:
    """Coders copy a per-sentence truth 70% of the time, else guess; 20% of labels missing."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(len(CATEGORIES), units, p=[0.5, 0.3, 0.2])
    guesses = rng.integers(0, len(CATEGORIES), (units, coders))
    data = np.where(rng.random((units, coders)) < 0.7, truth[:, None], guesses)
    data[rng.random((units, coders)) < 0.2] = -1
    return data


def timed(function, repeat=3):
    """Best wall time of ``repeat`` runs, and the last result."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_memory(function) -> float:
    """Peak Python-allocated memory (MiB) while ``function`` runs, NumPy buffers included."""
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def package_alpha(data, level):
    import krippendorff

    reliability = np.where(data < 0, np.nan, data.astype(float)).T
    domain = np.arange(len(CATEGORIES), dtype=float)
    return krippendorff.alpha(reliability, value_domain=domain, level_of_measurement=level)


def nltk_alpha(data):
    from nltk.metrics.agreement import AnnotationTask

    units, coders = np.nonzero(data >= 0)
    triples = [(str(c), str(u), int(data[u, c])) for u, c in zip(units, coders, strict=True)]
    return AnnotationTask(data=triples).alpha()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200_000)
    parser.add_argument("--coders", type=int, default=5)
    parser.add_argument("--nltk-units", type=int, default=5_000, help="NLTK is pure Python: subsample")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    data = label_matrix(args.units, args.coders, args.seed)
    k = len(CATEGORIES)
    labels = int((data >= 0).sum())
    print(
        f"{args.units:,} units x {args.coders} coders, {labels:,} labels "
        f"({1 - labels / data.size:.0%} missing), {k} categories, best of 3 runs\n"
    )

    print(f"{'level':<9} {'ours':>10} {'krippendorff pkg':>17} {'ours s':>8} {'pkg s':>8} {'match':>6}")
    for level in LEVELS:
        ours_s, ours = timed(lambda level=level: krippendorff_alpha(data, n_categories=k, level=level))
        pkg_s, theirs = timed(lambda level=level: package_alpha(data, level))
        match = abs(ours.alpha - theirs) < 1e-9
        print(f"{level:<9} {ours.alpha:>10.6f} {theirs:>17.6f} {ours_s:>8.3f} {pkg_s:>8.3f} {match!s:>6}")

    boot_s, interval = timed(lambda: bootstrap_alpha_ci(data, n_categories=k, resamples=1000))
    print(f"\nbootstrap_alpha_ci nominal, 1000 resamples: [{interval[0]:.6f}, {interval[1]:.6f}] in {boot_s:.3f} s")
    report_s, report = timed(
        lambda: compute_agreement(
            data,
            coders=[f"r{c}" for c in range(args.coders)],
            categories=CATEGORIES,
        )
    )
    print(
        f"compute_agreement (1000 resamples): {report_s:.3f} s; alpha {report['alpha']:.6f}, "
        f"fleiss {report['fleiss_kappa']:.6f} over {report['fleiss']['units']:,} units, "
        f"{report['gwet']['name']} {report['gwet']['value']:.6f}"
    )
    package_s, _ = timed(lambda: package_alpha(data, "nominal"))
    verdict = "within" if report_s < REPORT_BUDGET_S else "OVER"
    print(
        f"full report {verdict} its {REPORT_BUDGET_S:.0f} s budget; the krippendorff package's nominal alpha alone, "
        f"same run: {package_s:.3f} s"
    )

    sub = data[: args.nltk_units]
    ours_s, ours = timed(lambda: krippendorff_alpha(sub, n_categories=k))
    nltk_s, theirs = timed(lambda: nltk_alpha(sub), repeat=1)
    print(f"\nsubsample of the first {len(sub):,} units (NLTK is pure Python), nominal alpha:")
    print(
        f"  ours {ours.alpha:.6f} in {ours_s:.4f} s; NLTK AnnotationTask {theirs:.6f} in {nltk_s:.2f} s; "
        f"match {abs(ours.alpha - theirs) < 1e-9}"
    )

    print("\npeak traced memory (tracemalloc), full array:")
    print(f"  input array itself        {data.nbytes / 2**20:8.1f} MiB")
    print(f"  krippendorff_alpha        {peak_memory(lambda: krippendorff_alpha(data, n_categories=k)):8.1f} MiB")
    coders = [f"r{c}" for c in range(args.coders)]
    report_peak = peak_memory(lambda: compute_agreement(data, coders=coders, categories=CATEGORIES))
    print(f"  compute_agreement         {report_peak:8.1f} MiB")
    print(f"  krippendorff package      {peak_memory(lambda: package_alpha(data, 'nominal')):8.1f} MiB")


if __name__ == "__main__":
    main()
