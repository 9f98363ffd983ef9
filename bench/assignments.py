"""`POST /api/v1/projects/{id}/assignments/next/` under 32 concurrent reviewers, on gunicorn and PostgreSQL.

Run on demand (a few minutes, most of it importing the articles):

    .venv/bin/python bench/assignments.py [--rounds 30] [--callers 32] [--overlap 3] [--database NAME]

It drops and creates the database `lede_bench_assign`, migrates it, and creates a project with
an overlap of k (3) over 10,000 one-sentence articles and 50 reviewers. gunicorn starts as
docker-compose.yml runs it (gthread, 3 workers x 4 threads). Then:

1. 32 reviewers at once each ask for their next article, label its sentence (so that the next
   request assigns a new one, not the unfinished one) and ask again, `--rounds` times; the same
   clients measure, under the same load, the round trip of the trivial API root (`GET /api/v1/`),
   the floor any request pays here. With 32 clients on 12 server threads and 2 cores most of a
   round trip is waiting for a thread.
2. On the same server, once every reviewer has asked and labelled once more (warming its
   connections) and it is idle, one caller alone asks once for each of the 50 reviewers (a new
   article each time), then the API root, with the server's CPU time during each request
   (gunicorn's threads and the database's backends, from the scheduler's counts).
3. The same rounds as 1 on the service in one process (a thread and a database connection per
   reviewer, other reviewers than before), without HTTP or gunicorn's queue, beside a one-row
   query timed the same way, and the queries of each call.

On PostgreSQL a request for work is one call of `lede_next_assignment()`; the database is set to
`track_functions = 'pl'`, and the bench prints the function's time per call in each phase
(`pg_stat_user_functions`): the database's side of a request, lock waits included. It prints the
load averages, and checks in the database that no article ended with more than k reviewers and
that every article's `coverage` counts its assignments. Target: a median under 20 ms.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import psycopg2
from support import Client, django_shell, free_port, migrate, recreate_database, start_gunicorn, stop

ARTICLES = 10_000
REVIEWERS = 50
TARGET_MEDIAN_MS = 20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="articles each caller asks for")
    parser.add_argument("--callers", type=int, default=32, help="reviewers asking at once (at most 50)")
    parser.add_argument("--overlap", type=int, default=3)
    parser.add_argument("--database", default="lede_bench_assign")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    return parser.parse_args()


def seed(env: dict, overlap: int) -> dict:
    migrate(env)
    return django_shell(
        env,
        f"""
import json
from django.contrib.auth import get_user_model
from annotator import services
from annotator.models import Membership, Role
User = get_user_model()
owner = User.objects.create_user("owner", password="bench-password-1")
project = services.create_project(owner=owner, name="Design bench")
services.update_project(project=project, overlap={overlap})
tokens = []
for n in range({REVIEWERS}):
    user = User.objects.create_user(f"reviewer{{n}}", password="bench-password-1")
    Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
    tokens.append(services.issue_token(user=user)[0])
