"""A reviewer's label saves through the nginx front while one address makes accounts with an invitation link.

Run on demand (about a minute; loopback only):

    .venv/bin/python bench/join_flood.py [--saves 200] [--attackers 12] [--interval 0.1]

It seeds `lede_bench_join` as bench/brute_force.py does (a reviewer, an article of 200 sentences,
PBKDF2 at full strength), adds an invitation link without a use limit (the worst case: a default
link stops after 25 accounts), starts gunicorn (3 workers x 4 threads) behind the nginx front of
docker-compose, and has the reviewer save `--saves` labels, at most one every `--interval` seconds:

* alone (the reference);
* while `--attackers` threads from 127.0.0.2 ask for the join page as fast as they can (the reference
  for any flood of cheap requests: on one machine the attackers' own CPU takes from the server's);
* while they post the join form (with its CSRF token, as a browser
  does) as fast as they can, each post a new username, so that each post that reaches Lede could
  hash a new password; nginx's sign-in zone and Lede's per-address and per-link budget refuse them;
* the same straight at gunicorn with the budget out of reach (`SIGNIN_FAILURE_LIMIT` one million),
  which is what the red team saw: every post hashes.

It prints each run's median and p95 save time, the ratio of the flood's p95 to the quiet one, and
who answered the attackers' posts how ("nginx" is the proxy's refusal, "Lede" the application's).
"""

import collections
import http.client
import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from pathlib import Path

import brute_force
from brute_force import ATTACKER_ADDRESS, NGINX_PAGE, connect, figures, seed
from support import free_port, run_until_stopped, saves_while_attacked, start_server, stop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import nginx_front  # noqa: E402

INVITE = """
from annotator import services
from annotator.models import Project
from django.contrib.auth import get_user_model
owner = get_user_model().objects.get(username="owner")
link = services.create_invitation(project=Project.objects.get(), created_by=owner, role="annotator", max_uses=None)
print(link.token)
"""


def parse_args():
    return brute_force.parse_args(__doc__, saves=200, database="lede_bench_join")


def join_form(connection: http.client.HTTPConnection, path: str) -> tuple[str, str]:
    """The join page's CSRF cookie and form token, as a browser gets them before posting."""
    connection.request("GET", path)
    response = connection.getresponse()
    page = response.read().decode()
    cookie = next(
        part.split("=", 1)[1]
        for header in response.headers.get_all("Set-Cookie")
        for part in header.split(";")
        if part.strip().startswith("csrftoken=")
    )
    return cookie, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def join(port: int, tls: bool, path: str, prefix: str, stop_event, answers: collections.Counter, lock) -> None:
    """Post the join form with a new username each time until told to stop, counting who answered what;
    with `prefix` empty, only ask for the join page (the reference: a flood of cheap requests)."""
    origin = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    connection = connect(port, tls)
    cookie, token = join_form(connection, path)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"}
    headers.update(Origin=origin, Referer=f"{origin}{path}")
    for n in itertools.count():
        if stop_event.is_set():
            break
        fields = {"csrfmiddlewaretoken": token, "username": f"{prefix}-{n}", "password": "quiet-harbour-lamp-91"}
        fields["password_again"] = fields["password"]
        try:
            if prefix:
                connection.request("POST", path, body=urllib.parse.urlencode(fields), headers=headers)
            else:
                connection.request("GET", path)
            response = connection.getresponse()
            content = response.read()
        except (ConnectionError, http.client.HTTPException):
            connection.close()
            connection = connect(port, tls)
            with lock:
                answers[("closed", "nginx" if tls else "gunicorn")] += 1
            continue
        with lock:
            answers[(response.status, "nginx" if NGINX_PAGE in content else "Lede")] += 1
    connection.close()


def attackers(port: int, tls: bool, path: str, count: int, posting: bool, ready, stop_event, results) -> None:
    """The attackers' process: `count` threads posting joins (or asking for the page); puts what they were
    answered on `results`."""
    answers: collections.Counter = collections.Counter()
    lock, done = threading.Lock(), threading.Event()
    prefixes = [f"flood{os.getpid()}-{n}" if posting else "" for n in range(count)]
    threads = [
        threading.Thread(target=join, args=(port, tls, path, prefix, done, answers, lock)) for prefix in prefixes
    ]
    run_until_stopped(threads, ready, stop_event, done)
    results.put(dict(answers))


def saves(port: int, tls: bool, data: dict, args, count: int, path: str, posting: bool) -> tuple[list[float], dict]:
    latencies, answers = saves_while_attacked(
        port, data["token"], data["sentences"], saves=args.saves, interval=args.interval,
        context=nginx_front.unverified_tls() if tls else None,
        attackers=attackers if count else None, args=(port, tls, path, count, posting),
    )  # fmt: skip
    return latencies, answers or {}


def main():
    args = parse_args()
    env, data = seed(args)
    invited = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", INVITE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    path = f"/join/{invited.stdout.strip().splitlines()[-1]}/"
    runs = [
        ("proxy: alone (ref.)", True, "10", 0, False),
        ("proxy: page flood (ref.)", True, "10", args.attackers, False),
        ("proxy: join flood", True, "10", args.attackers, True),
        ("unthrottled join flood", False, "1000000", args.attackers, True),
    ]
    print(f"{args.saves} saves each, at most one every {args.interval} s; {args.attackers} attackers from one address")
    quiet_p95 = None
    for name, behind_proxy, limit, count, posting in runs:
        app_port, port = free_port(), free_port()
        command = [str(ROOT / ".venv/bin/gunicorn"), "lede.wsgi", "-w", "3", "-k", "gthread", "--threads", "4"]
        command += ["-b", f"127.0.0.1:{app_port}", "--keep-alive", "30"]
        server_env = {**env, "SIGNIN_FAILURE_LIMIT": limit, "BEHIND_PROXY": str(behind_proxy).lower()}
        server = start_server(command, cwd=ROOT, env=server_env, port=app_port)
        proxy, directory = None, tempfile.TemporaryDirectory()
        try:
            if behind_proxy:
                proxy = nginx_front.start(
                    Path(directory.name), upstream=f"127.0.0.1:{app_port}", http_port=free_port(), https_port=port
                )
            else:
                port = app_port
            subprocess.run(
                [sys.executable, "manage.py", "axes_reset"], cwd=ROOT, env=env, check=True, capture_output=True
            )
            load = os.getloadavg()[0]
            latencies, answers = saves(port, behind_proxy, data, args, count, path, posting)
        finally:
            if proxy is not None:
                stop(proxy)
            stop(server)
            directory.cleanup()
        if len(latencies) < 2:
            print(f"{name:24} {len(latencies)} save(s) answered before the run stopped   load {load:4.1f}")
            continue
        p95 = statistics.quantiles(latencies, n=20)[-1]
        quiet_p95 = quiet_p95 or p95
        print(f"{name:24} {figures(latencies)}   p95 {p95 / quiet_p95:4.1f}x quiet   load {load:4.1f}")
        if answers:
            answered = "; ".join(f"{n} x {status} by {who}" for (status, who), n in sorted(answers.items(), key=str))
            print(f"{'':24} {'joins' if posting else 'pages'} answered: {answered}")
    print(f"(attackers from {ATTACKER_ADDRESS}, the reviewer from 127.0.0.1)")


if __name__ == "__main__":
    main()
