"""How API requests sign in: knox's tokens (`Authorization: Token <token>`), one query a request."""

from django.utils import timezone
from knox import auth


class TokenAuthentication(auth.TokenAuthentication):
    """knox's token check, reading only the token sent.

    knox also reads every other token of the account on each request, to delete the expired
    ones: two queries a request instead of one, on every label save. Lede deletes an account's
    expired tokens when it issues the next one (`services.issue_token`), so here only the token
    sent is checked; an expired one is refused and deleted, as knox does.
    """

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False
