"""Pieces every benchmark needs: a PostgreSQL database, Django, gunicorn, a Celery worker, a free port and a client."""

import contextlib
import http.client
import json
import multiprocessing
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv's scripts: gunicorn, celery


def recreate_database(server: str, name: str) -> None:
    """Drop and create database `name` on `server` (a postgres:// URL without a database)."""
    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def ensure_database(server: str, name: str, *, rebuild: bool = False) -> str:
    """Database `name` on `server`, kept from an earlier run unless `rebuild`; returns its URL."""
    connection = psycopg2.connect(f"{server}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
    connection.close()
    if rebuild or not exists:
        recreate_database(server, name)
    return f"{server}/{name}"


@contextlib.contextmanager
def throwaway_test_database():
    """Django's test database for this process's settings (Django set up already): made for the block, dropped after."""
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        yield
    finally:
        runner.teardown_databases(old_config)


def migrate(env: dict) -> None:
    """`manage.py migrate` in a child process, on the database `env` names."""
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)


def django_shell(env: dict, script: str, *, stdin: str | None = None) -> dict:
    """Run `script` in `manage.py shell` with `env` (and `stdin`); it prints one line of JSON last."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def setup_django(database_url: str, *, tasks_in_process: bool = False) -> None:
    """Set Django up in this process on `database_url` (settings `lede.settings.base` unless the environment
    names others) and migrate; with `tasks_in_process`, without a broker, so that tasks run here."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lede.settings.base")
    if tasks_in_process:
        os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(command: list[str], *, cwd, env: dict, port: int) -> subprocess.Popen:
    """Start a web server in a session of its own; return once it answers GET /api/v1/ on `port`.

    Its output goes to a temporary file, not a pipe: a server that logs every request (runserver)
    would block once nobody reads a full pipe.
    """
    log = tempfile.TemporaryFile()  # noqa: SIM115 - open as long as the server runs
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{command[0]} exited: " + log.read().decode()[-2000:])
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/v1/")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.1)
    stop(server)
    raise RuntimeError(f"{command[0]} did not answer within 30 s")


