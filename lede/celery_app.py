"""The one Celery application of Lede and what every task shares; workers start with `celery -A lede worker`."""

import contextlib
import os
from enum import StrEnum

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun
from django.db import DatabaseError, InterfaceError, close_old_connections
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lede.settings.base")


class LedeTask(Task):
    """The base of every task of Lede (`@shared_task(base=LedeTask)`): idempotent, so acknowledged
    after it ran, redelivered when a worker dies, and retried with back-off while the database is
    unreachable.

    A task runs one thing given by id (its first argument). `records_failure` names the service
    ("module.function") that records on that thing, once retries are exhausted, that it failed:
    it is called with the id and the error, and imported only then, the way a task imports its
    services inside its body.
    """

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (DatabaseError, InterfaceError)
    retry_backoff = 2
    retry_backoff_max = 60
    retry_jitter = True
    records_failure = ""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if not self.records_failure:
            return
        # When the database itself is what failed the failure cannot be recorded; a new request starts again.
        with contextlib.suppress(DatabaseError):
            import_string(self.records_failure)(args[0], exc)


app = Celery("lede")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def keep_usable_connections(sender=None, **kwargs) -> None:
    """Around each task a worker runs, what Django does around each request: close the database
    connection once it is older than CONN_MAX_AGE or failed and is unusable, otherwise keep it.

    Celery's fixup would close it around every task (CELERY_DB_REUSE_MAX lets it close only every
    so many), so that each short agreement task opened a connection, a new PostgreSQL backend,
    of its own. A task run in the caller (no broker) is left alone: it runs inside the caller's
    transaction.
    """
    if not getattr(getattr(sender, "request", None), "is_eager", False):
        close_old_connections()


class Outcome(StrEnum):
    """What one run of a task did; every task returns one (the worker logs it, tests read it).

    A string, so that it travels through Celery's JSON results unchanged.
    """

    GONE = "gone"  # what the task was for was deleted before it ran
    READY = "ready"  # the work is done, by this run or an earlier one
    FAILED = "failed"  # the work failed for good; the error is recorded where the user reads it
    CURRENT = "current"  # a report was already up to date; nothing to do
    SUPERSEDED = "superseded"  # a newer request will do the work
    COMPUTED = "computed"  # a report was computed
    BUILT = "built"  # an archive was built
