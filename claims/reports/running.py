"""Running and storing reports: whether a stored report is current, one run of it, and a whole project at once."""

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from annotator.jobs import beating, failure_message, stalled_before
from annotator.models import Document, Project
from claims.models import AgreementReport
from lede.celery_app import Outcome

from . import figures
from .schedule import AGREEMENT, ReportKind, ensure_reports, queue_recomputation, tasks_run_in_process

logger = logging.getLogger(__name__)

Status = AgreementReport.Status


def is_current(report: AgreementReport) -> bool:
    """Ready, and not asked for again since its run started: its figures cover every committed label."""
    return (
        report.status == Status.READY
        and report.started_at is not None
        and (report.requested_at is None or report.started_at >= report.requested_at)
    )


def stored_report(project: Project, document_id: int | None) -> AgreementReport | None:
    return (
        AgreementReport.objects.filter(project=project, document_id=document_id)
        .select_related("project")
        .defer("project__description")
        .first()
    )


def document_alphas(project: Project) -> list[dict]:
    """Every article of `project` but the training ones (practice) in import order: `id`, `title`, its stored
    report's `alpha` and `alpha_ci95` (null before a first run) and whether it has a report (`reported`); two
    queries, the second reading two figures of each report rather than each report whole."""
    figures = {
        document_id: (alpha, alpha_ci95)
        for document_id, alpha, alpha_ci95 in AgreementReport.objects.filter(
            project=project, document__isnull=False
        ).values_list("document_id", "result__alpha", "result__alpha_ci95")
    }
    return [
        {
            **article,
            "alpha": figures.get(article["id"], (None, None))[0],
            "alpha_ci95": figures.get(article["id"], (None, None))[1],
            "reported": article["id"] in figures,
        }
        for article in Document.objects.filter(project=project, training=False).order_by("id").values("id", "title")
    ]


def own_gold_figures(project: Project, username: str) -> dict | None:
    """One reviewer's row of the project report's comparison with the decisions, None before there is one."""
    report = stored_report(project, None)
    found = (report.result or {}).get("gold") if report else None
    return next((row for row in (found or {}).get("reviewers", []) if row["reviewer"] == username), None)


def compute_report(
    report_id: int,
    *,
    requested_at: datetime.datetime | None = None,
    kind: ReportKind = AGREEMENT,
    build=None,
) -> Outcome:
    """Run one report of `kind` if it needs it; return what happened: computed, current, superseded, failed or gone.

    `build(report)` computes its result, the number of labels and the latest change (default: the
    agreement figures, `figures.build_result`, looked up at the call). Safe to run
    twice, at the same time or after a crash: every run recomputes from the database and stores
    a complete result, and only a request newer than the run's start keeps the report from being
    marked ready.
    """
    model = kind.model
    report = model.objects.select_related(*kind.related).filter(pk=report_id).first()
    if report is None:
        return Outcome.GONE
    if is_current(report):
        return Outcome.CURRENT
    now = timezone.now()
    max_wait = datetime.timedelta(seconds=settings.AGREEMENT_MAX_WAIT_SECONDS)
    superseded = requested_at is not None and report.requested_at is not None and report.requested_at > requested_at
    ran_lately = report.started_at is not None and now - report.started_at < max_wait
    if superseded and ran_lately:
        wait = (report.requested_at - now).total_seconds() + settings.AGREEMENT_DEBOUNCE_SECONDS
        if wait > 0:
            # The newer request may have found this task due and queued none of its own: follow it up.
            if not tasks_run_in_process():
                queue_recomputation([report_id], report.requested_at, countdown=wait, kind=kind)
            return Outcome.SUPERSEDED
    run = model.objects.filter(pk=report_id)
    run.update(status=Status.RUNNING, started_at=now, heartbeat=now)
    try:
        with beating(run):
            result, count, latest = (build or figures.build_result)(report)
    except DatabaseError:
        raise
    except Exception as error:
        logger.exception("%s report %s failed", kind.name.capitalize(), report_id)
        mark_failed(report_id, error, kind=kind)
        return Outcome.FAILED
    with transaction.atomic():
        stored = model.objects.select_for_update().get(pk=report_id)
        newer = stored.requested_at is not None and stored.requested_at > now
        model.objects.filter(pk=report_id).update(
            status=Status.PENDING if newer else Status.READY,
            result=result,
            error="",
            computed_at=timezone.now(),
            annotation_count=count,
            latest_change=latest,
            computations=F("computations") + 1,
        )
    return Outcome.COMPUTED


def mark_failed(report_id: int, error: BaseException, *, kind: ReportKind = AGREEMENT) -> None:
    """Record why a run failed (see `LedeTask`); the next label change runs the report again."""
    kind.model.objects.filter(pk=report_id).update(
        status=Status.FAILED, error=failure_message(error), computed_at=timezone.now()
    )


def recover_stalled_reports() -> list[int]:
    """Queue a run of every report left behind: running on a worker that stopped, or pending with no run coming.

    A report stays pending when its run could not be queued (the broker was down during the
    saves) or its message was lost; a run killed half-way leaves it running until the broker's
    visibility timeout. Either way its last word (heartbeat or request) is older than
    JOB_STALLED_AFTER_SECONDS, far beyond the debounce window within which a queued run starts.

    A report is queued once for each time it is left: not again while the run the sweeper queued
    waits for a worker (its `swept_at` is later than its last request and heartbeat), so that
    sweeps made while every worker of its queue is down do not fill the queue with copies. Only a
    queued run that nobody took for JOB_SWEEP_REQUEUE_SECONDS (a message the broker lost) is
    queued again. Return the ids queued.
    """
    now = timezone.now()
    cutoff = stalled_before()
    left = Q(status=Status.RUNNING, heartbeat__lt=cutoff) | Q(status=Status.PENDING, requested_at__lt=cutoff)
    not_queued = (
        Q(swept_at__isnull=True)
        | Q(swept_at__lt=Greatest("requested_at", "heartbeat"))
        | Q(swept_at__lt=now - datetime.timedelta(seconds=settings.JOB_SWEEP_REQUEUE_SECONDS))
    )
    with transaction.atomic():
        report_ids = sorted(
            AgreementReport.objects.filter(left & not_queued)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        AgreementReport.objects.filter(pk__in=report_ids, status=Status.RUNNING).update(status=Status.PENDING)
        AgreementReport.objects.filter(pk__in=report_ids).update(swept_at=now)
    queue_recomputation(report_ids, now, countdown=0)
    return report_ids


def compute_project_now(project: Project, *, progress=None) -> list[AgreementReport]:
    """Compute every document's report and then the project's in this process (management command).

    The project's report comes last so that it sums documents' tallies read after their own
    reports ran, which later runs can then keep (`tallying.refresh_tallies`).
    """
    document_ids = list(Document.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
    ensure_reports(project.pk, document_ids)
    reports = list(AgreementReport.objects.filter(project=project).order_by(F("document_id").asc(nulls_last=True)))
    AgreementReport.objects.filter(project=project).update(requested_at=timezone.now())
    for report in reports:
        compute_report(report.pk)
        if progress:
            progress(report)
    return list(AgreementReport.objects.filter(pk__in=[r.pk for r in reports]).order_by("pk"))
