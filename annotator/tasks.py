"""Celery tasks of `annotator`: thin wrappers that take ids and call `annotator.services`.

`annotator.services` imports these tasks to queue them; a task imports its service inside its
body, so neither module needs the other to be loaded first.
"""

from celery import shared_task

from lede.celery_app import LedeTask, Outcome

# Every worker consumes this queue besides its own (docker-compose.yml), so that the sweeps beat sends
# run while any worker is up: a sweep sent to the queue of the worker that died would wait for it.
SWEEP_QUEUE = "sweeps"


@shared_task(bind=True, base=LedeTask, records_failure="annotator.services.fail_article_import", max_retries=5)
def import_articles(self, job_id: int) -> Outcome:
    """Split and save the articles of one bulk import (see services.request_article_import).

    A worker splits with ARTICLE_IMPORT_PROCESSES processes; run in a web process (no broker), among
    its threads, it splits in its own.
    """
    from django.conf import settings

    from annotator.services import run_article_import

    return run_article_import(job_id, processes=1 if self.request.is_eager else settings.ARTICLE_IMPORT_PROCESSES)


@shared_task(ignore_result=True, queue=SWEEP_QUEUE)
def sweep_article_imports() -> dict[str, list[int]]:
    """Run by Celery beat every JOB_SWEEP_SECONDS: imports whose worker stopped end (see jobs.recover_stalled)."""
    from annotator.services import recover_stalled_imports

    return recover_stalled_imports()
