"""A 100,000-row CSV of articles imported through the API, beside the JSONL import of the same articles.

    .venv/bin/python bench/table_import.py [--rows 100000] [--database lede_bench_tables]

Drops and creates the database, starts gunicorn and a Celery worker on both queues (as
bench/bulk_import.py does), then imports the same articles twice, each into a project of its own:
as a CSV file (a header row; text, title, outlet, published, topics) and, as the reference from the
same run, as a JSONL file. For each it POSTs the file to `…/documents/import/`, follows the job's
status URL every 0.5 s until it is ready, and prints the seconds from the upload to "ready", rows
a second, and the progress values a lead polling would have seen (so a large table is shown to
import with progress, as JSONL does).
"""

import argparse
import csv
import io
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

from support import django_shell, free_port, migrate, recreate_database, start_gunicorn, start_worker, stop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432"
OUTLETS = ("Gazette", "Courier", "Herald", "Tribune", "Chronicle")
SUBJECTS = ("The council", "The mayor", "A spokesperson", "The minister", "The company", "Residents")
VERBS = ("said on Monday that", "announced that", "denied that", "confirmed that", "warned that")
CLAUSES = ("the bridge would reopen", "the budget was balanced", "prices had risen", "the vote was delayed")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", default="lede_bench_tables")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    return parser.parse_args()


def articles(rows: int) -> list[dict]:
    rng = random.Random(11)
    made = []
    for n in range(rows):
        sentences = [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}." for _ in range(3)]
        made.append(
            {
                "text": " ".join(sentences),
                "title": f"Story {n}",
                "outlet": rng.choice(OUTLETS),
                "published": f"2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
                "topics": "politics;city" if n % 3 else "economy",
            }
        )
    return made


def as_csv(made: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(made[0]))
    writer.writeheader()
    writer.writerows(made)
    return out.getvalue().encode()


def as_jsonl(made: list[dict]) -> bytes:
    return "".join(json.dumps(article) + "\n" for article in made).encode()


def seed(env: dict) -> dict:
    migrate(env)
    script = """
import json
from django.contrib.auth import get_user_model
from annotator import services
owner = get_user_model().objects.create_user("owner", password="bench-password-1")
projects = [services.create_project(owner=owner, name=name).pk for name in ("CSV", "JSONL")]
print(json.dumps({"token": services.issue_token(user=owner)[0], "projects": projects}))
"""
    return django_shell(env, script)


def import_until_ready(client, port: int, token: str, project: int, name: str, content: bytes):
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Authorization": f"Token {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    started = time.perf_counter()
    response = client.post(f"http://127.0.0.1:{port}/api/v1/projects/{project}/documents/import/", content=body,
                           headers=headers)  # fmt: skip
    job = response.json()
    assert response.status_code == 202, job
    seen = [job["progress"]]
    while job["status"] not in ("ready", "failed"):
        time.sleep(0.5)
        job = client.get(job["status_url"], headers=headers).json()
        if job["progress"] != seen[-1]:
            seen.append(job["progress"])
    seconds = time.perf_counter() - started
    assert job["status"] == "ready", job
    return seconds, job, seen


def main() -> int:
    import httpx

    args = parse_args()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lede.settings.base",
        "DATABASE_URL": f"{PG}/{args.database}",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": args.broker,
        "LOG_LEVEL": "ERROR",
        "MEDIA_ROOT": f"/tmp/{args.database}-media",
    }
    recreate_database(PG, args.database)
    state = seed(env)
    made = articles(args.rows)
    files = [("articles.csv", as_csv(made)), ("articles.jsonl", as_jsonl(made))]
    port = free_port()
    worker = start_worker(env, Path(f"/tmp/{args.database}-worker.log"), queues="celery,bulk")
    server = None
    try:
        server = start_gunicorn(env, port, workers=2, threads=2, options=["--timeout", "600"])
        print(f"{'file':16}{'rows':>9}{'MB':>7}{'upload to ready':>17}{'rows/s':>9}  progress seen")
        with httpx.Client(timeout=600) as client:
            for (name, content), project in zip(files, state["projects"], strict=True):
                seconds, job, seen = import_until_ready(client, port, state["token"], project, name, content)
                assert job["created"] == args.rows, job
                shown = " ".join(str(value) for value in seen[:12]) + (" …" if len(seen) > 12 else "")
                print(
                    f"{name:16}{args.rows:9,}{len(content) / 1e6:7.1f}{seconds:15.1f} s"
                    f"{args.rows / seconds:9,.0f}  {shown}"
                )
    finally:
        for process in (server, worker):
            if process is not None:
                stop(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
