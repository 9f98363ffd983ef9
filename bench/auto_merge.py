"""Time the auto-merge (dry run and real run) over a project of 200,000 sentences on PostgreSQL.

Builds, in a dedicated PostgreSQL database (default `lede_bench_merge`, dropped and created
again), a project of `--sentences` sentences labelled by 5 reviewers with 20% of the labels
missing (about 800,000 labels, written with COPY by `recompute.build_project`), a third of them
naming one of 50 speakers and a quarter citing one of 100 sources, and lets a curator decide every
hundredth sentence. The real run also keeps each decision's agreed speaker and sources. Then,
`--rounds` times each, in one run:

- the reference: a plain `SELECT COUNT(*)` over the labels table;
- `merge.auto_merge(dry_run=True)` with the default rule (2 labels, half agreeing);
- `merge.auto_merge(dry_run=False)`, after removing what the previous round merged (and its history);

and prints the medians, checking that the real run decided what the dry run counted and that no
curator's decision changed.

Run: .venv/bin/python bench/auto_merge.py [--sentences 200000] [--rounds 3] [--database lede_bench_merge]
(PostgreSQL at 127.0.0.1:5432 as user postgres; override with --server postgres://user@host:port).
"""

import argparse
import statistics
import time

from recompute import build_project
from support import recreate_database, setup_django


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", default="lede_bench_merge")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    recreate_database(args.server, args.database)
    setup_django(f"{args.server}/{args.database}", tasks_in_process=True)

    from django.db import connection
    from django.utils import timezone

    from annotator.models import Label, Sentence
    from curation import merge
    from curation.models import BY_RULE, Decision, DecisionEvent, DecisionSource, Provenance
    from curation.plurality import Rule

    started = time.perf_counter()
    project, labels = build_project("Merge", args.sentences, seed=3)
    curator = project.created_by
    first_label = Label.objects.filter(project=project).order_by("order").first()
    curated = Sentence.objects.filter(document__project=project).order_by("pk").values_list("pk", flat=True)[::100]
    Decision.objects.bulk_create(
        Decision(
            sentence_id=pk,
            project=project,
            label=first_label,
            provenance=Provenance.ADJUDICATED,
            decided_by=curator,
            decided_at=timezone.now(),
        )
        for pk in curated
    )
    with connection.cursor() as cursor:
        # Speakers and sources for the agreement rule to weigh: reviewers of one sentence often agree.
        cursor.execute(
            "UPDATE annotator_annotation a SET speaker = 'Speaker ' || (a.sentence_id %% 50) "
            "FROM annotator_sentence s JOIN annotator_document d ON d.id = s.document_id "
            "WHERE s.id = a.sentence_id AND d.project_id = %(project)s AND a.id %% 3 = 0",
            {"project": project.pk},
        )
        cursor.execute(
            "INSERT INTO annotator_source (annotation_id, url, title, note, position) "
            "SELECT a.id, 'https://source.example/' || (a.sentence_id % 100), '', '', 0 "
            "FROM annotator_annotation a WHERE a.id % 4 = 0"
        )
        cursor.execute("ANALYZE")
    print(
        f"Built {args.sentences:,} sentences x 5 reviewers ({labels:,} labels, {len(curated):,} decided by a "
        f"curator) in {time.perf_counter() - started:.1f} s"
    )

    def count_labels():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM annotator_annotation")
            return cursor.fetchone()[0]

    def run(dry_run: bool):
        return merge.auto_merge(project=project, rule=Rule(), actor=curator, dry_run=dry_run)

    def forget_the_merge():
        # Raw deletes: the ORM's would collect 200,000 objects to cascade to; the merged decisions' sources first.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE curation_decision")  # else a plan made for no rows deletes by nested loops
            cursor.execute("ANALYZE curation_decisionsource")
        merged = Decision.objects.filter(project=project, provenance__in=BY_RULE)
        DecisionSource.objects.filter(decision__in=merged)._raw_delete(connection.alias)
        DecisionEvent.objects.filter(project=project)._raw_delete(connection.alias)
        Decision.objects.filter(project=project, provenance__in=BY_RULE)._raw_delete(connection.alias)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE curation_decision")
            cursor.execute("VACUUM ANALYZE curation_decisionevent")
            cursor.execute("VACUUM ANALYZE curation_decisionsource")

    reference, dry, real = [], [], []
    for _ in range(args.rounds):
        reference.append(timed(count_labels)[0])
        seconds, preview = timed(lambda: run(True))
        dry.append(seconds)
        seconds, outcome = timed(lambda: run(False))
        real.append(seconds)
        assert outcome.decided == preview.decided > 0, (outcome.as_dict(), preview.as_dict())
        assert outcome.decided_before == len(curated)
        assert Decision.objects.filter(project=project, provenance=Provenance.ADJUDICATED).count() == len(curated)
        assert DecisionEvent.objects.filter(project=project).count() == outcome.decided
        kept = (
            Decision.objects.filter(project=project, provenance__in=BY_RULE).exclude(speaker="").count(),
            DecisionSource.objects.filter(decision__project=project).count(),
        )
        forget_the_merge()

    print(f"\nMedians of {args.rounds} rounds (machine shared with other work: compare with the reference)")
    print(f"  reference: SELECT COUNT(*) over {labels:,} labels: {statistics.median(reference):6.2f} s")
    print(f"  auto-merge dry run:                          {statistics.median(dry):6.2f} s")
    print(f"  auto-merge real run (decisions + history):   {statistics.median(real):6.2f} s   (target < 10 s)")
    print(
        f"  decided {outcome.decided:,} ({outcome.unanimous:,} unanimous, {outcome.majority:,} majority), "
        f"{outcome.below_rule:,} left open, {outcome.decided_before:,} curators' decisions kept; "
        f"{kept[0]:,} with an agreed speaker, {kept[1]:,} agreed sources"
    )


if __name__ == "__main__":
    main()
