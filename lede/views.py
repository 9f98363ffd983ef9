"""Project-level views that belong to no app: the health check, and the API's answer to a server error."""

from django.db import connection
from django.http import JsonResponse
from django.views import defaults

from .middleware import is_api


def healthz(request):
    """Answer 200 when the app can reach its database, 503 otherwise."""
    try:
        connection.ensure_connection()
    except Exception as error:  # any database failure means "not healthy", whatever its class
        return JsonResponse({"status": "unavailable", "database": str(error)[:200]}, status=503)
    return JsonResponse({"status": "ok"})


def server_error(request):
    if is_api(request):
        return JsonResponse({"detail": "Server error; the change was not made. Please try again."}, status=500)
    return defaults.server_error(request)
