"""Time a full agreement recomputation (database read + statistics) on a project of 200,000 sentences.

Builds, in a dedicated PostgreSQL database (default `lede_bench`, dropped and created again), a
project whose documents hold `--sentences` sentences labelled by 5 reviewers with 20% of the
labels missing (about 800,000 labels out of a million cells), written with COPY. Then, in one run:

- the full recomputation as a worker does it (read the labels, compute, store the report);
- the database read alone and the statistics alone;
- alpha from our module against the `krippendorff` package on the same array, and against NLTK
  on a subsample (NLTK is pure Python);
- peak memory of the recomputation at half and at full size, to show it grows linearly.

Run: .venv/bin/python bench/recompute.py [--sentences 200000] [--database lede_bench]
(PostgreSQL at 127.0.0.1:5432 as user postgres, like the rest of Lede's tooling; override with
--server postgres://user@host:port).
"""

import argparse
import io
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from support import recreate_database, setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CODERS = 5
SENTENCES_PER_DOCUMENT = 100
MISSING = 0.2


def copy_rows(cursor, table: str, columns: str, lines) -> None:
    buffer = io.StringIO("".join(lines))
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def build_project(name: str, sentences: int, seed: int):
    """A project with `sentences` sentences and CODERS reviewers, written with COPY; return it."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from annotator import services
    from annotator.models import Annotation, Document, Label, Membership, Role, Sentence

    User = get_user_model()
    owner, _ = User.objects.get_or_create(username="bench-owner")
    project = services.create_project(owner=owner, name=name)
    reviewers = []
    for number in range(CODERS):
        user, _ = User.objects.get_or_create(
            username=f"bench-reviewer-{number}", defaults={"password": make_password(None)}
        )
        Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
        reviewers.append(user.pk)
    label_ids = list(Label.objects.filter(project=project).order_by("order").values_list("pk", flat=True))

    rng = np.random.default_rng(seed)
    truth = rng.choice(len(label_ids), sentences, p=[0.5, 0.3, 0.2])
    guesses = rng.integers(0, len(label_ids), (sentences, CODERS))
    given = np.where(rng.random((sentences, CODERS)) < 0.7, truth[:, None], guesses)
    given[rng.random((sentences, CODERS)) < MISSING] = -1

    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM annotator_document")
        first_document = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM annotator_sentence")
        first_sentence = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM annotator_annotation")
        first_annotation = cursor.fetchone()[0] + 1
        documents = (sentences + SENTENCES_PER_DOCUMENT - 1) // SENTENCES_PER_DOCUMENT
        sentence_text = "Sentence {} of the benchmark."
        document_lines, sentence_lines = [], []
        for d in range(documents):
            start_index = d * SENTENCES_PER_DOCUMENT
            count = min(SENTENCES_PER_DOCUMENT, sentences - start_index)
            texts = [sentence_text.format(start_index + i) for i in range(count)]
            body = " ".join(texts)
            document_lines.append(
                f"{first_document + d}\t{project.pk}\t\tDocument {d}\t\t\t\t\\N\ttext\t{body}\t\\N\tnow"
                "\t[]\t{}\t[]\tf\tf\t0\n"
            )
            offset = 0
            for i, text in enumerate(texts):
                sentence_lines.append(
                    f"{first_sentence + start_index + i}\t{first_document + d}\t{i}\t0\t{offset}\t"
                    f"{offset + len(text)}\t{text}\t\n"
                )
                offset += len(text) + 1
        copy_rows(
            cursor,
            "annotator_document",
            "id, project_id, key, title, author, outlet, url, published, format, text, created_by_id, created, "
            "topics, attributes, removed, calibration, training, coverage",
            document_lines,
        )
        copy_rows(
            cursor,
            "annotator_sentence",
            'id, document_id, index, paragraph, start, "end", text, key',
            sentence_lines,
        )
        units, coders = np.nonzero(given >= 0)
        labels = np.array(label_ids)[given[units, coders]]
        annotators = np.array(reviewers)[coders]
        ids = np.arange(first_annotation, first_annotation + len(units))
        lines = (
            f"{i}\t{first_sentence + u}\t{a}\t{lab}\t\t\tnow\tnow\n"
            for i, u, a, lab in zip(ids.tolist(), units.tolist(), annotators.tolist(), labels.tolist(), strict=True)
        )
        copy_rows(
            cursor,
            "annotator_annotation",
            "id, sentence_id, annotator_id, label_id, speaker, note, created, updated",
            lines,
        )
        for model in (Document, Sentence, Annotation):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        cursor.execute("ANALYZE")
    return project, len(units)


def best_of(function, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_mib(function) -> float:
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=200_000)
    parser.add_argument("--database", default="lede_bench")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--nltk-units", type=int, default=3000)
    parser.add_argument("--reuse", action="store_true", help="Keep the database a previous run built.")
    args = parser.parse_args()

    if not args.reuse:
        recreate_database(args.server, args.database)
    setup_django(f"{args.server}/{args.database}", tasks_in_process=True)

    from django.conf import settings
    from django.utils import timezone

    from annotator.models import Annotation, Project
    from claims import agreement, reports
    from claims.models import AgreementReport

    started = time.perf_counter()
    if args.reuse:
        half, full = Project.objects.get(name="Half"), Project.objects.get(name="Full")
        AgreementReport.objects.all().delete()
        half_labels, full_labels = (
            Annotation.objects.filter(sentence__document__project=project).count() for project in (half, full)
        )
    else:
        half, half_labels = build_project("Half", args.sentences // 2, seed=1)
        full, full_labels = build_project("Full", args.sentences, seed=2)
    print(
        f"{'Reused' if args.reuse else 'Built'} {args.sentences:,} + {args.sentences // 2:,} sentences x {CODERS} "
        f"reviewers ({full_labels:,} + {half_labels:,} labels) with COPY in {time.perf_counter() - started:.1f} s"
    )
    print(f"Bootstrap resamples: {settings.AGREEMENT_BOOTSTRAP_RESAMPLES}")

    report = AgreementReport.objects.create(project=full)

    def full_recomputation():
        AgreementReport.objects.filter(pk=report.pk).update(status="pending", requested_at=timezone.now())
        assert reports.compute_report(report.pk) == "computed"

    reports.read_labels(full)  # warm the database cache, as a busy server has it
    total, _ = best_of(full_recomputation)
    read, matrix = best_of(lambda: reports.read_labels(full))
    stats, result = best_of(lambda: reports.compute_figures(matrix))
    ours, alpha = best_of(lambda: agreement.krippendorff_alpha(matrix.data, n_categories=3).alpha)
    print(f"\nFull recomputation (read + statistics + store), best of 3: {total:.2f} s   (target < 3 s)")
    print(f"  database read into a {matrix.data.shape} array:            {read:.2f} s")
    print(f"  all statistics (alpha, 1000-resample CI, kappas, per label): {stats:.2f} s")
    print(f"  alpha = {result['alpha']:.4f}, 95% CI {result['alpha_ci95']}, labels {matrix.annotation_count:,}")

    import krippendorff

    reliability = np.where(matrix.data < 0, np.nan, matrix.data.astype(float)).T
    package, package_alpha = best_of(
        lambda: krippendorff.alpha(reliability, value_domain=[0.0, 1.0, 2.0], level_of_measurement="nominal")
    )
    print("\nAlpha alone on the same array:")
    print(f"  claims.agreement:        {ours:.3f} s  alpha {alpha:.6f}")
    print(f"  krippendorff package:    {package:.3f} s  alpha {package_alpha:.6f}  ({package / ours:.1f}x slower)")
    print(f"  our whole report vs the package's alpha alone: {stats:.2f} s vs {package:.2f} s")

    from nltk.metrics.agreement import AnnotationTask

    sample = matrix.data[: args.nltk_units]
    triples = [(str(c), str(u), int(v)) for u, row in enumerate(sample.tolist()) for c, v in enumerate(row) if v >= 0]
    nltk_time, nltk_alpha = best_of(lambda: AnnotationTask(triples).alpha(), repeat=1)
    sample_time, sample_alpha = best_of(lambda: agreement.krippendorff_alpha(sample, n_categories=3).alpha)
    print(f"\nOn the first {len(sample):,} sentences:")
    print(f"  claims.agreement: {sample_time * 1000:.1f} ms alpha {sample_alpha:.6f}")
    print(
        f"  NLTK:             {nltk_time * 1000:.1f} ms alpha {nltk_alpha:.6f}  ({nltk_time / sample_time:.0f}x slower)"
    )

    half_report = AgreementReport.objects.create(project=half)

    def recompute(which):
        def run():
            AgreementReport.objects.filter(pk=which.pk).update(status="pending", requested_at=timezone.now())
            reports.compute_report(which.pk)

        return run

    half_peak = peak_mib(recompute(half_report))
    full_peak = peak_mib(recompute(report))
    print("\nPeak Python memory of a recomputation (tracemalloc, NumPy included):")
    print(f"  {half_labels:>9,} labels: {half_peak:7.1f} MiB  ({half_peak * 2**20 / half_labels:.0f} B/label)")
    print(f"  {full_labels:>9,} labels: {full_peak:7.1f} MiB  ({full_peak * 2**20 / full_labels:.0f} B/label)")
    import resource

    print(f"Process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
