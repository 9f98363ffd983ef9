"""Project-level views that belong to no app: the health check used by docker-compose and load balancers."""

from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """Answer 200 when the app can reach its database, 503 otherwise."""
    try:
        connection.ensure_connection()
    except Exception as error:  # any database failure means "not healthy", whatever its class
        return JsonResponse({"status": "unavailable", "database": str(error)[:200]}, status=503)
    return JsonResponse({"status": "ok"})
