"""Project-level views that belong to no app: the health check, and the answers to a refusal, a missing page or a
server error (a page of Lede saying why, or JSON under /api/)."""

import logging

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.html import format_html

from .middleware import is_api


def healthz(request):
    """Answer 200 when the app can reach its database, 503 otherwise."""
    try:
        connection.ensure_connection()
    except Exception as error:  # any database failure means "not healthy", whatever its class
        return JsonResponse({"status": "unavailable", "database": str(error)[:200]}, status=503)
    return JsonResponse({"status": "ok"})


logger = logging.getLogger(__name__)

# Lede's icon: an "L" on the pages' accent colour. Browsers ask for /favicon.ico whatever a page says.
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" '
    'fill="#1f5fbf"/><path d="M11 7h4v15h8v4H11z" fill="#fff"/></svg>'
)


def favicon(request):
    response = HttpResponse(FAVICON, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=604800"
    return response


ERRORS = {
    403: ("Not allowed", "Your role in this project does not allow this page."),
    404: ("Not found", "There is no such page, or it belongs to a project you are not a member of."),
    500: ("Something went wrong", "Lede could not answer this time; nothing was changed. Please try again."),
}


def error_page(request, status: int, reason: str = "") -> HttpResponse:
    """The error as a page of Lede, with its navigation and why; JSON `{"detail": ...}` under /api/."""
    heading, default = ERRORS[status]
    reason = reason or default
    if is_api(request):
        return JsonResponse({"detail": reason}, status=status)
    try:
        body = render_to_string(
            "frontend/error.html", {"status": status, "heading": heading, "reason": reason}, request=request
        )
    except Exception:  # the page's own parts failed (the database is down): say it without them
        logger.exception("The %s page could not be drawn", status)
        body = format_html(
            "<!doctype html><title>{} · Lede</title><h1>{}</h1><p>{}</p><p><a href='/'>Lede</a></p>",
            heading,
            heading,
            reason,
        )
    return HttpResponse(body, status=status)


def permission_denied(request, exception=None):
    # The pages raise PermissionDenied with a sentence that says who may open them.
    message = str(exception) if exception is not None else ""
    return error_page(request, 403, message if message and message != "None" else "")


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    if is_api(request):
        return JsonResponse({"detail": "Server error; the change was not made. Please try again."}, status=500)
    return error_page(request, 500)
