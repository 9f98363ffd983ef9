"""The migrations that make article imports and export archives jobs keep the rows made before them, both ways."""

import pytest

from .migration_steps import migrate, models_before

BEFORE_JOBS = [("annotator", "0003_article_import"), ("claims", "0002_agreementreport_computations")]
JOBS = [("annotator", "0004_article_import_job"), ("claims", "0003_export_archive_job")]


@pytest.fixture
def before_jobs(transactional_db):
    """The models before the job migrations; the database is migrated forward again afterwards."""
    yield from models_before(BEFORE_JOBS)


def make_project(models):
    return models.get_model("annotator", "Project").objects.create(name="Bridge study")


def test_an_import_made_before_keeps_its_error_progress_and_request_time(before_jobs):
    project = make_project(before_jobs)
    imports = before_jobs.get_model("annotator", "ArticleImport").objects
    failed = imports.create(
        project=project, status="failed", articles=4, processed=2, error={"file": ["Article 3: text: empty."]}
    )
    ready = imports.create(project=project, status="ready", articles=4, processed=4, documents=[7, 8, 9, 10])
    running = imports.create(project=project, status="running", articles=3, processed=1)

    after = migrate(JOBS).get_model("annotator", "ArticleImport").objects
    assert after.get(pk=failed.pk).error == "Article 3: text: empty."
    assert after.get(pk=failed.pk).requested == failed.requested_at
    assert [after.get(pk=job.pk).progress for job in (failed, ready, running)] == [45, 100, 30]
    assert after.get(pk=ready.pk).error == ""


def test_an_import_error_of_several_messages_comes_back_the_same_when_migrated_back(before_jobs):
    project = make_project(before_jobs)
    error = {"file": ["Article 2: text: empty.", "Article 2: url: not a URL."]}
    imports = before_jobs.get_model("annotator", "ArticleImport").objects
    job = imports.create(project=project, status="failed", error=error)

    migrated = migrate(JOBS).get_model("annotator", "ArticleImport").objects.get(pk=job.pk)
    assert migrated.error == "Article 2: text: empty.\nArticle 2: url: not a URL."
    again = migrate(BEFORE_JOBS).get_model("annotator", "ArticleImport").objects.get(pk=job.pk)
    assert (again.error, again.requested_at) == (error, job.requested_at)


def test_an_archive_made_before_keeps_its_request_time(before_jobs):
    project = make_project(before_jobs)
    archive = before_jobs.get_model("claims", "ExportArchive").objects.create(
        project=project, status="failed", progress=40, error="OSError: disk full"
    )

    after = migrate(JOBS).get_model("claims", "ExportArchive").objects.get(pk=archive.pk)
    assert (after.requested, after.progress, after.error) == (archive.created, 40, "OSError: disk full")
