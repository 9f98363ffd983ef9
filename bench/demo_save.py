"""A label save in the demo's configuration (PostgreSQL, no broker), against the API root in the same run.

Run on demand (about half a minute):

    .venv/bin/python bench/demo_save.py [--saves 300] [--server runserver|gunicorn]

It builds the demo as README's first command does (`migrate`, `load_demo`, CELERY_BROKER_URL unset so
tasks run in the server's process), in a database of its own, `lede_bench_demo`, made afresh on the server
--server-url names (default the local one; README's demo runs the same server embedded), starts the demo's server
(`runserver`, or gunicorn with one worker) on a free loopback port, takes `ana`'s token (and `lead`'s, to
read the report) from `/api/v1/auth/token/`, and then alternates `PUT /api/v1/sentences/{id}/annotation/` (every
fifth a claim with a source) with the reference, the trivial `GET /api/v1/`, on one keep-alive
connection. Each save changes the label, so the agreement reports go stale every time; without
a broker they are recomputed by a thread of the server after the response, never inside it.
It prints the median and p95 of both, the target (a save under 50 ms median), and how long after
the last save the project's report was ready again.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from support import Client, free_port, recreate_database, start_gunicorn, start_server, stop

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 50
LABELS = ("claim", "quote", "opinion")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--server", choices=("runserver", "gunicorn"), default="runserver")
    parser.add_argument("--server-url", default="postgres://postgres@127.0.0.1:5432", help="a PostgreSQL server")
    return parser.parse_args()


def demo_environment(folder: Path, server_url: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    recreate_database(server_url, "lede_bench_demo")
    env.update(DATABASE_URL=f"{server_url}/lede_bench_demo", MEDIA_ROOT=str(folder / "media"))
    return env


def build_demo(env: dict) -> None:
    for command in (["migrate", "-v", "0"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)


def start_demo_server(kind: str, env: dict, port: int) -> subprocess.Popen:
    if kind == "gunicorn":
        return start_gunicorn(env, port, threads=4, options=["--keep-alive", "30"])
    command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    return start_server(command, cwd=ROOT, env=env, port=port)


def token(port: int, username: str) -> str:
    client = Client(port, "")
    client.headers = {"Content-Type": "application/json"}
    body = client.send("POST", "/api/v1/auth/token/", {"username": username, "password": "lede-demo-2026"})
    client.close()
    return json.loads(body)["token"]


def demo_sentences(client: Client) -> tuple[int, list[int]]:
    """The demo project's id and the ids of its article's sentences, read as README's walk-through does."""
    project = json.loads(client.send("GET", "/api/v1/projects/"))["results"][0]["id"]
    document = json.loads(client.send("GET", f"/api/v1/projects/{project}/documents/"))["results"][0]["id"]
    sentences = json.loads(client.send("GET", f"/api/v1/documents/{document}/"))["sentences"]
    return project, [sentence["id"] for sentence in sentences]


def save_body(number: int) -> dict:
    label = LABELS[number % len(LABELS)]
    if number % 5 == 0:
        return {"label": "claim", "sources": [{"url": f"https://example.org/evidence/{number}", "title": "Report"}]}
    return {"label": label, "speaker": "Peter Hawkins" if label == "quote" else ""}


def summary(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def seconds_until_ready(client: Client, project: int, last_save: float) -> float:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        report = json.loads(client.send("GET", f"/api/v1/projects/{project}/agreement/"))
        if report["status"] == "ready" and report["current"]:
            return time.monotonic() - last_save
        time.sleep(0.05)
    raise RuntimeError("the project's report was not ready within 60 s of the last save")


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="lede-demo-bench-") as folder:
        env = demo_environment(Path(folder), args.server_url)
        build_demo(env)
        port = free_port()
        server = start_demo_server(args.server, env, port)
        try:
            key = token(port, "ana")
            saver, reference, reader = Client(port, key), Client(port, key), Client(port, token(port, "lead"))
            project, sentences = demo_sentences(reader)
            for number in range(20):  # warm both paths up
                saver.send("PUT", f"/api/v1/sentences/{sentences[number]}/annotation/", save_body(number + 1))
                reference.send("GET", "/api/v1/")
            saver.latencies.clear()
            reference.latencies.clear()
            for number in range(args.saves):
                sentence = sentences[number % len(sentences)]
                saver.send("PUT", f"/api/v1/sentences/{sentence}/annotation/", save_body(number))
                reference.send("GET", "/api/v1/")
            last_save = time.monotonic()
            print_figures(args, summary(saver.latencies), summary(reference.latencies))
            fresh = seconds_until_ready(reader, project, last_save)
            print(f"the project's report was ready {fresh:.1f} s after the last save")
        finally:
            stop(server)


def print_figures(args, save: tuple[float, float], root: tuple[float, float]) -> None:
    print(f"demo configuration: PostgreSQL, no broker, {args.server}; {args.saves} saves as ana, one client")
    print(f"{'request':<38}{'median ms':>10}{'p95 ms':>10}")
    print(f"{'GET /api/v1/ (reference)':<38}{root[0]:>10.1f}{root[1]:>10.1f}")
    print(f"{'PUT /api/v1/sentences/{id}/annotation/':<38}{save[0]:>10.1f}{save[1]:>10.1f}")
    verdict = "met" if save[0] < TARGET_MS else "MISSED"
    print(f"save / reference: {save[0] / root[0]:.1f}x; target < {TARGET_MS} ms median: {verdict}")


if __name__ == "__main__":
    main()
