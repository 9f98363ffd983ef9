"""Keeps agreement reports and analyses fresh: every committed label or decision change marks them stale and
queues a recomputation."""

import logging

from django.db import DatabaseError
from django.dispatch import receiver

from annotator.signals import labels_changed
from curation.signals import decisions_changed

from . import reports
from .models import AnalysisReport

logger = logging.getLogger(__name__)


@receiver(labels_changed, dispatch_uid="claims.refresh_agreement_reports")
def refresh_agreement_reports(sender, *, project_id: int, document_ids=(), **kwargs) -> None:
    """The labels are already committed here: a failure is logged so the reviewer's save still succeeds."""
    try:
        reports.request_recomputation(project_id=project_id, document_ids=document_ids, analyses=True)
    except DatabaseError:
        logger.exception("Could not mark the agreement reports of project %s stale", project_id)


@receiver(decisions_changed, dispatch_uid="claims.refresh_gold_figures")
def refresh_gold_figures(sender, *, project_id: int, **kwargs) -> None:
    """The project's report compares every reviewer with the decisions: a decision change makes it stale."""
    try:
        reports.request_recomputation(project_id=project_id, document_ids=[])
    except DatabaseError:
        logger.exception("Could not mark the agreement report of project %s stale", project_id)


@receiver(decisions_changed, dispatch_uid="claims.refresh_gold_analyses")
def refresh_gold_analyses(sender, *, project_id: int, **kwargs) -> None:
    """Analyses on the gold and combined bases count the decisions: a decision change makes them stale."""
    try:
        for basis in (AnalysisReport.Basis.GOLD, AnalysisReport.Basis.COMBINED):
            reports.request_analyses(project_id=project_id, basis=basis)
    except DatabaseError:
        logger.exception("Could not mark the gold analyses of project %s stale", project_id)
