"""Sign-ins (the token endpoint and the login form) are refused with 429 after repeated failures."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("throttled")]
LIMIT = 3


@pytest.fixture
def throttled():
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT):
        yield


def token_request(username: str, password: str, address: str = "10.0.0.1"):
    body = {"username": username, "password": password}
    return APIClient().post("/api/v1/auth/token/", body, format="json", REMOTE_ADDR=address)


def form_request(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_token_requests_are_refused_after_repeated_wrong_passwords():
    user = UserFactory()
    answers = [token_request(user.username, "wrong").status_code for _ in range(LIMIT)]
    assert answers == [400] * (LIMIT - 1) + [429]
    refused = token_request(user.username, PASSWORD)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many failed sign-ins" in refused.json()["detail"]


def test_the_guessing_address_is_locked_out_even_with_the_right_password():
    user = UserFactory()
    for _ in range(LIMIT):
        token_request(user.username, "wrong", address="10.0.1.1")
    assert token_request(user.username, PASSWORD, address="10.0.1.1").status_code == 429


def test_the_owner_signing_in_from_another_address_is_never_refused_for_others_guesses(client):
    user = UserFactory()
    for n in range(3):  # several addresses, each up to its own limit
        for _ in range(LIMIT):
            token_request(user.username, "wrong", address=f"10.0.1.{n}")
    assert token_request(user.username, PASSWORD, address="10.0.2.1").status_code == 200
    assert form_request(client, user.username, PASSWORD, address="10.0.2.2").status_code == 302


def test_an_address_guessing_many_accounts_is_refused():
    users = [UserFactory() for _ in range(LIMIT + 1)]
    for user in users[:LIMIT]:
        token_request(user.username, "wrong")
    assert token_request(users[-1].username, PASSWORD).status_code == 429
    assert token_request(users[-1].username, PASSWORD, address="10.0.3.1").status_code == 200


def test_the_login_form_shares_the_count_and_answers_429(client):
    user = UserFactory()
    for _ in range(LIMIT - 1):
        assert form_request(client, user.username, "wrong").status_code == 200
    form_request(client, user.username, "wrong")
    refused = form_request(client, user.username, PASSWORD)
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert b"Too many failed sign-ins" in refused.content
    assert token_request(user.username, PASSWORD).status_code == 429
    assert token_request(user.username, PASSWORD, address="10.0.4.1").status_code == 200


@override_settings(BEHIND_PROXY=False)
def test_x_real_ip_from_a_client_is_ignored_without_the_proxy():
    user = UserFactory()
    for n in range(LIMIT):
        APIClient().post(
            "/api/v1/auth/token/",
            {"username": f"nobody{n}", "password": "x"},
            format="json",
            HTTP_X_REAL_IP=f"10.9.{n}.1",
        )
    assert token_request(user.username, PASSWORD, address="127.0.0.1").status_code == 429


@override_settings(BEHIND_PROXY=True)
def test_behind_the_proxy_each_client_address_counts_apart():
    user = UserFactory()
    for n in range(LIMIT):
        APIClient().post(
            "/api/v1/auth/token/", {"username": f"nobody{n}", "password": "x"}, format="json", HTTP_X_REAL_IP="10.8.0.1"
        )
    answer = APIClient().post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": PASSWORD},
        format="json",
        HTTP_X_REAL_IP="10.8.0.2",
    )
    assert answer.status_code == 200
