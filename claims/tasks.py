"""Celery tasks of `claims`: thin wrappers that take ids and call `claims.reports` and `claims.exports.archive`.

The modules that queue these tasks import them at the top; a task imports what it runs inside
its body, so there is no import cycle.
"""

import contextlib
import datetime

from celery import Task, shared_task
from django.db import DatabaseError

from lede.celery_app import RETRYING


class ReportTask(Task):
    """Marks the report failed, with the error, once retries are exhausted."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from claims import reports

        # When the database itself is down the report stays pending or running; the next request retries it.
        with contextlib.suppress(DatabaseError):
            reports.mark_failed(args[0], exc)


@shared_task(base=ReportTask, max_retries=6, **RETRYING)
def compute_agreement_report(report_id: int, requested_at: str | None = None) -> str:
    """Recompute one agreement report unless a newer request supersedes this one (see claims.reports)."""
    from claims import reports

    moment = datetime.datetime.fromisoformat(requested_at) if requested_at else None
    return reports.compute_report(report_id, requested_at=moment)


class ArchiveTask(Task):
    """Marks the archive failed, with the error, once retries are exhausted."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from claims.exports import archive

        with contextlib.suppress(DatabaseError):  # the database is what failed; a new request builds a new archive
            archive.mark_failed(args[0], exc)


@shared_task(base=ArchiveTask, max_retries=5, **RETRYING)
def build_export_archive(archive_id: int) -> str:
    """Build one archive; safe to run twice (a ready archive is left alone, a half-built one is rebuilt)."""
    from claims.exports import archive

    return archive.build_archive(archive_id)
