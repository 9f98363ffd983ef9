"""WSGI entry point for gunicorn: `gunicorn lede.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lede.settings.base")
application = get_wsgi_application()

# Django imports the URLconf, and with it every view and what they import (the API schema, the pages'
# Markdown), at a process's first request: done here, each gunicorn worker starts ready instead of
# making whoever it serves first (a reviewer's save, a bulk import) wait for it.
get_resolver().url_patterns  # noqa: B018 - read for its side effect
