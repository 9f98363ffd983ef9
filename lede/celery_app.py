"""The one Celery application of Lede; workers start with `celery -A lede worker`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lede.settings.base")

app = Celery("lede")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
