"""Label saves per second through the API, under gunicorn on PostgreSQL, from 1 and from 8 clients.

Run on demand (it takes about a minute):

    .venv/bin/python bench/label_throughput.py [--saves 2000] [--workers 3] [--threads 4]

It drops and creates the database `lede_bench_api`, migrates it, creates a project with nine
reviewers and ten articles of 200 sentences, starts gunicorn on a free loopback port, and then

* saves labels with `PUT /api/v1/sentences/{id}/annotation/` (token auth, keep-alive
  connections, one thread per client; every fifth save is a claim with a source), first from
  one client, then from eight clients at once, each on sentences of its own;
* replaces those labels (the same PUT on sentences already labelled: the update path, which
  also deletes the old sources), again from one client and from eight;
* measures, under the same client load, the round trip of the trivial API root (`GET /api/v1/`):
  the floor that Django, gunicorn and the client impose on any request on this machine;
* times `GET /api/v1/documents/{id}/` of a 200-sentence article.

Beside each figure it prints the CPU milliseconds the server spent per request, in all and for
each group of processes: gunicorn (master and workers), the Celery worker (its whole tree) and
the PostgreSQL backends of the database (`support.ServerCpu`), a figure that a machine busy with
other work does not distort as it does the times. The measurement of a pass of saves goes on
after the last response until the worker has brought every agreement report up to date (at most
`--settle` seconds), so the recomputations the saves caused are counted, and it prints how
many tasks the worker received per pass. The same groups' CPU over a few idle seconds before the
saves is printed as a reference (milliseconds per second). A PostgreSQL backend that lives less
than the sampling interval escapes the CPU figures, so the connections opened during each pass
are printed too.

Label changes are announced to `claims` as in production: with CELERY_BROKER_URL pointing at
Redis (db 15 by default, purged at the end) the agreement recomputation is queued, not run
in the request, and a real `celery worker` (concurrency 2, as in docker-compose.yml) runs
the recomputations on the same two cores while the saves go on; `--no-worker` leaves them
queued. At the end the benchmark prints how many recomputations ran and whether the
project's report counts every label. gunicorn and the worker are stopped at the end,
whatever happens.

Why gthread, 3 workers x 4 threads by default: it is what docker-compose.yml runs, and it
measured best here (2 cores): at one client about 200 saves/s against about 165 for 3 sync
workers, at eight about 350/s against 310-340 (p95 about 30 ms for both). Sync workers close the
connection after every response, so each save also pays a new TCP connection; gthread keeps it
alive. Compare with --threads 1 (sync) or --workers 2 --threads 4.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import psycopg2
from support import (
    OBSERVER,
    Client,
    ServerCpu,
    django_shell,
    free_port,
    migrate,
    purge_broker,
    recreate_database,
    start_gunicorn,
    start_worker,
    stop,
)

DOCCANO = {1: (93, 10.0), 8: (150, None)}  # clients -> (labels/s, median ms), doccano 1.8.4, published
TARGET = {1: 186, 8: 300}
TARGET_P95_MS_AT_8 = 50
REVIEWERS = 9
ARTICLES = 10
SENTENCES_PER_ARTICLE = 200


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=2000, help="label saves per run (at most 2000)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread; 1 = sync workers)")
    parser.add_argument("--database", default="lede_bench_api")
    parser.add_argument("--settle", type=float, default=30, help="seconds to wait for the reports after a pass")
    parser.add_argument("--idle", type=float, default=3, help="seconds of the idle reference")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/15", help="'' runs tasks in the request")
    parser.add_argument("--no-worker", action="store_true", help="leave recomputations queued, run no worker")
    parser.add_argument("--detail-repeats", type=int, default=30)
    return parser.parse_args()


def article(number: int) -> str:
    paragraphs = []
    for p in range(SENTENCES_PER_ARTICLE // 5):
        paragraphs.append(
            " ".join(f"Article {number} paragraph {p} states fact number {s} about the bridge." for s in range(5))
        )
    return "\n\n".join(paragraphs)


def seed(env: dict) -> dict:
    """Migrate and create the project in a child process; return tokens and sentence ids."""
    migrate(env)
    script = f"""
