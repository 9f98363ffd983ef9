"""Middleware that keeps the API's answers JSON, whatever Django's own error pages would say."""

from django.http import JsonResponse
from rest_framework.response import Response

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


class ApiNotFoundMiddleware:
    """A path under /api/ that matches no endpoint answers JSON 404, with DEBUG on as well as off.

    Django renders its own HTML page for an unknown URL (the technical 404 page while DEBUG is on,
    handler404 otherwise); the API's clients and its OpenAPI description expect `{"detail": ...}`.
    The API's views answer their own 404s (JSON, or the browsable page a browser asks for), so only
    answers that no API view gave are replaced.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and is_api(request) and not isinstance(response, Response):
            return JsonResponse({"detail": "Not found."}, status=404)
        return response