articles = [
    services.ArticleInput(text=f"Article {{n}} says the bridge reopens.", title=f"Article {{n}}", format="text")
    for n in range({ARTICLES})
]
services.import_documents(project=project, created_by=owner, articles=articles)
print(json.dumps({{"project": project.pk, "tokens": tokens}}))
""",
    )


def function_time(server: str, database: str, wait: bool = True) -> tuple[int, float]:
    """(calls, milliseconds) of `lede_next_assignment()` so far; with `wait`, once every other connection to
    `database` has closed (a backend reports its function statistics when it ends at the latest)."""
    connection = psycopg2.connect(f"{server}/{database}")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            deadline = time.monotonic() + 30
            while wait and time.monotonic() < deadline:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
                )
                if cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.1)
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT coalesce(sum(calls), 0), coalesce(sum(total_time), 0) FROM pg_stat_user_functions "
                "WHERE funcname = 'lede_next_assignment'"
            )
            calls, total = cursor.fetchone()
    finally:
        connection.close()
    return int(calls), float(total)


class CpuMeter:
    """CPU time used so far by gunicorn's processes and the database's backends (the server's side of a
    request), from the scheduler's nanosecond count of every thread (`/proc/<pid>/task/*/schedstat`, Linux)
    rather than the 10 ms ticks of `cpu_times()`; the bench's own connection to list the backends is on
    another database."""

    def __init__(self, server: subprocess.Popen, pg: str, database: str):
        self.server, self.database = psutil.Process(server.pid), database
        self.connection = psycopg2.connect(f"{pg}/postgres")
        self.connection.autocommit = True

    def seconds(self) -> tuple[float, float]:
        """(gunicorn's, the database's) CPU seconds so far."""
        web = [self.server.pid, *(child.pid for child in self.server.children(recursive=True))]
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database])
            database = [pid for (pid,) in cursor.fetchall()]
        return self._used(web), self._used(database)

    @staticmethod
    def _used(pids: list[int]) -> float:
        total = 0
        for pid in pids:
            for task in Path(f"/proc/{pid}/task").glob("*"):
                try:
                    total += int((task / "schedstat").read_text().split()[0])
                except (OSError, ValueError):
                    continue
        return total / 1e9

    def close(self):
        self.connection.close()


def label_next(port: int, tokens: list[str], next_path: str) -> None:
    """Each reviewer, one at a time, asks for work and labels the article they get, so that their next request
    takes a new one; untimed (it warms the server's connections for `one_caller`)."""
    for token in tokens:
        client = Client(port, token)
        try:
            assignment = json.loads(client.send("POST", next_path))
            document = json.loads(client.send("GET", f"/api/v1/documents/{assignment['document']}/"))
            for sentence in document["sentences"]:
                client.send("PUT", f"/api/v1/sentences/{sentence['id']}/annotation/", {"label": "claim"})
        finally:
            client.close()


def wait_until_idle(meter: CpuMeter, limit: float = 90) -> bool:
    """Wait until the server uses under 5% of a CPU over a second (the reports its labels made it recompute
    are done); False if it is still busy after `limit` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = sum(meter.seconds())
        time.sleep(1)
        if sum(meter.seconds()) - before < 0.05:
            return True
    return False


def one_caller(port: int, tokens: list[str], next_path: str, meter: CpuMeter) -> dict:
    """Each reviewer's request for work, one caller at a time on an idle server, then the API root: the latency
    of each, and the server's CPU time during each."""
    timings = {name: [] for name in ("next", "root", "next_web", "next_db", "root_web", "root_db")}
    timings["idle"] = wait_until_idle(meter)
    for token in tokens:
        client = Client(port, token)
        try:
            client.send("GET", "/api/v1/")  # opens the connection and signs in, untimed
            for name, method, path in (("next", "POST", next_path), ("root", "GET", "/api/v1/")):
                web, database = meter.seconds()
                client.send(method, path)
                web_after, database_after = meter.seconds()
                timings[name].append(client.latencies[-1])
                timings[f"{name}_web"].append((web_after - web) * 1000)
                timings[f"{name}_db"].append((database_after - database) * 1000)
        finally:
            client.close()
    return timings


def check_design(env: dict, project: int, overlap: int) -> dict:
    return django_shell(
        env,
        f"""
import json
from django.db.models import Count, F
from annotator.models import Assignment, Document
held = Document.objects.filter(project_id={project}).annotate(n=Count("assignments"))
print(json.dumps({{
    "assignments": Assignment.objects.filter(project_id={project}).count(),
    "above_k": held.filter(n__gt={overlap}).count(),
    "miscounted": held.exclude(n=F("coverage")).count(),
    "most": max(held.values_list("n", flat=True)),
}}))
""",
    )


def in_process(env: dict, project: int, callers: int, rounds: int) -> dict:
    """The same rounds called on the service in one process, a thread and a connection per reviewer: the
    assignment itself (queries and Python) without HTTP, gunicorn's queue or the clients; reference: a
    one-row query (the caller's membership) timed the same way; and the queries of each call."""
    return django_shell(
        env,
        f"""
import json, threading, time
from django.db import connection
from django.test.utils import CaptureQueriesContext
from annotator import services
from annotator.models import Membership, Project
project = Project.objects.get(pk={project})
members = list(Membership.objects.filter(project=project, role="annotator").select_related("user")
               .order_by("-user__username")[:{callers}])
timings = {{"next": [], "root": [], "queries": []}}
barrier = threading.Barrier(len(members))
def reviewer(user):
    barrier.wait()
    try:
        for _ in range({rounds}):
            started = time.perf_counter()
            Membership.objects.filter(project=project, user=user).exists()
            timings["root"].append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                assignment = services.next_assignment(project=project, reviewer=user)
                timings["next"].append((time.perf_counter() - started) * 1000)
            timings["queries"].append(sum(q["sql"] not in ("BEGIN", "COMMIT") for q in captured.captured_queries))
            for sentence in assignment.document.sentences.all():
                services.label_sentence(sentence=sentence, annotator=user, label_name="claim")
    finally:
        connection.close()
threads = [threading.Thread(target=reviewer, args=(m.user,)) for m in members]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(json.dumps(timings))
""",
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))]


