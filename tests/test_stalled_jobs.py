"""Jobs that always end: a worker killed with `kill -9` mid-job, or a broker down during saves, leaves
nothing running or pending once the sweeper (Celery beat's tasks) has run.

Each kill test stops the job at a known point: a second database connection holds a table the job
is about to read or write, so the worker is certainly inside the job, past marking it running, when
it is killed. Then a new worker starts and the sweeper runs until the job ends.
"""

import contextlib
import io
import json
from pathlib import Path

import psycopg2
import pytest
from django.utils.dateparse import parse_datetime

from annotator.models import Annotation, ArticleImport, Document
from annotator.tasks import sweep_article_imports
from claims.models import AgreementReport, ExportArchive
from claims.tasks import build_export_archive, compute_agreement_report, sweep_jobs
from lede.celery_app import app as celery_app

from .factories import SAMPLE_ARTICLE, label_document
from .worker import Worker, database_url, forget_broker_connections, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# The whole test, from the kill to the job's end, has this long: the issue asks for two minutes.
TWO_MINUTES = 120


@pytest.fixture(autouse=True)
def short_heartbeats(settings):
    """The test's worker beats every half second (tests/worker.py); three silent seconds mean it is gone."""
    settings.JOB_STALLED_AFTER_SECONDS = 3


