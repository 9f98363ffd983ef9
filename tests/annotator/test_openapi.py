"""Token authentication, the OpenAPI schema and its interactive docs."""

import pytest
from django.core.management import call_command

from ..factories import PASSWORD, UserFactory


def test_token_from_username_and_password_authenticates_requests(team, api_client):
    response = api_client.post("/api/v1/auth/token/", {"username": "anna", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    [project] = api_client.get("/api/v1/projects/").json()["results"]
    assert project["role"] == "annotator"


def test_each_sign_in_gets_its_own_token(team, api_client):
    body = {"username": "anna", "password": PASSWORD}
    first = api_client.post("/api/v1/auth/token/", body, format="json").json()["token"]
    assert api_client.post("/api/v1/auth/token/", body, format="json").json()["token"] != first


def test_wrong_password_gets_no_token(team, api_client):
    response = api_client.post("/api/v1/auth/token/", {"username": "anna", "password": "guess"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_a_made_up_token_is_refused(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert api_client.get("/api/v1/projects/").status_code == 401


def test_the_token_of_a_deactivated_user_is_refused(team, api_client):
    token = api_client.post("/api/v1/auth/token/", {"username": "anna", "password": PASSWORD}, format="json").json()[
        "token"
    ]
    team.users["annotator"].__class__.objects.filter(username="anna").update(is_active=False)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get("/api/v1/projects/")
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."


def test_session_login_also_authenticates(db, client):
    UserFactory(username="sam")
    assert client.login(username="sam", password=PASSWORD)
    assert client.get("/api/v1/projects/").status_code == 200


def test_schema_generates_without_warnings_and_validates(tmp_path, db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/v1/sentences/{id}/annotation/" in schema


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects/",
        "/api/v1/projects/{project_id}/members/",
        "/api/v1/projects/{project_id}/documents/import/",
        "/api/v1/projects/{project_id}/documents/imports/{id}/",
        "/api/v1/documents/{id}/annotations/",
        "/api/v1/auth/token/",
    ],
)
def test_schema_describes_the_contract_paths(api_client, team, path):
    response = team.client("viewer").get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert path in response.json()["paths"]


def test_interactive_docs_are_served(team):
    response = team.client("viewer").get("/api/v1/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
