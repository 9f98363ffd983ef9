"""Celery tasks of `annotator`: thin wrappers that take ids and call `annotator.services`.

`annotator.services` imports these tasks to queue them; a task imports its service inside its
body, so neither module needs the other to be loaded first.
"""

import contextlib

from celery import Task, shared_task
from django.db import DatabaseError

from lede.celery_app import RETRYING, Outcome


class ArticleImportTask(Task):
    """Marks the import failed, with the error, once retries are exhausted; nothing was saved."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from annotator.services import fail_article_import

        with contextlib.suppress(DatabaseError):  # the database is what failed; the lead starts the import again
            fail_article_import(args[0], f"The import failed ({type(exc).__name__}); nothing was imported.")


@shared_task(base=ArticleImportTask, max_retries=5, **RETRYING)
def import_articles(job_id: int) -> Outcome:
    """Split and save the articles of one bulk import (see services.request_article_import)."""
    from annotator.services import run_article_import

    return run_article_import(job_id)
