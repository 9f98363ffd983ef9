"""API tokens expire, can be revoked, and end when the account's password changes."""

from datetime import timedelta

import pytest
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
