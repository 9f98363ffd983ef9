"""Scheduling recomputations: mark reports stale after a label change and queue one debounced task per report."""

import datetime
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from annotator.models import Document
from claims import sql
from claims.models import AgreementReport, AnalysisReport, Report
from claims.tasks import compute_agreement_report, compute_analysis_report
from lede.celery_app import app

from . import in_process

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportKind:
    """A kind of report kept fresh by this module: its model, the task that computes one, what a run reads along."""

    name: str
    model: type[Report]
    task: object
    related: tuple[str, ...] = ("project",)


AGREEMENT = ReportKind("agreement", AgreementReport, compute_agreement_report, ("project", "document"))
ANALYSIS = ReportKind("analysis", AnalysisReport, compute_analysis_report)


def ensure_reports(project_id: int, document_ids) -> None:
    """Create the project's report and the documents' reports that do not exist yet."""
    AgreementReport.objects.bulk_create(
        [AgreementReport(project_id=project_id)]
        + [AgreementReport(project_id=project_id, document_id=pk) for pk in document_ids],
        ignore_conflicts=True,
    )


def mark_stale(
    project_id: int,
    now: datetime.datetime,
    *,
    document_ids=(),
    agreement: bool = True,
    analyses: bool = False,
    basis: str | None = None,
) -> sql.Marked:
    """Move `requested_at` of the project's report and the `document_ids`' reports (with `agreement`), and of
    its stored analyses (with `analyses`: those on `basis`, or all), to `now`; return their ids by kind.

    One statement (`claims.sql.MARK_STALE`), one round trip after every label save. It leaves a
    report that is already pending with a request less than half a debounce window old as it is.
    That is safe: `pending` means no run has begun since the last request, so the run to come
    reads every committed label, this save's included. The request time still moves every half
    window, so a burst of saves keeps deferring the run as `compute_report` expects. Pinned by
    `tests/claims/test_reports.py` (`test_a_waiting_report_is_rewritten_at_most_every_half_debounce_window`)
    and the freshness tests of `tests/claims/test_agreement_api.py`.
    """
    recent = now - datetime.timedelta(seconds=settings.AGREEMENT_DEBOUNCE_SECONDS / 2)
    return sql.mark_stale(
        project_id=project_id,
        now=now,
        recent=recent,
        agreement=agreement,
        documents=list(document_ids),
        analyses=analyses,
        basis=basis,
    )


def request_recomputation(*, project_id: int, document_ids=(), analyses: bool = False) -> list[int]:
    """Mark the project's report (and those of `document_ids`) stale, queue their recomputation; return their ids.

    `document_ids=None` means every report the project has (its scale or label scheme changed);
    the reports of articles nobody has read yet are created when first read, as always. With
    `analyses`, every stored analysis of the project too, in the same statement, as
    `request_analyses` would (a label change).

    The common case, a label saved where reports exist, costs one UPDATE; the rows are created
    the first time. The tasks are queued after the surrounding transaction commits, so a worker
    never reads labels that are not committed, and only when none is already due (see
    `queue_recomputation`). A broker that cannot be reached is logged, not raised: the labels are
    saved, the report stays `pending` and the next request (or POST) queues it again.
    """
    if document_ids is None:
        document_ids = AgreementReport.objects.filter(project_id=project_id, document__isnull=False).values_list(
            "document_id", flat=True
        )
    document_ids = sorted(set(document_ids))
    now = timezone.now()
    marked = mark_stale(project_id, now, document_ids=document_ids, analyses=analyses)
    report_ids = marked.agreement
    if len(report_ids) < 1 + len(document_ids):
        existing = Document.objects.filter(project_id=project_id, pk__in=document_ids).values_list("pk", flat=True)
        document_ids = sorted(existing)
        with transaction.atomic():
            ensure_reports(project_id, document_ids)
            report_ids = mark_stale(project_id, now, document_ids=document_ids).agreement
    transaction.on_commit(lambda: queue_recomputation(report_ids, now))
    if marked.analyses:
        transaction.on_commit(lambda: queue_recomputation(marked.analyses, now, kind=ANALYSIS))
    return report_ids


def tasks_run_in_process() -> bool:
    """True without a broker (tests, the demo): Celery runs a queued task at once, in the caller."""
    return bool(app.conf.task_always_eager)


