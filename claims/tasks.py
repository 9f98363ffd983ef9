"""Celery tasks of `claims`: thin wrappers that take ids and call `claims.reports` and `claims.exports.archive`.

The modules that queue these tasks import them at the top; a task imports what it runs inside
its body, so there is no import cycle.
"""

import datetime

from celery import shared_task

from annotator.tasks import SWEEP_QUEUE
from lede.celery_app import LedeTask, Outcome


@shared_task(base=LedeTask, records_failure="claims.reports.mark_failed", max_retries=6)
def compute_agreement_report(report_id: int, requested_at: str | None = None) -> Outcome:
    """Recompute one agreement report unless a newer request supersedes this one (see claims.reports)."""
    from claims import reports

    moment = datetime.datetime.fromisoformat(requested_at) if requested_at else None
    return reports.compute_report(report_id, requested_at=moment)


@shared_task(base=LedeTask, records_failure="claims.reports.mark_analysis_failed", max_retries=6)
def compute_analysis_report(report_id: int, requested_at: str | None = None) -> Outcome:
    """Recompute one coverage analysis, coalesced with the label changes like agreement reports."""
    from claims import reports

    moment = datetime.datetime.fromisoformat(requested_at) if requested_at else None
    return reports.compute_analysis(report_id, requested_at=moment)


@shared_task(base=LedeTask, records_failure="claims.exports.archive.mark_failed", max_retries=5)
def build_export_archive(archive_id: int) -> Outcome:
    """Build one archive; safe to run twice (a ready archive is left alone, a half-built one is rebuilt)."""
    from claims.exports import archive

    return archive.build_archive(archive_id)


@shared_task(ignore_result=True, queue=SWEEP_QUEUE)
def sweep_jobs() -> dict[str, list[int]]:
    """Run by Celery beat every JOB_SWEEP_SECONDS: archives and reports whose worker stopped end, old archives go."""
    from claims import reports
    from claims.exports import archive

    return {**archive.sweep_archives(), "reports": reports.recover_stalled_reports()}
