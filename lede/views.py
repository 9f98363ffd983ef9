"""Project-level views that belong to no app: the health check, and the API's answers for unknown paths and errors."""

from django.db import connection
from django.http import JsonResponse
from django.views import defaults


def healthz(request):
    """Answer 200 when the app can reach its database, 503 otherwise."""
    try:
        connection.ensure_connection()
    except Exception as error:  # any database failure means "not healthy", whatever its class
        return JsonResponse({"status": "unavailable", "database": str(error)[:200]}, status=503)
    return JsonResponse({"status": "ok"})


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    """JSON for a path under /api/ that matches no endpoint (say /api/v1/projects/abc/), HTML elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "Server error; the change was not made. Please try again."}, status=500)
    return defaults.server_error(request)
