"""The one Celery application of Lede and what every task shares; workers start with `celery -A lede worker`."""

import os
from enum import StrEnum

from celery import Celery
from django.db import DatabaseError, InterfaceError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lede.settings.base")

app = Celery("lede")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every task of Lede is idempotent: acknowledged after it ran, redelivered when a worker dies,
# and retried with back-off while the database is unreachable. Tasks are declared with
# @shared_task(**RETRYING).
RETRYING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (DatabaseError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
}


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
