"""A reviewer's label saves while wrong passwords are hammered at the token endpoint and the login form.

Run on demand (a few minutes: the unthrottled run is slow by nature):

    .venv/bin/python bench/brute_force.py [--saves 300] [--attackers 12]

It drops and creates the database `lede_bench_brute`, creates a reviewer with an article of 200
sentences, and starts gunicorn (3 workers x 4 threads, as docker-compose.yml) with Django's
default password hasher (PBKDF2 at full strength, as in production). Then, in the same run, the
reviewer saves `--saves` labels one after another over a keep-alive connection:

* alone (the reference, at rest);
* while `--attackers` threads send `GET /api/v1/` as fast as they can (the reference for any flood
  of cheap requests, which only the proxy's rate limit stops);
* while `--attackers` threads, half at `/api/v1/auth/token/` and half at the login form
  `/accounts/login/` (with its CSRF token, as a browser sends it), post wrong passwords as fast as
  they can, with sign-in throttling as configured (django-axes, `SIGNIN_FAILURE_LIMIT` 10): after
  the limit the guesses are refused with 429 before any password is hashed;
* the same with throttling out of reach (`SIGNIN_FAILURE_LIMIT` one million): every guess costs
  a PBKDF2 hash, which is what the red-team run saw.

It prints each run's median and p95 save time and how each endpoint answered the guesses.
"""

import argparse
import collections
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

from support import Client, free_port, recreate_database, start_server, stop

ROOT = Path(__file__).resolve().parent.parent
SEED = """
import json
from annotator import services
from annotator.models import Membership, Role
from django.contrib.auth import get_user_model
User = get_user_model()
owner = User.objects.create_user("owner", password="bench-password-1")
reviewer = User.objects.create_user("reviewer", password="bench-password-1")
project = services.create_project(owner=owner, name="Bench")
Membership.objects.create(project=project, user=reviewer, role=Role.ANNOTATOR)
text = "\\n\\n".join(" ".join(f"Paragraph {p} states fact {s} about the bridge." for s in range(5)) for p in range(40))
document = services.import_documents(project=project, created_by=owner, articles=[services.ArticleInput(text=text)])[0]
token, _ = services.issue_token(user=reviewer)
print(json.dumps({"token": token, "sentences": list(document.sentences.values_list("id", flat=True))}))
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--attackers", type=int, default=12)
    parser.add_argument("--database", default="lede_bench_brute")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    return parser.parse_args()


TOKEN_GUESS = ("POST", "/api/v1/auth/token/", json.dumps({"username": "owner", "password": "not-the-password"}))
LOGIN_GUESS = ("LOGIN", "/accounts/login/", None)
CHEAP = ("GET", "/api/v1/", None)


def login_form(connection: http.client.HTTPConnection) -> tuple[str, str]:
    """The login page's CSRF cookie and form token, as a browser gets them before posting."""
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = next(
        part.split("=", 1)[1]
        for header in response.headers.get_all("Set-Cookie")
        for part in header.split(";")
        if part.strip().startswith("csrftoken=")
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return cookie, token


def attack(port: int, request: tuple, stop_event: threading.Event, answers: collections.Counter, lock) -> None:
    """Send `request` (a wrong password to the token endpoint or the login form, or the API root) until told to stop."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    method, path, body = request
    headers = {"Content-Type": "application/json"}
    if method == "LOGIN":
        cookie, token = login_form(connection)
        method, body = (
            "POST",
            urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "owner", "password": "not-the-password"}),
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"}
    while not stop_event.is_set():
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        with lock:
            answers[(path, response.status)] += 1
    connection.close()


def saves(
    port: int, token: str, sentences: list[int], count: int, attackers: int, requests
) -> tuple[list[float], dict]:
    """The reviewer's save times while `attackers` threads send `requests` (shared out in turn)."""
    client = Client(port, token)
    answers: collections.Counter = collections.Counter()
    lock, stop_event = threading.Lock(), threading.Event()
    threads = [
        threading.Thread(target=attack, args=(port, requests[n % len(requests)], stop_event, answers, lock))
        for n in range(attackers)
    ]
    for thread in threads:
        thread.start()
    try:
        for n in range(count):
            label = ("claim", "quote", "opinion")[n % 3]
            client.send("PUT", f"/api/v1/sentences/{sentences[n % len(sentences)]}/annotation/", {"label": label})
    finally:
        stop_event.set()
        for thread in threads:
            thread.join()
        client.close()
    return client.latencies, dict(answers)


def figures(latencies: list[float]) -> str:
    p95 = statistics.quantiles(latencies, n=20)[-1]
    return f"median {statistics.median(latencies):7.1f} ms   p95 {p95:7.1f} ms"


def main():
    args = parse_args()
    recreate_database(args.pg, args.database)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lede.settings.base",
        "DEBUG": "false",
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "CELERY_BROKER_URL": "",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    seeded = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEED],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(seeded.stdout.strip().splitlines()[-1])
    guesses = [TOKEN_GUESS, LOGIN_GUESS]
    runs = [("alone (reference)", "10", 0, [CHEAP]), ("API root flood (ref.)", "10", args.attackers, [CHEAP])]
    runs += [
        ("guesses, throttled", "10", args.attackers, guesses),
        ("guesses, unthrottled", "1000000", args.attackers, guesses),
    ]
    for name, limit, attackers, requests in runs:
        port = free_port()
        command = [str(ROOT / ".venv/bin/gunicorn"), "lede.wsgi", "-w", "3", "-k", "gthread", "--threads", "4"]
        command += ["-b", f"127.0.0.1:{port}", "--keep-alive", "30"]
        server = start_server(command, cwd=ROOT, env={**env, "SIGNIN_FAILURE_LIMIT": limit}, port=port)
        try:
            subprocess.run(
                [sys.executable, "manage.py", "axes_reset"], cwd=ROOT, env=env, check=True, capture_output=True
            )
            latencies, answers = saves(port, data["token"], data["sentences"], args.saves, attackers, requests)
        finally:
            stop(server)
        others = "; ".join(f"{path} {count} x {status}" for (path, status), count in sorted(answers.items()))
        print(f"{name:22} {args.saves} saves: {figures(latencies)}   other requests answered: {others or 'none'}")


if __name__ == "__main__":
    main()
