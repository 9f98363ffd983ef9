"""API tokens expire, can be revoked, and end when the account's password changes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(username: str, password: str = PASSWORD):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")


def client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_token_endpoint_answers_a_token_and_its_expiry():
    user = UserFactory()
    answer = sign_in(user.username)
    assert answer.status_code == 200
    assert set(answer.json()) == {"token", "expiry"}
    assert client_with(answer.json()["token"]).get("/api/v1/projects/").status_code == 200


def test_only_a_hash_of_the_token_is_stored():
    user = UserFactory()
    token = sign_in(user.username).json()["token"]
    stored = AuthToken.objects.get(user=user)
    assert token not in (stored.digest, stored.token_key)


def test_an_expired_token_is_refused():
    user = UserFactory()
    token = sign_in(user.username).json()["token"]
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))
    assert client_with(token).get("/api/v1/projects/").status_code == 401


def test_a_request_reads_only_the_token_it_was_sent_with():
    """However many tokens the account has (a script signing in every run), a request checks one."""
    user = UserFactory()
    token = sign_in(user.username).json()["token"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client_with(token).get("/api/v1/").status_code == 200
        return len(captured)

    alone = queries()
    for _ in range(5):
        sign_in(user.username)
    assert queries() == alone == 1


def test_signing_in_again_deletes_the_accounts_expired_tokens():
    user = UserFactory()
    sign_in(user.username)
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))
    sign_in(user.username)
    assert AuthToken.objects.filter(user=user).count() == 1


def test_a_revoked_token_is_refused_and_others_still_work():
    user = UserFactory()
    first, second = (sign_in(user.username).json()["token"] for _ in range(2))
    assert client_with(first).post("/api/v1/auth/token/revoke/").status_code == 204
    assert client_with(first).get("/api/v1/projects/").status_code == 401
    assert client_with(second).get("/api/v1/projects/").status_code == 200


def test_a_password_change_revokes_every_token():
    user = UserFactory()
    token = sign_in(user.username).json()["token"]
    user.set_password("a-new-pass-word-456")
    user.save()
    assert client_with(token).get("/api/v1/projects/").status_code == 401


def test_a_password_change_through_the_page_revokes_every_token(client):
    user = UserFactory()
    token = sign_in(user.username).json()["token"]
    client.force_login(user)
    new = "a-new-pass-word-456"
    form = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert client.post("/accounts/password_change/", form).status_code == 302
    assert client_with(token).get("/api/v1/projects/").status_code == 401


def test_saving_other_fields_keeps_the_tokens():
    user = UserFactory()
    token = sign_in(user.username).json()["token"]
    user.first_name = "Ada"
    user.save()
    assert client_with(token).get("/api/v1/projects/").status_code == 200
