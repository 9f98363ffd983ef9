"""Keeps agreement reports and analyses fresh: every committed label change marks them stale and queues a
recomputation."""

import logging

from django.db import DatabaseError
from django.dispatch import receiver

from annotator.signals import labels_changed

from . import reports

logger = logging.getLogger(__name__)


@receiver(labels_changed, dispatch_uid="claims.refresh_agreement_reports")
def refresh_agreement_reports(sender, *, project_id: int, document_ids=(), **kwargs) -> None:
    """The labels are already committed here: a failure is logged so the reviewer's save still succeeds."""
    try:
        reports.request_recomputation(project_id=project_id, document_ids=document_ids)
        reports.request_analyses(project_id=project_id)
    except DatabaseError:
        logger.exception("Could not mark the agreement reports of project %s stale", project_id)