import json
from django.contrib.auth import get_user_model
from annotator import services
from annotator.models import Membership, Role
User = get_user_model()
owner = User.objects.create_user("owner", password="bench-password-1")
project = services.create_project(owner=owner, name="Bench")
tokens = []
for n in range({REVIEWERS}):
    user = User.objects.create_user(f"reviewer{{n}}", password="bench-password-1")
    Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
    tokens.append(services.issue_token(user=user)[0])
articles = [services.ArticleInput(text=text, title=f"Article {{n}}") for n, text in enumerate(json.loads(input()))]
documents = services.import_documents(project=project, created_by=owner, articles=articles)
sentences = [list(d.sentences.order_by("index").values_list("id", flat=True)) for d in documents]
print(json.dumps({{"tokens": tokens, "documents": [d.pk for d in documents], "sentences": sentences}}))
"""
    texts = json.dumps([article(n) for n in range(ARTICLES)])
    data = django_shell(env, script, stdin=texts)
    assert all(len(s) == SENTENCES_PER_ARTICLE for s in data["sentences"]), "segmentation changed the sentence count"
    return data


def report_state(env: dict) -> dict:
    """The project-wide report after the saves: its status, the labels it counted, its runs."""
    script = """
import json
from annotator.models import Annotation
from claims.models import AgreementReport
report = AgreementReport.objects.get(document=None)
print(json.dumps({"status": report.status, "counted": report.annotation_count,
                  "labels": Annotation.objects.count(), "runs": report.computations}))
"""
    return django_shell(env, script)


def save_body(number: int) -> dict:
    if number % 5 == 0:
        return {"label": "claim", "sources": [{"url": f"https://example.org/evidence/{number}", "title": "Report"}]}
    return {"label": ("quote", "opinion", "claim")[number % 3], "speaker": "The mayor" if number % 3 == 0 else ""}


def label_jobs(sentence_ids: list[int], n_clients: int, per_client: int, shift: int) -> list[list[tuple]]:
    """Client c saves sentences [c * per_client, (c + 1) * per_client); `shift` picks other labels."""
    return [
        [
            (
                "PUT",
                f"/api/v1/sentences/{sentence_ids[(c * per_client + i) % len(sentence_ids)]}/annotation/",
                save_body(i + shift),
            )
            for i in range(per_client)
        ]
        for c in range(n_clients)
    ]


GROUPS = ("web", "worker", "postgres")


def reports_settled(observer, labels_at_least: int) -> bool:
    """Every agreement report is ready and the project's counts at least `labels_at_least` labels."""
    with observer.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_agreementreport WHERE status <> 'ready'")
        (waiting,) = cursor.fetchone()
        cursor.execute("SELECT annotation_count FROM claims_agreementreport WHERE document_id IS NULL")
        row = cursor.fetchone()
    return waiting == 0 and row is not None and row[0] >= labels_at_least


def label_count(observer) -> int:
    with observer.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM annotator_annotation")
        return cursor.fetchone()[0]


def tasks_received(log_path: Path | None) -> int:
    return log_path.read_text().count("] received") if log_path else 0


