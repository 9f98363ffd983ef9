"""Integration: a real `celery worker` process keeps agreement reports fresh while reviewers save labels.

The worker runs against Redis and the same PostgreSQL test database as this test (transactional
tests commit, so the worker sees the labels). It listens on a queue of its own, so that other
workers on this machine never take these tasks.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import kombu.pools
import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from claims import agreement
from claims.models import AgreementReport
from lede.celery_app import app as celery_app
from tests.factories import import_article

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/5")
DEBOUNCE = 1.0


def wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def forget_broker_connections() -> None:
    """Drop the app's pooled broker connections so the next send uses the broker now configured."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker(settings, tmp_path):
    """A `celery -A lede worker` process on a private queue; the test sends tasks to it through Redis."""
    if connection.vendor != "postgresql":
        pytest.fail(
            "The worker tests need PostgreSQL (a worker process cannot open SQLite's in-memory test database): "
            "run them with DATABASE_URL=postgres://postgres@127.0.0.1:5432/lede"
        )
    queue = f"lede-test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "AGREEMENT_DEBOUNCE_SECONDS": str(DEBOUNCE),
        "AGREEMENT_MAX_WAIT_SECONDS": "10",
        "AGREEMENT_BOOTSTRAP_RESAMPLES": "200",
        "CONN_MAX_AGE": "0",
    }
    command = [str(Path(sys.executable).with_name("celery")), "-A", "lede", "worker", "--pool=solo", "-Q", queue]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    # The app reads Django settings under the CELERY_ namespace: those prefixed keys win over plain ones.
    saved = {key: celery_app.conf.get(key) for key in ("CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL")}
    saved["CELERY_TASK_DEFAULT_QUEUE"] = celery_app.conf.task_default_queue
    celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=BROKER, CELERY_TASK_DEFAULT_QUEUE=queue)
    assert not celery_app.conf.task_always_eager
    forget_broker_connections()
    settings.AGREEMENT_DEBOUNCE_SECONDS = DEBOUNCE
    try:
        wait_for(lambda: "ready." in log.read_text() or process.poll() is not None, timeout=60, what="the worker")
        assert process.poll() is None, log.read_text()[-3000:]
        yield process
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        with celery_app.connection_for_write() as broker:
            broker.default_channel.queue_delete(queue)
        celery_app.conf.update(saved)
        forget_broker_connections()


@pytest.fixture
def study(team):
    """The team plus an article of 30 sentences."""
    text = " ".join(f"Sentence number {n} says something." for n in range(1, 31))
    document = import_article(team.project, text=text, title="Thirty")
    team.thirty = list(document.sentences.order_by("index"))
    assert len(team.thirty) == 30
    return team


def project_report(project):
    return AgreementReport.objects.filter(project=project, document__isnull=True).first()


def test_worker_computes_the_report_after_labels_are_saved_through_the_api(worker, study):
    given = {"annotator": ["claim", "quote", "opinion", "claim"], "annotator2": ["claim", "quote", "claim", "claim"]}
    sentences = list(study.document.sentences.order_by("index"))
    for who, names in given.items():
        client = study.client(who)
        for sentence, name in zip(sentences, names, strict=True):
            assert client.put(f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": name}).status_code == 201

    report = wait_for(
        lambda: (r := project_report(study.project)) and r.status == "ready" and r.annotation_count == 8 and r,
        timeout=30,
        what="the project report",
    )

    categories = ["claim", "quote", "opinion"]
    data = np.array([[categories.index(a), categories.index(b)] for a, b in zip(*given.values(), strict=True)])
    expected = agreement.krippendorff_alpha(data, n_categories=3).alpha
    assert report.result["alpha"] == pytest.approx(expected)
    assert report.result["annotators"] == 2
    body = study.client("viewer").get(f"/api/v1/projects/{study.project.pk}/agreement/").json()
    assert body["current"] is True
    assert body["alpha"] == pytest.approx(expected)
    document_report = wait_for(
        lambda: (r := AgreementReport.objects.get(document=study.document)).status == "ready" and r,
        timeout=30,
        what="the document report",
    )
    assert document_report.result["alpha"] == pytest.approx(expected)


def test_a_burst_of_thirty_saves_coalesces_into_a_handful_of_runs(worker, study):
    client = study.client("annotator")
    for sentence in study.thirty:
        assert client.put(f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "claim"}).status_code == 201
    last_save = timezone.now()

    report = wait_for(
        lambda: (r := project_report(study.project)) and r.status == "ready" and r.annotation_count == 30 and r,
        timeout=30,
        what="the report after the burst",
    )

    assert 1 <= report.computations <= 5
    assert (report.computed_at - last_save).total_seconds() < DEBOUNCE + 5
    assert report.result["per_label"]["claim"]["count"] == 30


def test_a_report_left_running_by_a_killed_worker_is_completed_by_the_next_request(worker, study):
    sentence = study.document.sentences.first()
    for who in ("annotator", "annotator2"):
        study.client(who).put(f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "quote"})
    wait_for(lambda: (r := project_report(study.project)) and r.status == "ready", timeout=30, what="the first run")
    # What a worker killed half-way through a run leaves behind.
    AgreementReport.objects.filter(project=study.project).update(status="running", result=None)
    study.client("owner").put(f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "quote"})

    report = wait_for(
        lambda: (r := project_report(study.project)) and r.status == "ready" and r.result and r,
        timeout=30,
        what="the interrupted report to be completed",
    )
    assert report.annotation_count == 3
    assert report.result["percent_agreement"] == 1.0
