"""Article imports run as a job: a bulk file, or a page fetched by its web address; checked at once, fetched,
split and saved by a worker, all or none."""

import dataclasses
import datetime
import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from annotator.errors import InvalidInput
from annotator.jobs import ERROR_LENGTH, JobStatus, beating, recover_stalled, stalled_before
from annotator.models import ArticleImport, Project
from annotator.tasks import import_articles
from annotator.validation import check_web_url
from lede.celery_app import Outcome

from .article_files import STORED_NAMES, article_list_kind, parse_article_list
from .articles import (
    ArticleInput,
    check_article,
    check_attributes,
    check_topics,
    each_article,
    fetch_web_page,
    save_documents,
    segment,
    segmenter_for,
)
from .splitting import split_articles

logger = logging.getLogger(__name__)

# Splitting the articles is this share of an import's progress; saving them is the rest.
SPLITTING_SHARE = 90
# A running import writes its progress at most this often: every write is a commit.
PROGRESS_SECONDS = 0.2


def request_article_import(*, project: Project, requested_by, content: bytes, file_name: str = "") -> ArticleImport:
    """Check an uploaded list of articles (JSONL, CSV, TSV or a JSON array; see `article_files`) now and import
    it; return the job.

    Everything that needs no splitting (encoding, JSON, fields, sizes, formats, URLs) is checked
    here, so such an error is a 400 naming the line or article and nothing is kept. A file of up
    to ARTICLE_IMPORT_IN_REQUEST_BYTES is split and saved here too, with its job, in one
    transaction, so the job is finished when this returns and the articles can be read at once: a
    queue, a worker and polling would take longer than the work. A larger file is stored and split
    by a worker (`run_article_import`), which reports progress; without a broker it runs in this
    process too.
    """
    kind = article_list_kind(content, file_name=file_name)
    articles = parse_article_list(content, kind=kind)
    each_article(check_article, articles)
    if len(content) <= settings.ARTICLE_IMPORT_IN_REQUEST_BYTES:
        return _import_now(project, requested_by, articles, file_name=file_name[:200])
    with transaction.atomic():
        job = ArticleImport.objects.create(
            project=project,
            requested_by=requested_by,
            file=ContentFile(content, name=STORED_NAMES[kind]),
            file_name=file_name[:200],
            articles=len(articles),
        )
        transaction.on_commit(lambda: _queue_article_import(job.pk))
    job.refresh_from_db()  # without a broker the import ran at the commit, in this process
    return job


def request_page_import(*, project: Project, requested_by, article: ArticleInput) -> ArticleImport:
    """Import the page at `article.url`; return the job, which a worker (the bulk queue) runs.

    Fetching waits on another server (up to `webfetch.TIMEOUT`), so it never runs in the web
    request: the address's form and what the lead said about the article are checked here (a 400
    naming the field, nothing kept); whether the address is public, and the page itself, are
    checked by the worker, which records why it failed on the job. Without a broker the job runs
    at the commit, in this process.
    """
    url = check_web_url(article.url, field="url")
    check_topics(article.topics, field="topics")
    check_attributes(article.attributes, field="attributes")
    said = {name: value for name, value in dataclasses.asdict(article).items() if name not in ("text", "url")}
    said["published"] = article.published.isoformat() if article.published else None
    with transaction.atomic():
        job = ArticleImport.objects.create(
            project=project, requested_by=requested_by, url=url, file_name=url[:200], articles=1, article=said
        )
        transaction.on_commit(lambda: _queue_article_import(job.pk))
    job.refresh_from_db()  # without a broker the import ran at the commit, in this process
    return job


