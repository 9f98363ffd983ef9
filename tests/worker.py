"""A real `celery -A lede worker` process for the integration tests (the `worker` fixture).

The worker runs with the test's settings module, against Redis and the same PostgreSQL test database
as the test (transactional tests commit, so the worker sees what they write). It listens on a queue
of its own, so that other workers on this machine never take these tasks. Loaded by tests/conftest.py
as a plugin; `wait_for` serves every test that waits on a condition with a deadline.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import kombu.pools
import pytest

from lede.celery_app import app as celery_app

from .database import database_url

ROOT = Path(__file__).resolve().parents[1]
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/5")
DEBOUNCE = 1.0
# Seconds between a worker's heartbeats in these tests (see annotator.jobs.beating).
HEARTBEAT = 0.5


def wait_for(condition, *, timeout: float, what: str):
    """Poll `condition` until it returns something true, and return that; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")


def forget_routes() -> None:
    """Make the app route tasks by the routes now configured (its router keeps those it was built with)."""
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


def forget_broker_connections() -> None:
    """Drop the app's pooled broker connections so the next send uses the broker now configured."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class Worker:
    """A `celery -A lede worker` process serving the test's private queues; it may be killed and started again."""

    def __init__(self, queues: list[str], env: dict[str, str], log: Path):
        self.queues, self.env, self.log = queues, env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [str(Path(sys.executable).with_name("celery")), "-A", "lede", "worker", "--pool=solo"]
        command += ["-Q", ",".join(self.queues), "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["-l", "info"]
        self.log.write_text("")
        with self.log.open("w") as output:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT)
        wait_for(lambda: "ready." in self.log.read_text() or self.process.poll() is not None, timeout=60, what="worker")
        assert self.process.poll() is None, self.log.read_text()[-3000:]

    def kill(self) -> None:
        """`kill -9`: the worker ends at once, acknowledging nothing and cleaning nothing up."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def worker(settings, tmp_path):
    """A `Worker` on private queues (the default one and `bulk`); the test sends tasks to it through Redis."""
    queue = f"lede-test-{uuid.uuid4().hex[:8]}"
    bulk = f"{queue}-bulk"
    settings.MEDIA_ROOT = tmp_path / "media"  # shared with the worker, as docker-compose's `media` volume
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],  # pytest-django's, lede.settings.test
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "AGREEMENT_DEBOUNCE_SECONDS": str(DEBOUNCE),
        "AGREEMENT_MAX_WAIT_SECONDS": "10",
        "AGREEMENT_BOOTSTRAP_RESAMPLES": "200",
        "JOB_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    # The app reads Django settings under the CELERY_ namespace: those prefixed keys win over plain ones.
    keys = ("CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL", "CELERY_TASK_DEFAULT_QUEUE", "CELERY_TASK_ROUTES")
    saved = {key: celery_app.conf.get(key) for key in keys}
    saved["CELERY_TASK_DEFAULT_QUEUE"] = celery_app.conf.task_default_queue
    saved["CELERY_TASK_ROUTES"] = celery_app.conf.task_routes
    routes = {name: {"queue": bulk} for name in settings.CELERY_TASK_ROUTES}
    celery_app.conf.update(
        CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=BROKER, CELERY_TASK_DEFAULT_QUEUE=queue,
        CELERY_TASK_ROUTES=routes,
    )  # fmt: skip
    forget_routes()
    assert not celery_app.conf.task_always_eager
    forget_broker_connections()
    settings.AGREEMENT_DEBOUNCE_SECONDS = DEBOUNCE
    process = Worker([queue, bulk], env, tmp_path / "worker.log")
    try:
        process.start()
        yield process
    finally:
        if process.process is not None and process.process.poll() is None:
            process.kill()
        with celery_app.connection_for_write() as broker:
            for name in (queue, bulk):
                broker.default_channel.queue_delete(name)
        celery_app.conf.update(saved)
        forget_routes()
        forget_broker_connections()