def run(clients: list[Client], jobs: list[list[tuple[str, str, dict | None]]], cpu: ServerCpu, settle=None) -> dict:
    """Each client sends its own list of requests; all start together. Return throughput, latency and the
    server's CPU milliseconds per request (web, worker and PostgreSQL backends, see `ServerCpu`).

    `settle()`, if given, is called after the last response, still inside the CPU measurement: it
    waits for the work the requests left behind (the reports' recomputations) and returns the
    seconds it waited, or None if it gave up."""
    barrier = threading.Barrier(len(clients) + 1)
    errors = []

    def work(client, requests):
        barrier.wait()
        try:
            for method, path, body in requests:
                client.send(method, path, body)
        except Exception as error:
            errors.append(error)

    for client in clients:
        client.latencies.clear()
    threads = [threading.Thread(target=work, args=(c, j)) for c, j in zip(clients, jobs, strict=True)]
    for thread in threads:
        thread.start()
    with cpu:
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        settled = settle() if settle else 0.0
    if errors:
        raise errors[0]
    latencies = sorted(ms for c in clients for ms in c.latencies)
    return {
        "count": len(latencies),
        "per_second": len(latencies) / elapsed,
        "median": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "cpu_ms": 1000 * cpu.seconds() / len(latencies),
        **{f"cpu_ms_{group}": 1000 * cpu.seconds(group) / len(latencies) for group in GROUPS},
        "settled": settled,
        "connections": cpu.opened,
    }


def settler(observer, limit: float):
    """A `settle` for `run`: wait until every report counts the labels saved so far; None after `limit` s."""

    def settle():
        started = time.monotonic()
        labels = label_count(observer)
        while not reports_settled(observer, labels):
            if time.monotonic() - started > limit:
                return None
            time.sleep(0.1)
        return time.monotonic() - started

    return settle


