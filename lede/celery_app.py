"""The one Celery application of Lede; workers start with `celery -A lede worker`."""

import os

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
