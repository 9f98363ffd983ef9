"""Bulk imports through the API until the articles can be read: 2,000 short texts, and 20 MB of long articles.

    .venv/bin/python bench/bulk_import.py [--megabytes 20] [--database lede_bench_import]

Drops and creates the database, starts gunicorn (3 workers x 4 threads, as docker-compose.yml)
and a Celery worker on both queues (`celery,bulk`, concurrency 2) and waits until they idle (every
process started), then for each file: POST
`…/documents/import/` (multipart JSONL), follow the job's status URL with `?wait=10` (answered as
soon as the job is finished) until it is ready, and print the seconds from the upload to "ready",
the server's CPU seconds (web, worker with the processes it forks, and the PostgreSQL backends;
the backends' share beside it) and, as the reference from the same run, the seconds this process
takes to split the same articles into sentences alone (`segmentation.segment_article`, no database).

The texts are sentences of the BABE news set (`../shared/datasets/babe/tidy_SG2.csv`) when it
is there, else of the sample article, one text per line for the 2,000 short ones, and
paragraphs of four sentences up to 30 kB per article for the long ones.
"""

import argparse
import csv
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

from support import (
    ServerCpu,
    django_shell,
    free_port,
    migrate,
    recreate_database,
    start_gunicorn,
    start_worker,
    stop,
    wait_until_idle,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BABE = ROOT.parent / "shared/datasets/babe/tidy_SG2.csv"
SAMPLE = ROOT / "annotator/fixtures/mosul-offensive-2016-10-24.md"
PG = "postgres://postgres@127.0.0.1:5432"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--database", default="lede_bench_import")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/13")
    return parser.parse_args()


def sentences() -> list[str]:
    if BABE.exists():
        with BABE.open(newline="", encoding="utf-8") as f:
            return [row["text"].strip() for row in csv.DictReader(f) if row.get("text", "").strip()]
    body = SAMPLE.read_text(encoding="utf-8").split("\n\n", 3)[3]
    return [line.strip() for line in body.replace("\n", " ").split(". ") if len(line) > 40]


def short_texts(pool: list[str]) -> bytes:
    """2,000 texts that are each a sentence to label (a few BABE lines read as a byline or a bare link)."""
    from annotator.text.segmentation import SegmentationError, segment_article

    def labellable(text: str) -> bool:
        try:
            return bool(segment_article(text, "text").sentences)
        except SegmentationError:
            return False

    texts = [text for text in pool[:3000] if labellable(text)][:2000]
    return "".join(json.dumps({"text": text, "title": f"Text {n}"}) + "\n" for n, text in enumerate(texts)).encode()


def long_articles(pool: list[str], megabytes: float) -> bytes:
    rng = random.Random(7)
    lines, size = [], 0
    while size < megabytes * 1e6:
        paragraphs, length = [], 0
        while length < 30_000:
            paragraph = " ".join(rng.choice(pool) for _ in range(4))
            paragraphs.append(paragraph)
            length += len(paragraph) + 2
        line = json.dumps({"text": "\n\n".join(paragraphs), "id": f"long-{len(lines)}"}) + "\n"
        lines.append(line)
        size += len(line.encode())
    return "".join(lines).encode()


def split_alone(content: bytes) -> float:
    from annotator.text.segmentation import segment_article

    texts = [json.loads(line)["text"] for line in content.splitlines() if line.strip()]
    started = time.perf_counter()
    for text in texts:
        segment_article(text, "text")
    return time.perf_counter() - started


def seed(env: dict) -> dict:
    migrate(env)
    script = """
import json
from django.contrib.auth import get_user_model
from annotator import services
owner = get_user_model().objects.create_user("owner", password="bench-password-1")
projects = [services.create_project(owner=owner, name=name).pk for name in ("Short texts", "Long articles")]
print(json.dumps({"token": services.issue_token(user=owner)[0], "projects": projects}))
"""
    return django_shell(env, script)


def import_until_ready(client, port: int, token: str, project: int, content: bytes) -> tuple[float, dict]:
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="articles.jsonl"\r\n'
        f"Content-Type: application/x-ndjson\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Authorization": f"Token {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    started = time.perf_counter()
    response = client.post(f"http://127.0.0.1:{port}/api/v1/projects/{project}/documents/import/", content=body,
                           headers=headers)  # fmt: skip
    job = response.json()
    assert response.status_code == 202, job
    while job["status"] not in ("ready", "failed"):
        job = client.get(job["status_url"], params={"wait": 10}, headers=headers).json()
    seconds = time.perf_counter() - started
    assert job["status"] == "ready", job
    return seconds, job


def main() -> int:
    import httpx

    args = parse_args()
    pool = sentences()
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
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")})
    import django

    django.setup()
    files = {"2,000 short texts": short_texts(pool), f"{args.megabytes:g} MB of long articles": long_articles(
        pool, args.megabytes)}  # fmt: skip
    port = free_port()
    worker = start_worker(env, Path(f"/tmp/{args.database}-worker.log"), queues="celery,bulk")
    server = None
    try:
        server = start_gunicorn(env, port, workers=3, threads=4, options=["--timeout", "300"])
        wait_until_idle([server.pid, worker.pid])
        print(
            f"{'file':28}{'MB':>7}{'upload to ready':>17}{'MB/s':>7}{'server CPU':>12}{'of it PostgreSQL':>18}"
            f"{'splitting alone':>17}"
        )
        with httpx.Client(timeout=600) as client:
            for (name, content), project in zip(files.items(), state["projects"], strict=True):
                # Sampled often: the processes that split a large import live for a second or two.
                with ServerCpu([server.pid, worker.pid], args.database, PG, interval=0.05) as cpu:
                    seconds, job = import_until_ready(client, port, state["token"], project, content)
                cpu.close()
                megabytes = len(content) / 1e6
                print(
                    f"{name:28}{megabytes:7.1f}{seconds:15.2f} s{megabytes / seconds:7.1f}{cpu.seconds():10.2f} s"
                    f"{cpu.seconds('postgres'):16.2f} s{split_alone(content):15.2f} s   ({job['created']} articles)"
                )
    finally:
        for process in (server, worker):
            if process is not None:
                stop(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