def main() -> int:
    args = parse_args()
    saves = min(args.saves, 2000)
    database_url = f"{args.pg}/{args.database}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lede.settings.base",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": args.broker,
        "LOG_LEVEL": "ERROR",
    }
    print(f"Preparing {args.database}: {REVIEWERS} reviewers, {ARTICLES} articles x {SENTENCES_PER_ARTICLE} sentences")
    recreate_database(args.pg, args.database)
    data = seed(env)
    sentence_ids = [s for document in data["sentences"] for s in document]
    if args.broker:
        purge_broker(args.broker)
    port = free_port()
    kind = f"gthread {args.workers}x{args.threads}" if args.threads > 1 else f"sync x{args.workers}"
    run_worker = bool(args.broker) and not args.no_worker
    print(
        f"gunicorn ({kind}) on 127.0.0.1:{port}; broker: {args.broker or 'none (tasks run in the request)'}; "
        f"celery worker: {'yes' if run_worker else 'no'}"
    )
    worker_log = Path(f"/tmp/{args.database}-worker.log") if run_worker else None
    worker = start_worker(env, worker_log) if run_worker else None
    server = None
    observer = psycopg2.connect(database_url, application_name=OBSERVER)
    observer.autocommit = True
    results, tasks = {}, {}
    try:
        keep_alive = ["--keep-alive", "30"] if args.threads > 1 else []
        server = start_gunicorn(env, port, workers=args.workers, threads=args.threads, options=keep_alive)
        warm = Client(port, data["tokens"][0])
        for _ in range(20):
            warm.send("GET", "/api/v1/")
            warm.send("GET", f"/api/v1/documents/{data['documents'][0]}/")
        warm.close()
        leaders = {"web": server.pid, **({"worker": worker.pid} if worker else {})}
        with ServerCpu(leaders, args.database, args.pg) as idle:
            time.sleep(args.idle)
        idle.close()

        # One client: reviewer 0 labels the first `saves` sentences; eight clients: reviewers 1-8,
        # each on a slice of its own. The second pass replaces every label with another one.
        for n_clients in (1, 8):
            tokens = data["tokens"][:1] if n_clients == 1 else data["tokens"][1:9]
            per_client = saves // n_clients
            root_jobs = [[("GET", "/api/v1/", None)] * per_client for _ in tokens]

            for what, jobs in (
                ("root", root_jobs),
                ("label", label_jobs(sentence_ids, n_clients, per_client, shift=0)),
                ("replace", label_jobs(sentence_ids, n_clients, per_client, shift=1)),
            ):
                settle = None
                if worker is not None and what != "root":
                    settle = settler(observer, args.settle)
                cpu = ServerCpu(leaders, args.database, args.pg)
                received = tasks_received(worker_log)
                # New connections for every pass: the wait for the reports may outlast gunicorn's keep-alive.
                clients = [Client(port, token) for token in tokens]
                results[(what, n_clients)] = run(clients, jobs, cpu, settle)
                tasks[(what, n_clients)] = tasks_received(worker_log) - received
                cpu.close()
                for client in clients:
                    client.close()
        saves_ended = time.monotonic()

        reader = Client(port, data["tokens"][0])
        for _ in range(args.detail_repeats):
            body = reader.send("GET", f"/api/v1/documents/{data['documents'][1]}/")
        assert len(json.loads(body)["sentences"]) == SENTENCES_PER_ARTICLE
        detail = statistics.median(reader.latencies)
        reader.close()

        report = None
        if worker is not None:
            deadline = saves_ended + 60
            while True:
                report = report_state(env)
                fresh = report["status"] == "ready" and report["counted"] == report["labels"]
                if fresh or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            report["fresh_after"] = time.monotonic() - saves_ended if fresh else None
    finally:
        observer.close()
        for process in (server, worker):
            if process is not None:
                stop(process)
        if args.broker:
            purge_broker(args.broker)

    print()
    print(
        "Idle reference, CPU ms per second: "
        + ", ".join(f"{group} {1000 * idle.seconds(group) / args.idle:.1f}" for group in GROUPS)
    )
    print(f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print(
        f"{'':34}{'requests/s':>12}{'median ms':>11}{'p95 ms':>9}{'CPU ms each':>13}"
        f"{'web':>7}{'worker':>8}{'pg':>7}{'tasks':>7}{'settled s':>11}{'pg conns':>10}"
    )
    for n_clients in (1, 8):
        for what, title in (
            ("root", "GET /api/v1/ (reference floor)"),
            ("label", "PUT label (Lede)"),
            ("replace", "PUT replacing a label"),
        ):
            r = results[(what, n_clients)]
            settled = r["settled"]
            print(
                f"{title + f', {n_clients} client' + ('s' if n_clients > 1 else ''):34}"
                f"{r['per_second']:12.0f}{r['median']:11.1f}{r['p95']:9.1f}{r['cpu_ms']:13.1f}"
                f"{r['cpu_ms_web']:7.2f}{r['cpu_ms_worker']:8.2f}{r['cpu_ms_postgres']:7.2f}"
                f"{tasks.get((what, n_clients), 0):7d}{'-' if settled is None else f'{settled:.1f}':>11}"
                f"{r['connections']:10d}"
            )
        rate, median = DOCCANO[n_clients]
        print(f"{'doccano 1.8.4, published':34}{rate:12.0f}{(f'{median:.1f}' if median else '-'):>11}{'-':>9}")
        print(
            f"{'target (2x doccano)':34}{TARGET[n_clients]:12.0f}{'':>11}"
            f"{(f'<{TARGET_P95_MS_AT_8}' if n_clients == 8 else '-'):>9}"
        )
        print()
    print(
        f"GET /api/v1/documents/{{id}}/ with {SENTENCES_PER_ARTICLE} sentences: median {detail:.1f} ms "
        f"over {args.detail_repeats} requests"
    )
    if report is not None:
        fresh = (
            f"fresh {report['fresh_after']:.1f} s after the last save"
            if report["fresh_after"] is not None
            else ("NOT fresh 60 s after the last save")
        )
        print(
            f"Agreement report: {report['runs']} recomputations by the worker during the run, {fresh} "
            f"(counts {report['counted']} of {report['labels']} labels)"
        )
    met = all(
        results[(what, 1)]["per_second"] >= TARGET[1]
        and results[(what, 8)]["per_second"] >= TARGET[8]
        and results[(what, 8)]["p95"] < TARGET_P95_MS_AT_8
        for what in ("label", "replace")
    )
    print("Target met." if met else "Target NOT met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