def main() -> int:
    args = parse_args()
    callers = min(args.callers, REVIEWERS)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lede.settings.base",
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "ERROR",
    }
    load_before = os.getloadavg()
    print(f"Preparing {args.database}: {ARTICLES} articles, {REVIEWERS} reviewers, overlap {args.overlap}")
    recreate_database(args.pg, args.database)
    data = seed(env, args.overlap)
    admin = psycopg2.connect(f"{args.pg}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"ALTER DATABASE \"{args.database}\" SET track_functions = 'pl'")
    admin.close()
    next_path = f"/api/v1/projects/{data['project']}/assignments/next/"
    port = free_port()
    server = start_gunicorn(env, port, workers=3, threads=4, options=["--keep-alive", "30"])
    timings: dict[str, list[float]] = {"next": [], "root": []}
    lock = threading.Lock()
    errors = []
    barrier = threading.Barrier(callers)

    def reviewer(token: str) -> None:
        client = Client(port, token)
        mine = {"next": [], "root": []}
        try:
            barrier.wait()
            for _ in range(args.rounds):
                assignment = json.loads(client.send("POST", next_path))
                mine["next"].append(client.latencies[-1])
                client.send("GET", "/api/v1/")
                mine["root"].append(client.latencies[-1])
                document = json.loads(client.send("GET", f"/api/v1/documents/{assignment['document']}/"))
                for sentence in document["sentences"]:
                    client.send("PUT", f"/api/v1/sentences/{sentence['id']}/annotation/", {"label": "claim"})
        except Exception as error:
            errors.append(error)
        finally:
            client.close()
            with lock:
                for name, values in mine.items():
                    timings[name].extend(values)

    meter = CpuMeter(server, args.pg, args.database)
    try:
        threads = [threading.Thread(target=reviewer, args=(token,)) for token in data["tokens"][:callers]]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        if errors:
            raise errors[0]
        # An idle backend reports its statistics within PostgreSQL's 10 s idle interval; the server stays up so
        # that the caller alone meets warm connections, as a reviewer would.
        time.sleep(11)
        db = {"http": function_time(args.pg, args.database, wait=False)}
        label_next(port, data["tokens"], next_path)
        time.sleep(11)
        db["warm"] = function_time(args.pg, args.database, wait=False)
        alone = one_caller(port, data["tokens"], next_path, meter)
    finally:
        meter.close()
        stop(server)
    db["alone"] = function_time(args.pg, args.database)
    direct = in_process(env, data["project"], callers, args.rounds)
    db["direct"] = function_time(args.pg, args.database)
    design = check_design(env, data["project"], args.overlap)
    load_after = os.getloadavg()

    def db_per_call(phase: str, previous: str | None) -> str:
        calls, total = db[phase]
        if previous is not None:
            calls, total = calls - db[previous][0], total - db[previous][1]
        return f"{total / calls:.2f} ms a call ({calls} calls)" if calls else "not measured (no lede_next_assignment)"

    row = "{:48}{:>11.1f}{:>9.1f}{:>10}"
    print()
    print(f"{callers} reviewers at once over HTTP, {args.rounds} articles each, {elapsed:.1f} s in all")
    print(f"{'':48}{'median ms':>11}{'p95 ms':>9}{'requests':>10}")
    for name, title in (("root", "GET /api/v1/ (reference floor)"), ("next", "POST assignments/next/ (Lede)")):
        values = timings[name]
        print(row.format(title, percentile(values, 0.5), percentile(values, 0.95), len(values)))
    print(f"  lede_next_assignment() in the database (wall, lock waits included): {db_per_call('http', None)}")
    quiet = "" if alone["idle"] else " (the server was still busy when it began)"
    print(f"One caller alone over HTTP, a new article for each of the {REVIEWERS} reviewers{quiet}:")
    for name, title in (("root", "GET /api/v1/ (reference floor)"), ("next", "POST assignments/next/ (Lede)")):
        values = alone[name]
        print(row.format(title, percentile(values, 0.5), percentile(values, 0.95), len(values)))
    print(
        "  server CPU a request, median ms (gunicorn + database): POST assignments/next/ "
        f"{percentile(alone['next_web'], 0.5):.1f} + {percentile(alone['next_db'], 0.5):.1f}, GET /api/v1/ "
        f"{percentile(alone['root_web'], 0.5):.1f} + {percentile(alone['root_db'], 0.5):.1f}; "
        f"lede_next_assignment(): {db_per_call('alone', 'warm')}"
    )
    print(f"In one process, {callers} threads (no HTTP):")
    for name, title in (("root", "one-row query (reference floor)"), ("next", "services.next_assignment (Lede)")):
        values = direct[name]
        print(row.format(title, percentile(values, 0.5), percentile(values, 0.95), len(values)))
    print(
        f"  queries a call: median {percentile(direct['queries'], 0.5):.0f}, most {max(direct['queries'])}; "
        f"lede_next_assignment(): {db_per_call('direct', 'alone')}"
    )
    print(
        f"Assignments: {design['assignments']}; most reviewers on one article: {design['most']} (k = {args.overlap}); "
        f"articles above k: {design['above_k']}; coverage miscounted: {design['miscounted']}"
    )
    print(
        "Load average (1, 5, 15 min): before "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after "
        + ", ".join(f"{x:.2f}" for x in load_after)
    )
    medians = {
        f"{callers} callers over HTTP": percentile(timings["next"], 0.5),
        f"{callers} threads in one process": percentile(direct["next"], 0.5),
        "one caller alone over HTTP": percentile(alone["next"], 0.5),
    }
    print(f"Target: a median under {TARGET_MEDIAN_MS} ms, no article above k.")
    for measure, median in medians.items():
        print(f"  {measure}: {median:.1f} ms, {'met' if median < TARGET_MEDIAN_MS else 'NOT met'}")
    return 0 if design["above_k"] == 0 and not design["miscounted"] else 1


if __name__ == "__main__":
    sys.exit(main())
