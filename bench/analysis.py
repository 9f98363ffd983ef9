"""Time a coverage analysis (`claims.analysis`) on a product-sized study: every basis, 1,000 article resamples.

Run: .venv/bin/python bench/analysis.py [--sentences 200000] [--reviewers 5] [--outlets 50] [--resamples 1000]

The study: articles of 5-40 sentences spread over the outlets; each reviewer labels 90% of the
sentences (claim, quote, opinion), a third of claims cite 1-3 sources on one of 300 domains, 90%
of quotes name one of 2,000 speakers. Prints the wall and CPU seconds per basis (the target: under
5 s) beside a reference measured in the same run (sorting 10 million random numbers with NumPy), so
that runs on a machine shared with other work can be compared: the CPU time and the ratio to the
reference are the figures to compare.
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claims import analysis

CATEGORIES = ["claim", "quote", "opinion"]


def study(sentences: int, reviewers: int, outlets: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(5, 41, sentences // 10)
    lengths = lengths[: np.searchsorted(np.cumsum(lengths), sentences) + 1]
    article = np.repeat(np.arange(len(lengths)), lengths)[:sentences]
    index = np.concatenate([np.arange(length) for length in lengths])[:sentences]
    third = analysis.third_of(index, lengths[article])
    truth = rng.choice(3, sentences, p=[0.5, 0.3, 0.2])
    sentence = np.repeat(np.arange(sentences), reviewers)
    label = np.where(rng.random(len(sentence)) < 0.75, truth[sentence], rng.integers(0, 3, len(sentence)))
    kept = rng.random(len(sentence)) < 0.9
    sentence, label = sentence[kept], label[kept]
    sources = np.where((label == 0) & (rng.random(len(label)) < 0.33), rng.integers(1, 4, len(label)), 0)
    speaker = np.where((label == 1) & (rng.random(len(label)) < 0.9), rng.integers(0, 2000, len(label)), -1)
    cited = np.flatnonzero(sources)
    labels = analysis.Labels(
        sentence=sentence,
        label=label,
        sources=sources,
        speaker=speaker,
        cited_label=cited,
        cited_domain=rng.integers(0, 300, len(cited)),
    )
    outlet_of = rng.integers(0, outlets, len(lengths))
    groups = [(f"outlet {n:02d}", np.flatnonzero(outlet_of == n)) for n in range(outlets)]
    scheme = analysis.Scheme(
        CATEGORIES, speakers=[f"speaker {n}" for n in range(2000)], domains=[f"site{n}.example" for n in range(300)]
    )
    return labels, analysis.Sentences(article=article, third=third), groups, scheme


def reference() -> tuple[float, float]:
    """Wall and CPU seconds of a fixed NumPy workload: how fast this machine is right now."""
    numbers = np.random.default_rng(1).random(10_000_000)
    started, cpu = time.perf_counter(), time.process_time()
    np.sort(numbers)
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=200_000)
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument("--outlets", type=int, default=50)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    labels, sentences, groups, scheme = study(args.sentences, args.reviewers, args.outlets)
    print(
        f"{args.sentences:,} sentences in {int(sentences.article.max()) + 1:,} articles, {len(labels.sentence):,} "
        f"labels by {args.reviewers} reviewers, {args.outlets} outlets, {args.resamples:,} resamples"
    )
    seconds, cpu = reference()
    print(f"reference: {seconds:5.2f} s wall, {cpu:5.2f} s CPU (np.sort of 10,000,000 random numbers)")
    for name, basis in (
        ("plurality", lambda: analysis.plurality_basis(labels, len(CATEGORIES))),
        ("labels", lambda: analysis.labels_basis(labels)),
    ):
        started, cpu = time.perf_counter(), time.process_time()
        result = analysis.analyse(basis(), sentences, groups, scheme, resamples=args.resamples)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        first = result["groups"][0]["shares"]["opinion"]
        print(f"{name:>9}: {seconds:5.2f} s wall, {cpu:5.2f} s CPU (target < 5 s); {groups[0][0]} opinion {first}")
    seconds, cpu = reference()
    print(f"reference: {seconds:5.2f} s wall, {cpu:5.2f} s CPU (again, after the analyses)")


if __name__ == "__main__":
    main()
