"""Every task shares one base: it records on its job why it failed once it gives up."""

import json

import pytest
from django.utils.module_loading import import_string

from annotator.services import request_article_import
from annotator.tasks import import_articles
from claims.tasks import build_export_archive, compute_agreement_report
from lede.celery_app import LedeTask
from machine.tasks import train_model

from .factories import SAMPLE_ARTICLE


@pytest.mark.parametrize("task", [import_articles, compute_agreement_report, build_export_archive, train_model])
def test_every_task_names_the_service_that_records_its_failure(task):
    assert isinstance(task, LedeTask)
    assert callable(import_string(task.records_failure))


def test_an_import_that_fails_unexpectedly_says_so_on_its_job(team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ARTICLE_IMPORT_IN_REQUEST_BYTES = 0  # stored for a worker
    job = request_article_import(
        project=team.project, requested_by=team.users["owner"], content=json.dumps({"text": SAMPLE_ARTICLE}).encode()
    )
    job.file.storage.delete(job.file.name)  # the worker cannot read the upload

    result = import_articles.apply(args=[job.pk], throw=False)  # as a worker runs it: the error is not raised here

    assert isinstance(result.result, FileNotFoundError)

    status = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/documents/imports/{job.pk}/").json()
    assert (status["status"], status["created"]) == ("failed", 0)
    assert status["error"] == {"file": ["The import failed (FileNotFoundError); nothing was imported."]}
    assert status["finished"] is not None