def _import_now(project: Project, requested_by, articles: list[ArticleInput], *, file_name: str) -> ArticleImport:
    """Split and save a small import in this process, its job written once with the outcome."""
    job = ArticleImport(
        project=project, requested_by=requested_by, file_name=file_name, articles=len(articles), attempts=1
    )
    try:
        segmented = each_article(segmenter_for(project), articles)
        with transaction.atomic():
            job.documents = save_documents(project, requested_by, segmented)
            job.processed, job.progress, job.status, job.finished = len(articles), 100, JobStatus.READY, timezone.now()
            job.save(force_insert=True)
        return job
    except InvalidInput as error:
        message = "\n".join(error.errors["file"])
    except Exception as error:  # the database failed during the import: nothing of it was saved
        logger.exception("Article import of project %s failed", project.pk)
        message = f"The import failed ({type(error).__name__}); nothing was imported."
    job.pk, job.documents, job.processed, job.progress = None, [], 0, 0
    job.status, job.error, job.finished = JobStatus.FAILED, message[:ERROR_LENGTH], timezone.now()
    job.save(force_insert=True)
    return job


def _queue_article_import(job_id: int) -> None:
    try:
        import_articles.delay(job_id)
    except Exception as error:  # the broker is down, or the task ran in this process (no broker) and failed
        logger.exception("Article import %s could not run", job_id)
        fail_article_import(job_id, error)


def run_article_import(job_id: int, *, processes: int = 1) -> Outcome:
    """Split and save the articles of an import; all or none. Safe to run again (a finished job is left alone).

    With `processes` above 1 the articles are split by that many processes forked from this one
    (see `split_articles`).
    """
    job = ArticleImport.objects.select_related("project", "requested_by").filter(pk=job_id).first()
    if job is None:
        return Outcome.GONE
    if job.status in (JobStatus.READY, JobStatus.FAILED):
        return Outcome(job.status)
    jobs = ArticleImport.objects.filter(pk=job_id)
    jobs.start(processed=0, progress=0)
    if job.url:
        return _run_page_import(job, jobs)
    with job.file.open("rb") as upload:
        content = upload.read()
    articles = parse_article_list(content, kind=article_list_kind(content, file_name=job.file.name))
    written = [time.monotonic()]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - written[0] >= PROGRESS_SECONDS or done == total:
            written[0] = now
            jobs.update(processed=done, progress=SPLITTING_SHARE * done // total)

    try:
        each_article(check_article, articles)
        segmented = split_articles(
            articles,
            whole_quotations=job.project.whole_quotations,
            processes=processes,
            progress=progress,
            meanwhile=beating(jobs),
        )
    except InvalidInput as error:
        jobs.fail("\n".join(error.errors["file"]), file="")
        _drop_upload(job)
        return Outcome.FAILED
    with transaction.atomic():
        # A run the sweeper requeued and the broker's late redelivery of the first may both get here.
        if jobs.select_for_update().values_list("status", flat=True).first() == JobStatus.READY:
            return Outcome.READY
        jobs.finish(documents=save_documents(job.project, job.requested_by, segmented), file="")
        _drop_upload(job)
    return Outcome.READY


def _run_page_import(job: ArticleImport, jobs) -> Outcome:
    """Fetch, split and save the page of a page import (see `request_page_import`)."""
    said = dict(job.article)
    published = said.pop("published", None)
    try:
        with beating(jobs):
            page = fetch_web_page(job.url)
        fmt = said.pop("format", "auto")
        article = ArticleInput(
            text=page.text,
            format=page.format if fmt == "auto" else fmt,
            url=job.url,
            published=datetime.date.fromisoformat(published) if published else None,
            **{**said, "text_field": "url"},
        )
        check_article(article)
        jobs.update(progress=SPLITTING_SHARE // 2)
        segmented = segment(article, whole_quotations=job.project.whole_quotations)
    except InvalidInput as error:
        jobs.fail("\n".join(message for messages in error.errors.values() for message in messages))
        return Outcome.FAILED
    jobs.update(processed=1, progress=SPLITTING_SHARE)
    with transaction.atomic():
        if jobs.select_for_update().values_list("status", flat=True).first() == JobStatus.READY:
            return Outcome.READY
        jobs.finish(documents=save_documents(job.project, job.requested_by, [segmented]))
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
