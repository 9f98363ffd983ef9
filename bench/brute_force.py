"""A reviewer's label saves while wrong passwords are hammered at the token endpoint and the login form.

Run on demand (a few minutes: the unthrottled run is slow by nature):

    .venv/bin/python bench/brute_force.py [--saves 300] [--attackers 12] [--interval 0.1]

It drops and creates the database `lede_bench_brute`, creates a reviewer with an article of 200
sentences, and starts gunicorn (3 workers x 4 threads, as docker-compose.yml) with Django's
default password hasher (PBKDF2 at full strength, as in production). Then, in the same run, the
reviewer saves `--saves` labels one after another over a keep-alive connection, at most one every
`--interval` seconds (a quick person's pace, under the proxy's 20 requests a second per address):

* alone (the reference, at rest);
* while `--attackers` threads send `GET /api/v1/` as fast as they can (the reference for any flood
  of cheap requests);
* while `--attackers` threads, half at `/api/v1/auth/token/` and half at the login form
  `/accounts/login/` (with its CSRF token, as a browser sends it), post wrong passwords as fast as
  they can, with sign-in throttling as configured (django-axes, `SIGNIN_FAILURE_LIMIT` 10): after
  the limit the guesses are refused with 429 before any password is hashed;
* the same with throttling out of reach (`SIGNIN_FAILURE_LIMIT` one million): every guess costs
  a PBKDF2 hash, which is what the red-team run saw;
* then alone, under the flood and under the throttled guesses again, through the nginx front of
  docker-compose (`deploy/nginx/lede.conf.template`, rendered and started as tests/test_proxy.py
  does, over TLS, one nginx worker per core as the image has), whose per-address rate limits
  answer most of the flood and the guesses with 429 before gunicorn sees them.

The attackers run in a process of their own from 127.0.0.2 (the reviewer from 127.0.0.1), so that
neither Python's lock nor a per-address limit ties the reviewer to them; on this machine their own
CPU still takes from the server's, which a real attacker's would not, so it is printed too.

It prints each run's median and p95 save time beside the load average, and who answered the
attackers' requests how ("nginx" is the proxy's own refusal, "Lede" the application's answer).
"""

import argparse
import collections
import http.client
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path

import psutil
from support import (
    django_shell,
    free_port,
    migrate,
    recreate_database,
    run_until_stopped,
    saves_while_attacked,
    start_gunicorn,
    stop,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import nginx_front  # noqa: E402

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


def parse_args(doc: str = __doc__, *, saves: int = 300, database: str = "lede_bench_brute"):
    """The options of this bench and of `join_flood.py` (which names its own defaults)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--saves", type=int, default=saves)
    parser.add_argument("--attackers", type=int, default=12)
    parser.add_argument("--interval", type=float, default=0.1, help="seconds from one save's start to the next's")
    parser.add_argument("--database", default=database)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    return parser.parse_args()


TOKEN_GUESS = ("POST", "/api/v1/auth/token/", json.dumps({"username": "owner", "password": "not-the-password"}))
LOGIN_GUESS = ("LOGIN", "/accounts/login/", None)
CHEAP = ("GET", "/api/v1/", None)
ATTACKER_ADDRESS = "127.0.0.2"
NGINX_PAGE = b"<hr><center>nginx"


def connect(port: int, tls: bool) -> http.client.HTTPConnection:
    """An attacker's connection, from its own address; over TLS when `port` is the nginx front's."""
    source = (ATTACKER_ADDRESS, 0)
    if tls:
        context = nginx_front.unverified_tls()
        return http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=context, source_address=source)
    return http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=source)


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


def guess(request: tuple, form: tuple[str, str] | None, origin: str) -> tuple[str, str, str | None, dict]:
    """The method, path, body and headers of `request`; a login guess carries the form's CSRF cookie and
    token, and the Origin and Referer a browser sends (over HTTPS Django requires them)."""
    method, path, body = request
    if method != "LOGIN":
        return method, path, body, {"Content-Type": "application/json"}
    cookie, token = form
    fields = {"csrfmiddlewaretoken": token, "username": "owner", "password": "not-the-password"}
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"}
    headers.update(Origin=origin, Referer=f"{origin}{path}")
    return "POST", path, urllib.parse.urlencode(fields), headers


def attack(port: int, tls: bool, request: tuple, form, stop_event, answers: collections.Counter, lock) -> None:
    """Send `request` until told to stop, counting who answered what (a refused connection is opened again)."""
    method, path, body, headers = guess(request, form, f"{'https' if tls else 'http'}://127.0.0.1:{port}")
    connection = connect(port, tls)
    while not stop_event.is_set():
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (ConnectionError, http.client.HTTPException):
            connection.close()
            connection = connect(port, tls)
            with lock:
                answers[(path, "closed", "nginx" if tls else "gunicorn")] += 1
            continue
        with lock:
            answers[(path, response.status, "nginx" if NGINX_PAGE in content else "Lede")] += 1
    connection.close()


def attackers(port: int, tls: bool, requests: list, count: int, ready, stop_event, results) -> None:
    """The attackers' process: `count` threads sharing out `requests` in turn; puts what they were
    answered and this process's CPU seconds on `results` once `stop_event` is set."""
    form = login_form(connect(port, tls)) if LOGIN_GUESS in requests else None
    answers: collections.Counter = collections.Counter()
    lock, done = threading.Lock(), threading.Event()
    threads = [
        threading.Thread(target=attack, args=(port, tls, requests[n % len(requests)], form, done, answers, lock))
        for n in range(count)
    ]
    run_until_stopped(threads, ready, stop_event, done)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    results.put((dict(answers), usage.ru_utime + usage.ru_stime))


def saves(port: int, tls: bool, data: dict, args, count: int, requests: list) -> tuple[list[float], dict, float]:
    """The reviewer's save times while `count` attackers send `requests`; what they were answered; their CPU seconds."""
    latencies, answered = saves_while_attacked(
        port, data["token"], data["sentences"], saves=args.saves, interval=args.interval,
        context=nginx_front.unverified_tls() if tls else None,
        attackers=attackers if count else None, args=(port, tls, requests, count),
    )  # fmt: skip
    answers, cpu = answered or ({}, 0.0)
    return latencies, answers, cpu


def figures(latencies: list[float]) -> str:
    p95 = statistics.quantiles(latencies, n=20)[-1]
    return f"median {statistics.median(latencies):7.1f} ms   p95 {p95:7.1f} ms"


def cpu_seconds(leader: subprocess.Popen) -> float:
    """User and system CPU seconds of `leader`'s children (nginx's workers) so far."""
    children = psutil.Process(leader.pid).children(recursive=True)
    return sum(child.cpu_times().user + child.cpu_times().system for child in children)


def seed(args) -> tuple[dict, dict]:
    recreate_database(args.pg, args.database)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lede.settings.base",
        "DEBUG": "false",
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "CELERY_BROKER_URL": "",
    }
    migrate(env)
    return env, django_shell(env, SEED)


