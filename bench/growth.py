"""How Lede's costs grow with a project's labels: projects of 10 k, 100 k and 1 M labels on PostgreSQL.

    .venv/bin/python bench/growth.py [--sizes 10000,100000,1000000] [--database lede_bench_growth] [--rebuild]

10 M labels: `--sizes 10000000` (builds about 2 GB in PostgreSQL; the build alone takes some
minutes on two cores; the export and the report from scratch scale as printed for 1 M).

Builds each project once with COPY (5 reviewers per sentence, 200 sentences per article; kept
for later runs) and then, for each size, starts gunicorn (one sync worker) and a Celery worker
(concurrency 1) afresh and prints:

- a label save (`PUT .../annotation/`, replacing reviewer 0's labels), median and p95 of 100,
  beside the API root's median in the same run (the reference floor);
- the document page (`GET /api/v1/documents/{id}/`, 200 sentences), median of 20;
- the project's agreement report recomputed in this process from scratch (every label read) and
  after one document changed (its labels read, the other documents' stored tallies summed), and
  how soon after the last save the worker has the report current again (counting every label);
- the CSV export (`annotations.csv`, streamed over HTTP) beside PostgreSQL's
  `COPY (the export's own SELECT) TO STDOUT` of the same rows;
- the server's peak memory: the highest RSS (VmHWM) of the gunicorn worker and of the Celery
  worker's child.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from export_speed import SERVER, copy_rows, fetch, peak_rss_mb, time_copy
from support import (
    Client,
    ensure_database,
    free_port,
    purge_broker,
    setup_django,
    start_gunicorn,
    start_worker,
    stop,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REVIEWERS = 5
PER_DOCUMENT = 200
SAVES = 100


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="labels per project, comma-separated")
    parser.add_argument("--database", default="lede_bench_growth")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the benchmark database")
    return parser.parse_args()


def build_project(labels: int):
    """The project of `labels` labels, created with COPY unless it is there already; (project, owner, reviewer 0)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from annotator import services
    from annotator.models import Annotation, Label, Project
    from tests.factories import add_member

    name = f"growth-{labels}"
    project = Project.objects.filter(name=name).first()
    if project is not None and Annotation.objects.filter(sentence__document__project=project).count() == labels:
        owner = project.memberships.get(role="owner").user
        reviewer = get_user_model().objects.get(username=f"{name}-reviewer-0")
        return project, owner, reviewer
    if project is not None:  # a build that stopped half-way
        project.delete()
        get_user_model().objects.filter(username__startswith=f"{name}-").delete()
    started = time.perf_counter()
    owner = get_user_model().objects.create_user(f"{name}-owner", password="bench-password-1")
    project = services.create_project(owner=owner, name=name)
    reviewers = [add_member(project, "annotator", f"{name}-reviewer-{r}") for r in range(REVIEWERS)]
    label_ids = list(Label.objects.filter(project=project).values_list("pk", flat=True))
    sentences = labels // REVIEWERS
    documents = max(1, sentences // PER_DOCUMENT)
    body = [f"Sentence {i} of the article says that the council met on Monday." for i in range(PER_DOCUMENT)]
    text = " ".join(body)
    now = "2024-05-01 12:00:00+00"
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("SELECT coalesce(max(id), 0) FROM annotator_document")
        first_doc = cursor.fetchone()[0] + 1
        columns = ("id, project_id, key, title, author, outlet, url, format, text, created, attributes, topics, "
                   "removed, calibration, coverage, training")  # fmt: skip
        copy_rows(cursor, "annotator_document", columns,
                  ((str(first_doc + d), str(project.pk), f"doc-{d}", f"Article {d}", "", "Daily Bench",
                    f"https://news.example/{d}", "text", text, now, "{}", "[]", "[]", "f", "0", "f")
                   for d in range(documents)))  # fmt: skip
        cursor.execute("SELECT coalesce(max(id), 0) FROM annotator_sentence")
        first_sentence = cursor.fetchone()[0] + 1

        def sentence_rows():
            for d in range(documents):
                offset = 0
                for i, sentence in enumerate(body):
                    yield (str(first_sentence + d * PER_DOCUMENT + i), str(first_doc + d), str(i), "0", str(offset),
                           str(offset + len(sentence)), sentence, "")  # fmt: skip
                    offset += len(sentence) + 1

        copy_rows(cursor, "annotator_sentence", 'id, document_id, index, paragraph, start, "end", text, key',
                  sentence_rows())  # fmt: skip
        count = documents * PER_DOCUMENT
        columns = "sentence_id, annotator_id, label_id, speaker, note, created, updated"
        copy_rows(cursor, "annotator_annotation", columns,
                  ((str(first_sentence + s), str(reviewer.pk), str(label_ids[(s + r * (s % 3)) % 3]), "", "", now, now)
                   for s in range(count) for r, reviewer in enumerate(reviewers)))  # fmt: skip
        for table in ("annotator_document", "annotator_sentence"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("ANALYZE")
    print(f"built {count * REVIEWERS:,} labels in {time.perf_counter() - started:.1f} s", flush=True)
    return project, owner, reviewers[0]


def recompute_in_process(project) -> tuple[float, float]:
    """Seconds to recompute the project's agreement report here: from scratch (every document's labels
    read, no stored tallies), then after one document changed (its labels read, every tally summed)."""
    from django.utils import timezone

    from annotator.models import Document
    from claims.models import AgreementReport, DocumentTallies
    from claims.reports import compute_report
    from claims.reports.schedule import ensure_reports

    document = Document.objects.filter(project=project).order_by("pk").first()
    ensure_reports(project.pk, [document.pk])
    report = AgreementReport.objects.get(project=project, document=None)
    DocumentTallies.objects.filter(document__project=project).delete()
    seconds = []
    for changed in ([], [document.pk]):
        now = timezone.now()
        AgreementReport.objects.filter(project=project, document_id__in=changed).update(requested_at=now)
        AgreementReport.objects.filter(pk=report.pk).update(requested_at=now, status="pending")
        started = time.perf_counter()
        compute_report(report.pk)
        seconds.append(time.perf_counter() - started)
    return seconds[0], seconds[1]


def median_ms(client: Client, path: str, times: int) -> float:
    client.latencies.clear()
    for _ in range(times):
        client.send("GET", path)
    return statistics.median(client.latencies)


def measure(project, owner, reviewer, env: dict, broker: str) -> dict:
    import httpx

    from annotator import services
    from annotator.models import Annotation, Document, Sentence

    labels = Annotation.objects.filter(sentence__document__project=project).count()
    document = Document.objects.filter(project=project).order_by("pk").first()
    sentence_ids = list(Sentence.objects.filter(document=document).order_by("index").values_list("pk", flat=True))
    owner_token, reviewer_token = services.issue_token(user=owner)[0], services.issue_token(user=reviewer)[0]
    result = {"labels": labels}
    result["recompute_s"], result["one_document_s"] = recompute_in_process(project)
    purge_broker(broker)
    port = free_port()
    worker = start_worker(env, Path(f"/tmp/{project.name}-worker.log"))
    server = None
    try:
        server = start_gunicorn(env, port, options=["--timeout", "900"])
        client = Client(port, reviewer_token)
        result["root_ms"] = median_ms(client, "/api/v1/", 20)
        result["document_ms"] = median_ms(client, f"/api/v1/documents/{document.pk}/", 20)
        client.latencies.clear()
        for number in range(SAVES):
            body = {"label": ("opinion", "quote", "claim")[number % 3]}
            client.send("PUT", f"/api/v1/sentences/{sentence_ids[number % len(sentence_ids)]}/annotation/", body)
        last_save = time.perf_counter()
        latencies = sorted(client.latencies)
        result["save_ms"] = statistics.median(latencies)
        result["save_p95_ms"] = latencies[int(0.95 * (len(latencies) - 1))]
        reader = Client(port, owner_token)
        result["fresh_s"] = None
        while time.perf_counter() - last_save < 600:
            report = json.loads(reader.send("GET", f"/api/v1/projects/{project.pk}/agreement/"))
            if report["current"] and report["annotation_count"] == labels:
                result["fresh_s"] = time.perf_counter() - last_save
                break
            time.sleep(0.1)
        result["copy_s"], _ = time_copy(project)
        url = f"http://127.0.0.1:{port}/api/v1/projects/{project.pk}/export/annotations.csv"
        with httpx.Client(timeout=900) as http:
            _, result["export_s"], result["export_bytes"] = fetch(http, url, owner_token)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        result["web_peak_mb"] = peak_rss_mb(int(children[0]))
        pool = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
        result["worker_peak_mb"] = max(peak_rss_mb(int(pid)) for pid in [*pool, str(worker.pid)])
    finally:
        for process in (server, worker):
            if process is not None:
                stop(process)
        purge_broker(broker)
    return result


def main():
    args = parse_args()
    database_url = ensure_database(SERVER, args.database, rebuild=args.rebuild)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "lede.settings.base",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": args.broker,
        "LOG_LEVEL": "ERROR",
    }
    os.environ["DJANGO_SETTINGS_MODULE"] = env["DJANGO_SETTINGS_MODULE"]
    setup_django(database_url)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        project, owner, reviewer = build_project(size)
        rows.append(measure(project, owner, reviewer, env, args.broker))
        r = rows[-1]
        print(
            f"{r['labels']:>10,} labels: save {r['save_ms']:.0f} ms (p95 {r['save_p95_ms']:.0f}; API root "
            f"{r['root_ms']:.0f}), document page {r['document_ms']:.0f} ms, recompute {r['recompute_s']:.2f} s, "
            f"fresh {r['fresh_s'] if r['fresh_s'] is None else round(r['fresh_s'], 1)} s after the last save, "
            f"CSV {r['export_s']:.2f} s vs COPY {r['copy_s']:.2f} s, peak RSS web {r['web_peak_mb']:.0f} MB "
            f"worker {r['worker_peak_mb']:.0f} MB",
            flush=True,
        )
    print("\n| labels | save median (p95) | API root | document page | recompute | one document changed "
          "| fresh after save | CSV export | COPY | peak RSS web / worker |")  # fmt: skip
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        fresh = "not within 600 s" if r["fresh_s"] is None else f"{r['fresh_s']:.1f} s"
        print(
            f"| {r['labels']:,} | {r['save_ms']:.0f} ms ({r['save_p95_ms']:.0f}) | {r['root_ms']:.0f} ms "
            f"| {r['document_ms']:.0f} ms | {r['recompute_s']:.2f} s | {r['one_document_s']:.2f} s | {fresh} "
            f"| {r['export_s']:.2f} s "
            f"| {r['copy_s']:.2f} s | {r['web_peak_mb']:.0f} / {r['worker_peak_mb']:.0f} MB |"
        )


if __name__ == "__main__":
    main()
