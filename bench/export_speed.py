"""Export one million labels as CSV and JSONL through Lede's HTTP API and compare with PostgreSQL's own COPY.

    .venv/bin/python bench/export_speed.py [--labels 1000000] [--database lede_bench_exports] [--rebuild]

Builds (once; reused on later runs) a PostgreSQL database holding a project of N labels
(5 reviewers per sentence, 50 sentences per article, a source on every tenth label) with
COPY, then, in the same run:

- COPY (<the export's own SELECT>) TO STDOUT WITH CSV: the reference;
- the streaming writers in this process (no HTTP);
- GET annotations.csv and annotations.jsonl from gunicorn (one sync worker, a subprocess),
  timing the first byte and the whole body, and reading the worker's CPU seconds and peak RSS (VmHWM).

The machine may be shared: the CPU seconds of the writers compare better than their wall time.

Targets: within 3x of COPY, under 200 MB peak for the server process.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

from support import ensure_database, free_port, setup_django, start_gunicorn, stop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = "postgres://postgres@127.0.0.1:5432"  # where the benchmark database lives
REVIEWERS = 5
PER_DOCUMENT = 50
PROJECT_NAME = "export-bench"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=1_000_000)
    parser.add_argument("--database", default="lede_bench_exports")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the benchmark database")
    return parser.parse_args()


def copy_rows(cursor, table: str, columns: str, rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(row) + "\n")
        if buffer.tell() > 8 << 20:
            buffer.seek(0)
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
            buffer = io.StringIO()
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def build_project(labels: int):
    """The benchmark project, created with COPY unless a project of that size is already there."""
    from django.db import connection, transaction

    from annotator import services
    from annotator.models import Annotation, Label, Project
    from tests.factories import UserFactory, add_member

    project = Project.objects.filter(name=PROJECT_NAME).first()
    if project and Annotation.objects.filter(sentence__document__project=project).count() == labels:
        owner = project.memberships.get(role="owner").user
        return project, services.issue_token(user=owner)[0]
    if project:
        project.delete()
    started = time.perf_counter()
    owner = UserFactory(username="bench-owner")
    project = services.create_project(owner=owner, name=PROJECT_NAME)
    reviewers = [add_member(project, "annotator", f"bench-reviewer-{r}").pk for r in range(REVIEWERS)]
    label_ids = list(Label.objects.filter(project=project).values_list("pk", flat=True))
    sentences = labels // REVIEWERS
    documents = sentences // PER_DOCUMENT
    body = [f"Sentence {i} of the article says that the council met on Monday." for i in range(PER_DOCUMENT)]
    text = " ".join(body)
    now = "2024-05-01 12:00:00+00"
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("SELECT nextval(pg_get_serial_sequence('annotator_document', 'id'))")
        first_doc = cursor.fetchone()[0] + 1
        document_columns = (
            "id, project_id, key, title, author, outlet, url, format, text, created, topics, attributes, removed,"
            " calibration, training, coverage"
        )
        copy_rows(cursor, "annotator_document", document_columns,
                  ((str(first_doc + d), str(project.pk), f"doc-{d}", f"Article {d}", "", "Daily Bench",
                    f"https://news.example/{d}", "text", text, now, "[]", "{}", "[]", "f", "f", "0")
                   for d in range(documents)))  # fmt: skip

        def sentence_rows():
            sid = 0
            for d in range(documents):
                offset = 0
                for i, sentence in enumerate(body):
                    sid += 1
                    yield (str(sid), str(first_doc + d), str(i), "0", str(offset), str(offset + len(sentence)),
                           sentence, "")  # fmt: skip
                    offset += len(sentence) + 1

        cursor.execute("SELECT coalesce(max(id), 0) FROM annotator_sentence")
        base_sentence = cursor.fetchone()[0]
        copy_rows(cursor, "annotator_sentence", "id, document_id, index, paragraph, start, \"end\", text, key",
                  ((str(base_sentence + int(r[0])), *r[1:]) for r in sentence_rows()))  # fmt: skip
        cursor.execute("SELECT coalesce(max(id), 0) FROM annotator_annotation")
        base_annotation = cursor.fetchone()[0]
        annotation_columns = "id, sentence_id, annotator_id, label_id, speaker, note, created, updated"
        copy_rows(cursor, "annotator_annotation", annotation_columns,
                  ((str(base_annotation + s * REVIEWERS + r + 1), str(base_sentence + s + 1), str(reviewer),
                    str(label_ids[(s + r * (s % 3)) % 3]), "", "", now, now)
                   for s in range(sentences) for r, reviewer in enumerate(reviewers)))  # fmt: skip
        copy_rows(cursor, "annotator_source", "annotation_id, url, title, note, position",
                  ((str(base_annotation + a), f"https://evidence.example/{a}", "Evidence", "", "0")
                   for a in range(1, sentences * REVIEWERS + 1, 10)))  # fmt: skip
        for table in ("annotator_document", "annotator_sentence", "annotator_annotation", "annotator_source"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("ANALYZE")
    print(f"built {sentences * REVIEWERS:,} labels in {time.perf_counter() - started:.1f} s")
    return project, services.issue_token(user=owner)[0]


def time_copy(project) -> tuple[float, int]:
    """COPY (the export's own SELECT) TO STDOUT WITH CSV: what PostgreSQL alone takes for the same rows."""
    from django.db import connection, transaction

    from claims.exports import rows

    names = rows.annotator_names(project, pseudonymize=False)
    sql, params = rows.annotation_rows(project, rows.ExportFilters(), names).query.sql_with_params()

    class Sink(io.RawIOBase):
        size = 0

        def write(self, data):
            self.size += len(data)
            return len(data)

    with transaction.atomic(), connection.cursor() as cursor:
        statement = cursor.cursor.mogrify(sql, params).decode()
        sink = Sink()
        started = time.perf_counter()
        cursor.cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH CSV HEADER", sink)
        return time.perf_counter() - started, sink.size


def time_writer(project, name: str) -> tuple[float, float, int]:
    """Wall and CPU seconds of this process (the database's own work is not in the CPU figure)."""
    from claims.exports import FORMATS, ExportFilters

    started, cpu = time.perf_counter(), time.process_time()
    size = sum(len(block) for block in FORMATS[name].writer(project, ExportFilters()))
    return time.perf_counter() - started, time.process_time() - cpu, size


def worker_pid(master: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def load() -> str:
    return "load average " + ", ".join(f"{figure:.2f}" for figure in os.getloadavg())


def fetch(client, url: str, token: str) -> tuple[float, float, int]:
    started = time.perf_counter()
    first = None
    size = 0
    with client.stream("GET", url, headers={"Authorization": f"Token {token}"}) as response:
        response.raise_for_status()
        for block in response.iter_raw():
            if first is None:
                first = time.perf_counter() - started
            size += len(block)
    return first, time.perf_counter() - started, size


def main():
    args = parse_args()
    setup_django(ensure_database(SERVER, args.database, rebuild=args.rebuild))
    import httpx

    project, token = build_project(args.labels)
    print(load())
    copy_seconds, copy_bytes = time_copy(project)
    print(f"PostgreSQL COPY ... TO STDOUT WITH CSV: {copy_seconds:.2f} s, {copy_bytes / 1e6:.0f} MB")
    for name in ("annotations.csv", "annotations.jsonl"):
        seconds, cpu, size = time_writer(project, name)
        print(
            f"writer in process, {name}: {seconds:.2f} s ({seconds / copy_seconds:.1f}x COPY), "
            f"{cpu:.2f} CPU s ({cpu / args.labels * 1e6:.1f} us a label), {size / 1e6:.0f} MB"
        )

    port = free_port()
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "SECRET_KEY": "bench-" + "x" * 50}
    server = start_gunicorn(env, port, options=["--timeout", "900", "--log-level", "warning"])
    try:
        worker = worker_pid(server.pid)
        base = f"http://127.0.0.1:{port}/api/v1/projects/{project.pk}/export/"
        with httpx.Client(timeout=900) as client:
            fetch(client, base + "agreement.csv", token)
            print(f"gunicorn worker after a small request: peak RSS {peak_rss_mb(worker):.0f} MB")
            for name in ("annotations.csv", "annotations.jsonl"):
                cpu = cpu_seconds(worker)
                first, seconds, size = fetch(client, base + name, token)
                print(
                    f"HTTP {name}: first byte {first * 1000:.0f} ms, all {seconds:.2f} s "
                    f"({seconds / copy_seconds:.1f}x COPY), worker {cpu_seconds(worker) - cpu:.2f} CPU s, "
                    f"{size / 1e6:.0f} MB, worker peak RSS {peak_rss_mb(worker):.0f} MB"
                )
    finally:
        stop(server)
    print(load())


if __name__ == "__main__":
    main()
