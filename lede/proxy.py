"""The client's address as the front proxy saw it, believed only when that proxy is the one way in."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The address sign-in throttling counts against.

    Behind docker-compose's nginx every request comes from the proxy's address, so a lockout by
    REMOTE_ADDR would lock everyone out together; nginx replaces X-Real-IP with the address it saw.
    Without a proxy in front (`BEHIND_PROXY` off) that header is the client's own word and ignored.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")