def start_gunicorn(env: dict, port: int, *, workers: int = 1, threads: int = 1, options=()) -> subprocess.Popen:
    """gunicorn serving Lede on 127.0.0.1:`port`, sync workers or, with `threads` > 1, gthread ones, with
    gunicorn's `options` (e.g. `["--timeout", "900"]`); returns once it answers."""
    command = [str(BIN / "gunicorn"), "lede.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    if threads > 1:
        command += ["-k", "gthread", "--threads", str(threads)]
    return start_server([*command, *options], cwd=ROOT, env=env, port=port)


def start_production_server(database_url: str, port: int, *, workers: int) -> subprocess.Popen:
    """gunicorn with the production settings, as a browser loads pages from it: a fresh secret key, plain HTTP,
    static files collected into a temporary folder, no broker."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lede.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(60),
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="lede-bench-static-"),
        "LOG_LEVEL": "ERROR",
    }
    env.pop("CELERY_BROKER_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return start_gunicorn(env, port, workers=workers)


def start_worker(env: dict, log_path: Path, *, queues: str | None = None) -> subprocess.Popen:
    """A `celery worker` as docker-compose.yml runs it (concurrency 2), on `queues` when given (e.g.
    "celery,bulk"), logging to `log_path`; returns once it says it is ready."""
    command = [str(BIN / "celery"), "-A", "lede", "worker", "--concurrency", "2", "--loglevel", "INFO"]
    if queues:
        command += ["-Q", queues]
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    while "ready." not in log_path.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            stop(worker)
            raise RuntimeError("the celery worker did not start: " + log_path.read_text()[-2000:])
        time.sleep(0.2)
    return worker


def purge_broker(url: str) -> None:
    """Empty the broker's queues: tasks left by an earlier run would be counted in this one."""
    import redis

    redis.Redis.from_url(url).flushdb()


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def wait_until_idle(leaders: list[int], *, window: float = 0.5, timeout: float = 60) -> None:
    """Return once the process trees of `leaders` spent under a hundredth of a second of CPU in `window`
    seconds: a server answers as soon as one worker has started, while the others may still be importing
    the project, and a measurement begun then would count their start-up."""
    deadline = time.monotonic() + timeout

    def spent() -> float:
        total = 0.0
        for leader in leaders:
            try:
                root = psutil.Process(leader)
                for process in (root, *root.children(recursive=True)):
                    times = process.cpu_times()
                    total += times.user + times.system
            except psutil.Error:
                continue
        return total

    before = spent()
    while time.monotonic() < deadline:
        time.sleep(window)
        now = spent()
        if now - before < 0.01:
            return
        before = now
    raise RuntimeError(f"the server was still busy after {timeout:g} s")


class Client:
    """One keep-alive connection that sends requests and records each round trip in milliseconds."""

    def __init__(self, port: int, token: str, context: ssl.SSLContext | None = None):
        """Over TLS with `context` (e.g. to the nginx front), otherwise plain HTTP."""
        if context is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        else:
            self.connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        self.latencies: list[float] = []

    def send(self, method: str, path: str, body: dict | None = None, expect=(200, 201)) -> bytes:
        payload = json.dumps(body) if body is not None else None
        started = time.perf_counter()
        self.connection.request(method, path, body=payload, headers=self.headers)
        response = self.connection.getresponse()
        content = response.read()
        self.latencies.append((time.perf_counter() - started) * 1000)
        if response.status not in expect:
            raise RuntimeError(f"{method} {path} answered {response.status}: {content[:300]!r}")
        return content

    def close(self):
        self.connection.close()


def run_until_stopped(threads: list[threading.Thread], ready, stop_event, done: threading.Event) -> None:
    """Start `threads`, say `ready`, and once `stop_event` is set tell them `done` and wait for them."""
    for thread in threads:
        thread.start()
    ready.set()
    stop_event.wait()
    done.set()
    for thread in threads:
        thread.join()


def saves_while_attacked(
    port: int, token: str, sentences: list[int], *, saves: int, interval: float, context=None, attackers=None, args=()
) -> tuple[list[float], object]:
    """A reviewer's `saves` label saves, at most one every `interval` s, while a spawned process runs
    `attackers(*args, ready, stop_event, results)`; the save times in ms and what the attackers put on
    `results` once told to stop (None without `attackers`). A save unanswered within 30 s counts as
    30 s and ends the run: the server is drowned."""
    processes = multiprocessing.get_context("spawn")
    ready, stop_event, results = processes.Event(), processes.Event(), processes.Queue()
    attacker = None
    if attackers is not None:
        attacker = processes.Process(target=attackers, args=(*args, ready, stop_event, results))
        attacker.start()
        if not ready.wait(60):
            raise RuntimeError("the attackers did not start")
    client = Client(port, token, context)
    try:
        for n in range(saves):
            started = time.monotonic()
            label = ("claim", "quote", "opinion")[n % 3]
            try:
                client.send("PUT", f"/api/v1/sentences/{sentences[n % len(sentences)]}/annotation/", {"label": label})
            except TimeoutError:
                client.latencies.append(30_000.0)
                print(f"save {n + 1} of {saves} got no answer within 30 s; the run stops there")
                break
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    finally:
        stop_event.set()
        client.close()
    if attacker is None:
        return client.latencies, None
    answered = results.get(timeout=120)
    attacker.join()
    return client.latencies, answered


OBSERVER = "lede-bench-observer"


class ServerCpu:
    """CPU seconds (user + system) spent by the server while it is measured: the process trees of
    `leaders` (gunicorn, the Celery worker, their children) and the PostgreSQL backends serving
    `database`. A busy machine stretches wall-clock times but not these.

    `leaders` is a list of pids (counted as kind "server") or a mapping of kind -> pid, e.g.
    {"web": gunicorn.pid, "worker": celery.pid}, to read each group apart with `seconds(kind)`.
    The benchmark's own connections to `database` say `application_name=OBSERVER` and are not counted.

    Samples every `interval` seconds so that a process that ends during the measurement (a
    recycled connection, a worker child) still counts up to its last sample.
    """

    def __init__(self, leaders: list[int] | dict[str, int], database: str, server: str, interval: float = 0.25):
        self.leaders = leaders if isinstance(leaders, dict) else {f"server {pid}": pid for pid in leaders}
        self.database, self.interval = database, interval
        self.connection = psycopg2.connect(f"{server}/postgres")
        self.connection.autocommit = True
        self.start: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.kinds: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _pids(self) -> dict[int, str]:
        found = {}
        for kind, leader in self.leaders.items():
            kind = "server" if kind.startswith("server ") else kind
            try:
                process = psutil.Process(leader)
                found[leader] = kind
                found.update((child.pid, kind) for child in process.children(recursive=True))
            except psutil.NoSuchProcess:
                continue
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                "AND application_name <> %s",
                [self.database, OBSERVER],
            )
            found.update((pid, "postgres") for (pid,) in cursor.fetchall())
        return found

    def _sample(self) -> dict[int, float]:
        seconds = {}
        pids = self._pids()
        self.kinds.update(pids)
        for pid in pids:
            try:
                times = psutil.Process(pid).cpu_times()
            except psutil.Error:
                continue
            seconds[pid] = times.user + times.system
        return seconds

    def _run(self):
        while not self._stop.wait(self.interval):
            self.last.update(self._sample())

    def sessions(self) -> int:
        """Connections ever opened to `database` (PostgreSQL's count): a backend that lives shorter than a
        sampling interval escapes the CPU figures, so how many were opened is told apart."""
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", [self.database])
            return cursor.fetchone()[0]

    def __enter__(self):
        self.sessions_at_start = self.sessions()
        self.start = self._sample()
        self.last = dict(self.start)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.last.update(self._sample())
        self.opened = self.sessions() - self.sessions_at_start

    def seconds(self, kind: str | None = None) -> float:
        """CPU seconds used since `__enter__` by every process, or by those of `kind` ("postgres", "server"
        or a key of `leaders`); a process born meanwhile counts from zero."""
        return sum(
            used - self.start.get(pid, 0.0)
            for pid, used in self.last.items()
            if kind is None or self.kinds.get(pid) == kind
        )

    def close(self):
        self.connection.close()
