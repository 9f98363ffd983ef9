"""API tokens: issued for a username and password, expiring, revocable one by one or all at once."""

from django.utils import timezone
from knox.models import AuthToken


def issue_token(*, user) -> tuple[str, AuthToken]:
    """A new token for `user` (the secret is returned once; only its hash is stored).

    The user's expired tokens go at the same time, so that a script signing in every run does not
    leave an ever longer list for knox to check on each request.
    """
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    token, secret = AuthToken.objects.create(user=user)
    return secret, token


def revoke_token(*, token: AuthToken) -> None:
    token.delete()


def revoke_tokens(*, user) -> None:
    """Every token of `user`: after a password change no token made with the old one still works."""
    AuthToken.objects.filter(user=user).delete()
