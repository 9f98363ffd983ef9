"""Celery task that builds a whole-project export archive (registered from `claims.apps`)."""

import contextlib

from celery import Task, shared_task
from django.db import DatabaseError, InterfaceError

from . import archive


class ArchiveTask(Task):
    """Marks the archive failed, with the error, once retries are exhausted."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        with contextlib.suppress(DatabaseError):  # the database is what failed; a new request builds a new archive
            archive.mark_failed(args[0], exc)


@shared_task(
    base=ArchiveTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=5,
)
def build_export_archive(archive_id: int) -> str:
    """Build one archive; safe to run twice (a ready archive is left alone, a half-built one is rebuilt)."""
    return archive.build_archive(archive_id)