@contextlib.contextmanager
def table_held(model):
    """Hold `model`'s table in ACCESS EXCLUSIVE mode from another connection: whoever touches it waits."""
    holder = psycopg2.connect(database_url())
    try:
        with holder.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{model._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
        yield
    finally:
        holder.rollback()
        holder.close()


def reports_settled(project) -> bool:
    reports = AgreementReport.objects.filter(project=project)
    return reports.exists() and not reports.exclude(status="ready").exists()


def sweep_until_ended(rows, what: str):
    """Run the sweepers as beat would, until `rows`' one row is ready or failed; return it."""

    def ended():
        sweep_article_imports()
        sweep_jobs()
        job = rows.get()
        return job if job.status in ("ready", "failed") else None

    return wait_for(ended, timeout=TWO_MINUTES, what=what)


def test_a_recomputation_killed_with_its_worker_ends_ready(worker, team):
    label_document(team.document, team.users["annotator"], "claim")
    wait_for(lambda: reports_settled(team.project), timeout=30, what="the first runs")
    report = AgreementReport.objects.get(project=team.project, document__isnull=True)
    AgreementReport.objects.filter(pk=report.pk).update(status="pending")

    with table_held(Annotation):  # the run reads the labels after marking the report running
        compute_agreement_report.delay(report.pk)
        wait_for(lambda: AgreementReport.objects.get(pk=report.pk).status == "running", timeout=30, what="the run")
        worker.kill()
    worker.start()

    ended = sweep_until_ended(AgreementReport.objects.filter(pk=report.pk), "the report to end")
    assert ended.status == "ready"
    assert ended.annotation_count == team.document.sentences.count()


def test_an_article_import_killed_with_its_worker_ends_ready(worker, team, settings):
    settings.ARTICLE_IMPORT_IN_REQUEST_BYTES = 0  # queued for the worker, however small
    worker.kill()  # the import waits in the queue until a worker starts inside the held table
    upload = io.BytesIO(json.dumps({"text": SAMPLE_ARTICLE, "id": "killed"}).encode())
    upload.name = "one.jsonl"
    response = team.client("owner").post(
        f"/api/v1/projects/{team.project.pk}/documents/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 202
    jobs = ArticleImport.objects.filter(pk=response.json()["id"])

    with table_held(Document):
        worker.start()
        wait_for(lambda: jobs.get().status == "running", timeout=30, what="the import to start")
        worker.kill()
    worker.start()

    ended = sweep_until_ended(jobs, "the import to end")
    assert ended.status == "ready"
    assert ended.attempts == 2
    assert Document.objects.filter(project=team.project, key="killed").count() == 1
    assert not any((Path(settings.MEDIA_ROOT) / "imports").iterdir())


def test_an_archive_build_killed_with_its_worker_ends_ready_and_leaves_no_partial_file(worker, team, settings):
    label_document(team.document, team.users["annotator"], "claim")
    wait_for(lambda: reports_settled(team.project), timeout=30, what="the reports")
    archive = ExportArchive.objects.create(project=team.project, requested_by=team.users["owner"])
    builds = ExportArchive.objects.filter(pk=archive.pk)
    exports = Path(settings.MEDIA_ROOT) / "exports"

    with table_held(AgreementReport):  # agreement.json comes after four files are written to the partial zip
        build_export_archive.delay(archive.pk)
        wait_for(lambda: builds.get().progress > 0, timeout=30, what="the build to write its first files")
        worker.kill()
    assert list(exports.glob("*.zip.part"))
    worker.start()

    ended = sweep_until_ended(builds, "the build to end")
    assert ended.status == "ready"
    assert (Path(settings.MEDIA_ROOT) / ended.file.name).is_file()
    wait_for(lambda: not list(exports.glob("*.zip.part")), timeout=TWO_MINUTES, what="the partial file removed")
    download = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/exports/{archive.pk}/download/")
    assert download.status_code == 200


@contextlib.contextmanager
def broker_down():
    """Tasks sent in the block go to a broker that nobody listens on, as while Redis is down."""
    saved_broker = celery_app.conf.broker_url
    celery_app.conf.update(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    forget_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.update(CELERY_BROKER_URL=saved_broker)
        forget_broker_connections()


def test_a_report_left_pending_while_the_broker_was_down_is_recomputed_by_the_sweeper(worker, team, settings):
    label_document(team.document, team.users["annotator"], "claim")
    wait_for(lambda: reports_settled(team.project), timeout=30, what="the first runs")
    with broker_down():
        sentence = team.document.sentences.first()
        assert team.save_label("annotator2", sentence, "quote").status_code == 201
    report = AgreementReport.objects.get(project=team.project, document__isnull=True)
    assert report.status == "pending"

    ended = sweep_until_ended(AgreementReport.objects.filter(pk=report.pk), "the pending report to be computed")
    assert ended.status == "ready"
    assert ended.annotation_count == team.document.sentences.count() + 1


def test_every_report_left_pending_by_saves_made_only_while_the_broker_was_down_becomes_ready(worker, team):
    """Several reviewers save during the outage and nobody saves after it: both the project's and the
    article's reports end ready with every label, without another save."""
    label_document(team.document, team.users["annotator"], "claim")
    wait_for(lambda: reports_settled(team.project), timeout=30, what="the first runs")
    with broker_down():
        for who in ("annotator2", "curator"):
            for sentence in team.document.sentences.all():
                assert team.save_label(who, sentence, "quote").status_code == 201
    reports = AgreementReport.objects.filter(project=team.project)
    assert set(reports.values_list("status", flat=True)) == {"pending"}

    def all_ready():
        sweep_jobs()
        return reports_settled(team.project)

    wait_for(all_ready, timeout=TWO_MINUTES, what="every pending report to be computed")
    labels = 3 * team.document.sentences.count()
    assert {report.annotation_count for report in reports} == {labels}


@pytest.fixture
def two_workers(worker, tmp_path):
    """docker-compose's two workers on the test's private queues: one for agreement reports, one for imports
    and archives, each also consuming a sweeps queue of its own as every worker does (see docker-compose.yml)."""
    worker.kill()
    default, bulk = worker.queues
    sweeps = f"{default}-sweeps"
    agreement = Worker([default, sweeps], worker.env, tmp_path / "agreement.log")
    imports = Worker([bulk, sweeps], worker.env, tmp_path / "bulk.log")
    started = []
    try:
        for each in (agreement, imports):
            each.start()
            started.append(each)
        yield agreement, imports, sweeps
    finally:
        for each in started:
            if each.process.poll() is None:
                each.kill()
        with celery_app.connection_for_write() as broker:
            broker.default_channel.queue_delete(sweeps)


def sweep_through_the_broker_until(condition, sweeps: str, what: str):
    """Send the sweeps as beat does, through Redis to the sweeps queue, until `condition` holds; never run here."""

    def swept():
        sweep_article_imports.apply_async(queue=sweeps)
        sweep_jobs.apply_async(queue=sweeps)
        return wait_for_quietly(condition)

    return wait_for(swept, timeout=TWO_MINUTES, what=what)


def wait_for_quietly(condition, seconds: float = 2.0):
    try:
        return wait_for(condition, timeout=seconds, what="")
    except AssertionError:
        return None


def test_a_report_whose_agreement_worker_was_killed_and_stays_dead_is_swept_and_reads_stalled(two_workers, team):
    agreement, imports, sweeps = two_workers
    label_document(team.document, team.users["annotator"], "claim")
    wait_for(lambda: reports_settled(team.project), timeout=30, what="the first runs")
    report = AgreementReport.objects.get(project=team.project, document__isnull=True)
    AgreementReport.objects.filter(pk=report.pk).update(status="pending")
    with table_held(Annotation):
        compute_agreement_report.delay(report.pk)
        wait_for(lambda: AgreementReport.objects.get(pk=report.pk).status == "running", timeout=30, what="the run")
        agreement.kill()
    last_beat = AgreementReport.objects.get(pk=report.pk).heartbeat
    read = lambda: team.client("viewer").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()  # noqa: E731

    stalled = wait_for(lambda: read()["stalled_since"] and read(), timeout=30, what="the reader to see it stalled")
    assert stalled["status"] == "running"
    assert parse_datetime(stalled["stalled_since"]) == last_beat

    swept = sweep_through_the_broker_until(
        lambda: AgreementReport.objects.get(pk=report.pk).status == "pending", sweeps, "the bulk worker's sweep"
    )
    assert swept
    assert "claims.tasks.sweep_jobs" in imports.log.read_text()
    assert parse_datetime(read()["stalled_since"]) >= last_beat, "still stalled: no worker serves its queue"


def queued_runs(queue: str) -> list[int]:
    """The report ids of the agreement runs waiting in `queue` (a Redis list nobody consumes now)."""
    with celery_app.connection_for_write() as broker:
        messages = broker.default_channel.client.lrange(queue, 0, -1)
    headers = [json.loads(message)["headers"] for message in messages]
    return sorted(
        int(header["argsrepr"].strip("()").split(",")[0])
        for header in headers
        if header["task"] == "claims.tasks.compute_agreement_report"
    )


def test_sweeps_while_the_agreement_worker_stays_dead_queue_each_left_report_once(two_workers, team):
    agreement = two_workers[0]
    label_document(team.document, team.users["annotator"], "claim")
    wait_for(lambda: reports_settled(team.project), timeout=30, what="the first runs")
    agreement.kill()
    with broker_down():  # the saves' own runs are lost: only the sweeper can queue the reports again
        assert team.save_label("annotator2", team.document.sentences.first(), "quote").status_code == 201
    reports = AgreementReport.objects.filter(project=team.project)
    wait_for(lambda: reports.filter(status="pending").count() == 2 and sweep_jobs()["reports"], timeout=30,
             what="the left reports to be swept")  # fmt: skip
    for _ in range(3):
        assert sweep_jobs()["reports"] == []

    assert queued_runs(agreement.queues[0]) == sorted(reports.values_list("pk", flat=True))
    agreement.start()
    wait_for(lambda: reports_settled(team.project), timeout=TWO_MINUTES, what="the queued runs")
    assert {report.annotation_count for report in reports} == {team.document.sentences.count() + 1}


def test_an_import_whose_bulk_worker_was_killed_and_stays_dead_is_swept_and_reads_stalled(two_workers, team, settings):
    agreement, imports, sweeps = two_workers
    settings.ARTICLE_IMPORT_IN_REQUEST_BYTES = 0  # queued for the worker, however small
    upload = io.BytesIO(json.dumps({"text": SAMPLE_ARTICLE, "id": "killed"}).encode())
    upload.name = "one.jsonl"
    imports.kill()  # the import waits in the queue until the worker starts again inside the held table
    response = team.client("owner").post(
        f"/api/v1/projects/{team.project.pk}/documents/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 202
    jobs = ArticleImport.objects.filter(pk=response.json()["id"])
    with table_held(Document):
        imports.start()
        wait_for(lambda: jobs.get().status == "running", timeout=30, what="the import to start")
        imports.kill()
    last_beat = jobs.get().heartbeat
    status_url = f"/api/v1/projects/{team.project.pk}/documents/imports/{jobs.get().pk}/"
    read = lambda: team.client("owner").get(status_url).json()  # noqa: E731

    stalled = wait_for(lambda: read()["stalled_since"] and read(), timeout=30, what="the reader to see it stalled")
    assert stalled["status"] == "running"
    assert parse_datetime(stalled["stalled_since"]) == last_beat

    sweep_through_the_broker_until(lambda: jobs.get().status == "pending", sweeps, "the agreement worker's sweep")
    assert "annotator.tasks.sweep_article_imports" in agreement.log.read_text()
    job = read()
    assert (job["status"], parse_datetime(job["stalled_since"])) == ("pending", last_beat)
    assert not Document.objects.filter(project=team.project, key="killed").exists()
