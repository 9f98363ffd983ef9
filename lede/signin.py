"""The answer to a sign-in refused for too many failures: 429 with Retry-After, JSON for the API."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from .middleware import is_api

LOCKED_OUT = "Too many failed sign-ins from this address or for this account. Try again later."


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: the same refusal for the token endpoint and the login form.

    Retry-After is the whole cool-off: the failures that caused it are not looked up again here.
    """
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if is_api(request):
        response = JsonResponse({"detail": LOCKED_OUT}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": LOCKED_OUT}, status=429)
    response["Retry-After"] = retry_after
    return response
