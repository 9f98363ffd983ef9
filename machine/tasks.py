"""Celery tasks of `machine`: thin wrappers that take ids and call `machine.services` (imported in the body)."""

from celery import shared_task

from lede.celery_app import LedeTask


@shared_task(bind=True, base=LedeTask, records_failure="machine.services.fail_training", max_retries=3)
def train_model(self, version_id: int) -> None:
    """Train one model version (routed to the bulk queue: it may take a minute)."""
    from machine.services import run_training

    run_training(version_id)
