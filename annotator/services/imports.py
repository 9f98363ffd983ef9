"""Bulk article imports run as a job: checked at once, split and saved by a worker, all or none."""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from kombu.exceptions import OperationalError

from annotator.errors import InvalidInput
from annotator.jobs import JobStatus, beating, recover_stalled, stalled_before
from annotator.models import ArticleImport, Project
from annotator.tasks import import_articles
from lede.celery_app import Outcome

from .articles import check_article, each_article, parse_jsonl_articles, save_documents, segmenter_for

logger = logging.getLogger(__name__)

# Splitting the articles is this share of an import's progress; saving them is the rest.
SPLITTING_SHARE = 90
# A running import writes its progress at most this often: every write is a commit.
PROGRESS_SECONDS = 0.2


def request_article_import(*, project: Project, requested_by, content: bytes, file_name: str = "") -> ArticleImport:
    """Check a JSONL upload now and queue its import; return the job.

    Everything that needs no splitting (encoding, JSON, fields, sizes, formats, URLs) is checked
    here, so such an error is a 400 naming the line or article and nothing is kept. A file of up
    to ARTICLE_IMPORT_IN_REQUEST_BYTES is split and saved here too, once the job is committed,
    so the job is finished when this returns and the articles can be read at once: a queue, a
    worker and polling would take longer than the work. A larger file is split by a worker
    (`run_article_import`), which reports progress; without a broker it runs in this process too.
    """
    articles = parse_jsonl_articles(content)
    each_article(check_article, articles)
    with transaction.atomic():
        job = ArticleImport.objects.create(
            project=project,
            requested_by=requested_by,
            file=ContentFile(content, name="articles.jsonl"),
            file_name=file_name[:200],
            articles=len(articles),
        )
        if len(content) <= settings.ARTICLE_IMPORT_IN_REQUEST_BYTES:
            transaction.on_commit(lambda: _run_article_import_now(job.pk))
        else:
            transaction.on_commit(lambda: _queue_article_import(job.pk))
    return job


def _run_article_import_now(job_id: int) -> None:
    try:
        run_article_import(job_id)
    except Exception as error:  # the database failed during the import: nothing of it was saved
        logger.exception("Article import %s failed", job_id)
        fail_article_import(job_id, error)


def _queue_article_import(job_id: int) -> None:
    try:
        import_articles.delay(job_id)
    except Exception as error:  # the broker is down, or the task ran in this process (no broker) and failed
        logger.exception("Article import %s could not run", job_id)
        fail_article_import(job_id, error)


def run_article_import(job_id: int) -> Outcome:
    """Split and save the articles of an import; all or none. Safe to run again (a finished job is left alone)."""
    job = ArticleImport.objects.select_related("project", "requested_by").filter(pk=job_id).first()
    if job is None:
        return Outcome.GONE
    if job.status in (JobStatus.READY, JobStatus.FAILED):
        return Outcome(job.status)
    jobs = ArticleImport.objects.filter(pk=job_id)
    jobs.start(processed=0, progress=0)
    with beating(jobs):
        with job.file.open("rb") as upload:
            articles = parse_jsonl_articles(upload.read())
        written = [time.monotonic()]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if now - written[0] >= PROGRESS_SECONDS or done == total:
                written[0] = now
                jobs.update(processed=done, progress=SPLITTING_SHARE * done // total)

        try:
            segmented = each_article(segmenter_for(job.project), articles, progress)
        except InvalidInput as error:
            jobs.fail("\n".join(error.errors["file"]), file="")
            _drop_upload(job)
            return Outcome.FAILED
    with transaction.atomic():
        # A run the sweeper requeued and the broker's late redelivery of the first may both get here.
        if jobs.select_for_update().values_list("status", flat=True).first() == JobStatus.READY:
            return Outcome.READY
        documents = save_documents(job.project, job.requested_by, segmented)
        jobs.finish(documents=[document.pk for document in documents], file="")
        _drop_upload(job)
    return Outcome.READY


def fail_article_import(job_id: int, error: BaseException) -> None:
    """Record that an import could not run (see `LedeTask`); nothing of it was saved."""
    job = ArticleImport.objects.filter(pk=job_id).first()
    if job is None or job.status == JobStatus.READY:
        return
    if isinstance(error, OperationalError):
        message = "The task queue could not be reached; nothing was imported. Please try again."
    else:
        message = f"The import failed ({type(error).__name__}); nothing was imported."
    ArticleImport.objects.filter(pk=job_id).fail(message, file="")
    _drop_upload(job)


def recover_stalled_imports() -> dict[str, list[int]]:
    """Requeue or fail the imports whose worker stopped, and delete uploads no import will read."""
    outcome = recover_stalled(ArticleImport.objects.all(), requeue=_queue_article_import, fail=fail_article_import)
    folder = Path(settings.MEDIA_ROOT) / "imports"
    if folder.is_dir():
        waiting = {
            Path(name).name
            for name in ArticleImport.objects.filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING])
            .exclude(file="")
            .values_list("file", flat=True)
        }
        old = stalled_before().timestamp()
        for upload in folder.iterdir():
            if upload.is_file() and upload.name not in waiting and upload.stat().st_mtime < old:
                upload.unlink(missing_ok=True)
    return outcome


def _drop_upload(job: ArticleImport) -> None:
    """Delete the uploaded file once the outcome commits: the articles now live in the documents, or nowhere."""
    if job.file:
        path = job.file.name
        transaction.on_commit(lambda: job.file.storage.delete(path))
