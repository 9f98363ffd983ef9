"""A/B of hand-written statements against their plain ORM equivalents, in the same run, on PostgreSQL.

The style rule: a library's own class is used unless an A/B run shows the hand-written statement more
than 10% faster. For each statement this bench times, in interleaved rounds (A, B, A, B ...), the
function that runs the SQL and the ORM code that would replace it, both returning the same thing, and
prints the median per call and the ratio ORM / SQL:

- `annotator.sql.sentence_to_label` (every save starts from it) against a `values_list` join;
- `annotator.sql.delete_sources` (every replaced label) against `Source.objects.filter(...).delete()`;
- `claims.sql.copy_columns(DOCUMENT_LABELS)` (an article's agreement report) against `values_list` into
  NumPy arrays, and the same for PROJECT_LABELS (a project's report);
- `curation.sql.count_accepted` (the auto-merge's preview) against the ORM's label counts per sentence
  with the plurality and the rule applied in Python.

Builds, in a database of its own (`--database`, default `lede_bench_sql`, dropped and created again), a
project of `--sentences` sentences labelled by five reviewers (`recompute.build_project`, COPY).

Run: .venv/bin/python bench/sql_statements.py [--sentences 20000] [--rounds 5] [--calls 2000]
"""

import argparse
import statistics
import time

import numpy as np
from recompute import build_project
from support import recreate_database, setup_django


def per_call(function, calls: int) -> float:
    """Microseconds per call of `function`, over `calls` calls."""
    started = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - started) / calls * 1e6


def compare(name: str, sql_way, orm_way, *, rounds: int, calls: int) -> None:
    assert _same(sql_way(), orm_way()), f"{name}: the two ways answer differently"
    timings = {"sql": [], "orm": []}
    for _ in range(rounds):
        timings["sql"].append(per_call(sql_way, calls))
        timings["orm"].append(per_call(orm_way, calls))
    sql_us, orm_us = statistics.median(timings["sql"]), statistics.median(timings["orm"])
    print(f"{name:44} SQL {sql_us:9.1f} us   ORM {orm_us:9.1f} us   ORM / SQL {orm_us / sql_us:5.2f}")


def _same(a, b) -> bool:
    if isinstance(a, dict) and a and isinstance(next(iter(a.values())), np.ndarray):
        return a.keys() == b.keys() and all(np.array_equal(np.sort(a[k]), np.sort(b[k])) for k in a)
    return a == b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--database", default="lede_bench_sql")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    recreate_database(args.server, args.database)
    setup_django(f"{args.server}/{args.database}", tasks_in_process=True)

    from django.db import connection
    from django.db.models import Count

    from annotator import sql as annotator_sql
    from annotator.models import Annotation, Document, Membership, Sentence, Source
    from claims import sql as claims_sql

    project, labels = build_project("Statements", args.sentences, seed=5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    membership = Membership.objects.filter(project=project).order_by("pk").first()
    sentence = Sentence.objects.filter(document__project=project).order_by("pk").first()
    annotation = Annotation.objects.filter(sentence__document__project=project).order_by("pk").first()
    document = Document.objects.filter(project=project).order_by("pk").first()
    per_document = Annotation.objects.filter(sentence__document=document).count()
    print(f"{args.sentences:,} sentences, {labels:,} labels ({per_document:,} in the first article); "
          f"{args.rounds} interleaved rounds")  # fmt: skip

    compare(
        "sentence_to_label (every save)",
        lambda: tuple(annotator_sql.sentence_to_label(sentence_id=sentence.pk, user_id=membership.user_id)),
        lambda: (
            Sentence.objects.filter(pk=sentence.pk, document__project__memberships__user_id=membership.user_id)
            .values_list("pk", "document_id", "document__project_id", "document__project__memberships__role")
            .first()
        ),
        rounds=args.rounds,
        calls=args.calls,
    )
    compare(
        "delete_sources (every replaced label)",
        lambda: annotator_sql.delete_sources(annotation.pk),
        lambda: (Source.objects.filter(annotation_id=annotation.pk).delete(), None)[1],
        rounds=args.rounds,
        calls=args.calls,
    )
    columns = ("sentence", "annotator", "label")
    fields = ("sentence_id", "annotator_id", "label_id")

    def orm_columns(queryset):
        rows = np.array(list(queryset.values_list(*fields)), dtype=np.int64).reshape(-1, len(fields))
        return {name: rows[:, i] for i, name in enumerate(columns)}

    study = Annotation.objects.filter(sentence__document__project=project, sentence__document__training=False)
    statement = claims_sql.DOCUMENT_LABELS.replace(", a.updated", "")
    compare(
        f"DOCUMENT_LABELS by COPY ({per_document:,} labels)",
        lambda: claims_sql.copy_columns(statement, {"document": document.pk}, columns),
        lambda: orm_columns(study.filter(sentence__document=document)),
        rounds=args.rounds,
        calls=max(1, args.calls // 100),
    )
    statement = claims_sql.PROJECT_LABELS.replace(", a.updated", "")
    compare(
        f"PROJECT_LABELS by COPY ({labels:,} labels)",
        lambda: claims_sql.copy_columns(statement, {"project": project.pk, "calibration": False}, columns),
        lambda: orm_columns(study),
        rounds=args.rounds,
        calls=1,
    )

    from curation import sql as curation_sql
    from curation.models import Decision
    from curation.plurality import Rule

    rule = Rule()

    def orm_accepted():
        counts: dict = {}
        for sentence_id, label_id, n in (
            Annotation.objects.filter(sentence__document__project=project)
            .exclude(sentence__in=Decision.objects.values("sentence_id"))
            .values("sentence_id", "label_id")
            .annotate(n=Count("id"))
            .values_list("sentence_id", "label_id", "n")
        ):
            counts.setdefault(sentence_id, []).append((n, label_id))
        accepted: dict = {}
        for found in counts.values():
            found.sort(reverse=True)
            (n, label_id), total = found[0], sum(count for count, _ in found)
            unique = len(found) == 1 or found[1][0] < n
            if unique and total >= rule.min_labels and n >= rule.min_share * total:
                accepted[(label_id, n == total)] = accepted.get((label_id, n == total), 0) + 1
        return accepted

    compare(
        f"COUNT_ACCEPTED, the auto-merge ({labels:,} labels)",
        lambda: {
            (row.label_id, row.unanimous): row.sentences
            for row in curation_sql.count_accepted(project_id=project.pk, document_id=None, rule=rule)
        },
        orm_accepted,
        rounds=args.rounds,
        calls=1,
    )


if __name__ == "__main__":
    main()
