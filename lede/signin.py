"""What sign-ins and joins by invitation count against (django-axes), and the 429 that refuses them."""

import hashlib

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from .middleware import is_api

LOCKED_OUT = "Too many failed sign-ins or new accounts from this address or for this link. Try again later."
# Joins are counted under the username "invitation:<hash of the token>": not a username anyone can
# sign in with, and not one a guesser can aim failures at without holding the link itself.
INVITATION_KEY = "invitation:"


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """django-axes' AXES_LOCKOUT_PARAMETERS: what one failed sign-in or one join counts against.

    A wrong password counts against its address with that username, so guesses from elsewhere
    never lock the owner out, and against its address alone, so one address cannot go through
    many accounts. A join (it hashes a new password, as a sign-in does) counts against its address,
    from the same budget as wrong passwords, and against its link, whatever the address.
    """
    username = (credentials or {}).get("username") or getattr(request_or_attempt, "username", None) or ""
    if username.startswith(INVITATION_KEY):
        return ["ip_address", "username"]
    return [["ip_address", "username"], "ip_address"]


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: the same refusal for the token endpoint, the login form and joins.

    Retry-After is the whole cool-off: the failures that caused it are not looked up again here.
    """
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if is_api(request):
        response = JsonResponse({"detail": LOCKED_OUT}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": LOCKED_OUT}, status=429)
    response["Retry-After"] = retry_after
    return response


def count_join(request, token: str) -> bool:
    """Count a new account about to be made with the link `token`; False when its address or link has no budget left.

    Called before the password is hashed, so that a refused join costs no hash.
    """
    if not settings.AXES_ENABLED:
        return True
    credentials = {"username": INVITATION_KEY + hashlib.sha256(token.encode()).hexdigest()[:32]}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return False
    AxesProxyHandler.user_login_failed(sender=__name__, credentials=credentials, request=request)
    return not getattr(request, "axes_locked_out", False)