_schedule_clients: dict[str, object] = {}
# Marks known to be held, key -> time.monotonic() before which they certainly still exist: a
# burst of saves in one process asks Redis once per debounce window, not on every save.
_known_due: dict[str, float] = {}


def _claim_schedules(report_ids: list[int], seconds: float, kind: ReportKind) -> list[int]:
    """The reports for which no task is due within `seconds`, now marked as having one.

    Each mark is an atomic `SET NX` in Redis (the broker's server) that expires when the task
    queued with it fires, so a save that finds the mark is always followed by that task, which
    reads the newest `requested_at` from the database. Without Redis the marks live in Django's
    cache (per process: coalescing is then per process, still correct). When the marks cannot be
    read every report is queued, as if none were due.
    """
    database = connection.settings_dict["NAME"]
    started = time.monotonic()
    keys = {f"lede:{kind.name}-due:{database}:{report_id}": report_id for report_id in report_ids}
    unknown = [key for key in keys if _known_due.get(key, 0.0) <= started]
    if not unknown:
        return []
    url = app.conf.broker_url or ""
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            import redis

            client = _schedule_clients.get(url)
            if client is None:
                client = _schedule_clients[url] = redis.Redis.from_url(url, socket_timeout=1)
            pipeline = client.pipeline(transaction=False)
            for key in unknown:
                pipeline.set(key, 1, nx=True, px=max(1, int(seconds * 1000)))
                pipeline.pttl(key)
            answers = pipeline.execute()
            claimed, lifetimes = answers[0::2], [ms / 1000 for ms in answers[1::2]]
        else:
            from django.core.cache import cache

            claimed = [cache.add(key, 1, timeout=seconds) for key in unknown]
            lifetimes = [seconds if ok else 0.0 for ok in claimed]
    except Exception:
        logger.exception("Could not read the recomputation schedule; queueing every report")
        return report_ids
    if len(_known_due) > 10_000:
        _known_due.clear()
    for key, lifetime in zip(unknown, lifetimes, strict=True):
        if lifetime > 0:
            _known_due[key] = started + lifetime
    return [keys[key] for key, ok in zip(unknown, claimed, strict=True) if ok]


def queue_recomputation(
    report_ids: list[int],
    requested_at: datetime.datetime,
    countdown: float | None = None,
    kind: ReportKind = AGREEMENT,
) -> None:
    """Queue a recomputation of each report of `kind` `countdown` seconds from now, unless one is already due by then.

    A burst of saves thus queues about one task per report and debounce window, not one per save.
    Without a broker the reports go to this process's thread (`in_process`), so that the request
    never waits for the statistics, unless AGREEMENT_RECOMPUTE_IN_BACKGROUND is off (tests whose
    transaction another thread cannot see): then the task runs here and now.
    """
    countdown = settings.AGREEMENT_DEBOUNCE_SECONDS if countdown is None else countdown
    if tasks_run_in_process():
        if settings.AGREEMENT_RECOMPUTE_IN_BACKGROUND:
            in_process.runner.submit(kind.task, report_ids, requested_at, countdown)
            return
    elif countdown > 0:
        report_ids = _claim_schedules(report_ids, countdown, kind)
    for report_id in report_ids:
        try:
            kind.task.apply_async((report_id, requested_at.isoformat()), countdown=countdown)
        except Exception:  # the broker is down: keep the saved labels, leave the report pending
            logger.exception("Could not queue the recomputation of %s report %s", kind.name, report_id)


def request_analyses(*, project_id: int, basis: str | None = None) -> list[int]:
    """Mark the project's stored analyses (on `basis`, or all) stale and queue their recomputation as
    `request_recomputation` does.

    Only analyses someone has asked for exist (the API creates one when first read). Every
    label save comes here: one statement (`mark_stale`), which rewrites no analysis already
    waiting for a run with a request less than half a debounce window old.
    """
    now = timezone.now()
    report_ids = mark_stale(project_id, now, agreement=False, analyses=True, basis=basis).analyses
    if report_ids:
        transaction.on_commit(lambda: queue_recomputation(report_ids, now, kind=ANALYSIS))
    return report_ids
