"""The sweeper's rules, without a worker: which jobs it requeues, which it fails, what files and archives it removes."""

import datetime
import json
import os
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from annotator.models import ArticleImport
from annotator.services import request_article_import
from annotator.tasks import sweep_article_imports
from claims.models import AgreementReport, ExportArchive
from claims.tasks import sweep_jobs

from .factories import SAMPLE_ARTICLE, label_document

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(hours=1)


@pytest.fixture
def stalled_import(team, settings, tmp_path):
    """An import a killed worker left running: its last heartbeat an hour old, its upload still on disk."""
    settings.MEDIA_ROOT = tmp_path
    settings.ARTICLE_IMPORT_IN_REQUEST_BYTES = 0  # stored for a worker
    content = json.dumps({"text": SAMPLE_ARTICLE, "id": "left"}).encode()
    job = request_article_import(project=team.project, requested_by=team.users["owner"], content=content)
    ArticleImport.objects.filter(pk=job.pk).update(status="running", heartbeat=LONG_AGO, attempts=1)
    return job


def test_a_stalled_import_with_attempts_left_is_run_again(stalled_import, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = sweep_article_imports()

    assert outcome == {"requeued": [stalled_import.pk], "failed": []}
    job = ArticleImport.objects.get(pk=stalled_import.pk)
    assert (job.status, job.attempts, len(job.documents)) == ("ready", 2, 1)


def test_a_job_that_stalled_on_its_last_attempt_fails_and_its_upload_goes(
    stalled_import, settings, django_capture_on_commit_callbacks
):
    ArticleImport.objects.filter(pk=stalled_import.pk).update(attempts=settings.JOB_MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = sweep_article_imports()

    assert outcome == {"requeued": [], "failed": [stalled_import.pk]}
    job = ArticleImport.objects.get(pk=stalled_import.pk)
    assert job.status == "failed"
    assert "WorkerLost" in job.error
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.jsonl"))


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(stalled_import):
    ArticleImport.objects.filter(pk=stalled_import.pk).update(heartbeat=timezone.now())

    assert sweep_article_imports() == {"requeued": [], "failed": []}
    assert ArticleImport.objects.get(pk=stalled_import.pk).status == "running"


def test_uploads_and_partial_zips_nobody_writes_are_removed(team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = LONG_AGO.timestamp()
    for folder, name in (("imports", "orphan.jsonl"), ("exports", "archive-9-x.zip.part")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text("left by a killed worker")
        os.utime(tmp_path / folder / name, (old, old))
    (tmp_path / "exports" / "archive-10-y.zip.part").write_text("being written")

    sweep_article_imports()
    sweep_jobs()

    assert [path.name for path in tmp_path.rglob("*") if path.is_file()] == ["archive-10-y.zip.part"]


def test_archives_past_retention_are_deleted_with_their_files(team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "exports").mkdir()
    for name in ("old.zip", "new.zip"):
        (tmp_path / "exports" / name).write_bytes(b"PK")
    finished = {
        "old.zip": LONG_AGO - datetime.timedelta(days=settings.EXPORT_ARCHIVE_RETENTION_DAYS),
        "new.zip": LONG_AGO,
    }
    for name, when in finished.items():
        archive = ExportArchive.objects.create(project=team.project, file=f"exports/{name}")
        ExportArchive.objects.filter(pk=archive.pk).finish(file=f"exports/{name}")
        ExportArchive.objects.filter(pk=archive.pk).update(finished=when)

    outcome = sweep_jobs()

    assert len(outcome["deleted"]) == 1
    assert list(ExportArchive.objects.values_list("file", flat=True)) == ["exports/new.zip"]
    assert [path.name for path in (tmp_path / "exports").iterdir()] == ["new.zip"]


def test_readers_see_a_stalled_import_with_its_last_heartbeat_and_a_live_one_without(stalled_import, team):
    status_url = f"/api/v1/projects/{team.project.pk}/documents/imports/{stalled_import.pk}/"
    stalled = team.client("owner").get(status_url).json()
    assert (stalled["status"], parse_datetime(stalled["stalled_since"])) == ("running", LONG_AGO)

    ArticleImport.objects.filter(pk=stalled_import.pk).update(heartbeat=timezone.now())
    assert team.client("owner").get(status_url).json()["stalled_since"] is None


def test_a_stalled_import_sent_back_to_the_queue_reads_stalled_until_a_worker_starts_it(stalled_import, team):
    sweep_article_imports()  # requeued after the commit, which this test's transaction never reaches
    job = ArticleImport.objects.get(pk=stalled_import.pk)
    assert (job.status, job.stalled_since) == ("pending", LONG_AGO)


def test_readers_see_a_report_stalled_when_its_run_or_its_request_is_left_and_not_otherwise(team):
    label_document(team.document, team.users["annotator"], "claim")
    url = f"/api/v1/projects/{team.project.pk}/agreement/"
    read = lambda: team.client("viewer").get(url).json()  # noqa: E731
    assert read()["stalled_since"] is None
    report = AgreementReport.objects.get(project=team.project, document__isnull=True)

    AgreementReport.objects.filter(pk=report.pk).update(status="running", heartbeat=LONG_AGO)
    assert parse_datetime(read()["stalled_since"]) == LONG_AGO
    AgreementReport.objects.filter(pk=report.pk).update(status="pending", requested_at=timezone.now())
    assert read()["stalled_since"] is None, "a fresh request waits its turn"
    AgreementReport.objects.filter(pk=report.pk).update(requested_at=LONG_AGO, heartbeat=None)
    assert parse_datetime(read()["stalled_since"]) == LONG_AGO, "a request nobody took"
    AgreementReport.objects.filter(pk=report.pk).update(status="ready")
    assert read()["stalled_since"] is None
