"""Time a coverage analysis (`claims.analysis`) on a product-sized study: every basis, 1,000 article resamples.

Run: .venv/bin/python bench/analysis.py [--sentences 200000] [--reviewers 5] [--outlets 50] [--resamples 1000]
     .venv/bin/python bench/analysis.py --database lede_bench_analysis   (also from PostgreSQL)

The study: articles of 5-40 sentences spread over the outlets; each reviewer labels 90% of the
sentences (claim, quote, opinion), a third of claims cite 1-3 sources on one of 300 domains, 90%
of quotes name one of 2,000 speakers. Prints the wall and CPU seconds per basis (the target: under
5 s) beside a reference measured in the same run (sorting 10 million random numbers with NumPy), so
that runs on a machine shared with other work can be compared: the CPU time and the ratio to the
reference are the figures to compare.

With `--database NAME` it also builds, in that PostgreSQL database (dropped and created again),
a project of that size with `bench/recompute.py`'s COPY writer (5 reviewers), spreads its articles
over the outlets, names a speaker on every quote and cites a source on a third of the claims, and
times `claims.reports.analyse_project` (the database read and the computation) on each basis.
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


def from_database(args) -> None:
    """Time the whole analysis of a project in PostgreSQL: its reading and its computation."""
    from recompute import build_project
    from support import recreate_database, setup_django

    recreate_database(args.server, args.database)
    setup_django(f"{args.server}/{args.database}", tasks_in_process=True)
    from django.db import connection

    from claims import reports

    started = time.perf_counter()
    project, count = build_project("Coverage", args.sentences, seed=3)
    claim, quote = (project.labels.get(name=name).pk for name in ("claim", "quote"))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE annotator_document SET outlet = 'outlet ' || (id %% %s) WHERE project_id = %s",
            [args.outlets, project.pk],
        )
        cursor.execute(
            "UPDATE annotator_annotation SET speaker = 'speaker ' || (id %% 2000) WHERE label_id = %s", [quote]
        )
        cursor.execute(
            "INSERT INTO annotator_source (annotation_id, url, title, note, position) "
            "SELECT id, 'https://site' || (id %% 300) || '.example/a', '', '', 0 FROM annotator_annotation "
            "WHERE label_id = %s AND id %% 3 = 0",
            [claim],
        )
        cursor.execute("ANALYZE")
    print(
        f"built {args.sentences:,} sentences, {count:,} labels in PostgreSQL in {time.perf_counter() - started:.0f} s"
    )
    for basis in ("plurality", "labels"):
        started, cpu = time.perf_counter(), time.process_time()
        result, _, _ = reports.analyse_project(project, by="outlet", basis=basis, resamples=args.resamples)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{basis:>9}: {seconds:5.2f} s wall, {cpu:5.2f} s CPU read + computed, {len(result['groups'])} outlets")
    seconds, cpu = reference()
    print(f"reference: {seconds:5.2f} s wall, {cpu:5.2f} s CPU (np.sort of 10,000,000 random numbers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=200_000)
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument("--outlets", type=int, default=50)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--database", help="Also time the analysis of a project built in this PostgreSQL database.")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
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
    if args.database:
        from_database(args)


if __name__ == "__main__":
    main()
