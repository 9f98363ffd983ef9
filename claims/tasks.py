"""Celery tasks of `claims`: thin wrappers that take ids and call `claims.reports`."""

import contextlib
import datetime

from celery import Task, shared_task
from django.db import DatabaseError, InterfaceError

from . import reports


class ReportTask(Task):
    """Marks the report failed, with the error, once retries are exhausted."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # When the database itself is down the report stays pending or running; the next request retries it.
        with contextlib.suppress(DatabaseError):
            reports.mark_failed(args[0], exc)


@shared_task(
    base=ReportTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=6,
)
def compute_agreement_report(report_id: int, requested_at: str | None = None) -> str:
    """Recompute one agreement report unless a newer request supersedes this one (see claims.reports)."""
    moment = datetime.datetime.fromisoformat(requested_at) if requested_at else None
    return reports.compute_report(report_id, requested_at=moment)