def main():
    args = parse_args()
    env, data = seed(args)
    guesses = [TOKEN_GUESS, LOGIN_GUESS]
    flood = args.attackers
    runs = [
        ("alone (reference)", False, "10", 0, [CHEAP]),
        ("API root flood (ref.)", False, "10", flood, [CHEAP]),
        ("guesses, throttled", False, "10", flood, guesses),
        ("guesses, unthrottled", False, "1000000", flood, guesses),
        ("proxy: alone (ref.)", True, "10", 0, [CHEAP]),
        ("proxy: API root flood", True, "10", flood, [CHEAP]),
        ("proxy: guesses", True, "10", flood, guesses),
    ]
    print(f"{args.saves} saves each, at most one every {args.interval} s; {args.attackers} attackers from one address")
    for name, behind_proxy, limit, count, requests in runs:
        app_port, port = free_port(), free_port()
        server_env = {**env, "SIGNIN_FAILURE_LIMIT": limit, "BEHIND_PROXY": str(behind_proxy).lower()}
        server = start_gunicorn(server_env, app_port, workers=3, threads=4, options=["--keep-alive", "30"])
        proxy, directory = None, tempfile.TemporaryDirectory()
        try:
            if behind_proxy:
                proxy = nginx_front.start(
                    Path(directory.name),
                    upstream=f"127.0.0.1:{app_port}",
                    http_port=free_port(),
                    https_port=port,
                    workers="auto",
                )
            else:
                port = app_port
            subprocess.run(
                [sys.executable, "manage.py", "axes_reset"], cwd=ROOT, env=env, check=True, capture_output=True
            )
            nginx_before = cpu_seconds(proxy) if proxy else 0.0
            load = os.getloadavg()[0]
            latencies, answers, attackers_cpu = saves(port, behind_proxy, data, args, count, requests)
            nginx_cpu = cpu_seconds(proxy) - nginx_before if proxy else 0.0
        finally:
            if proxy is not None:
                stop(proxy)
            stop(server)
            directory.cleanup()
        load = f"load {load:4.1f}-{os.getloadavg()[0]:4.1f}"
        print(f"{name:22} {figures(latencies)}   {load}")
        if answers:
            answered = "; ".join(
                f"{path} {n} x {status} by {who}" for (path, status, who), n in sorted(answers.items(), key=str)
            )
            cpu = f"attackers' own CPU {attackers_cpu:.1f} s" + (f", nginx's {nginx_cpu:.1f} s" if proxy else "")
            print(f"{'':22} answered: {answered}; {cpu}")


if __name__ == "__main__":
    main()
