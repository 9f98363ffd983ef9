"""Refusals, missing pages and server errors: a page of Lede with its navigation and the reason; JSON under /api/;
one version, the package's, in the API and its schema."""

import pytest
from django.test import RequestFactory

from lede import version
from lede.views import server_error

pytestmark = pytest.mark.django_db


def test_a_server_error_is_a_page_of_lede_that_says_nothing_was_changed(team):
    request = RequestFactory().get("/projects/1/")
    request.user = team.users["owner"]

    answer = server_error(request)

    assert answer.status_code == 500
    page = answer.content.decode()
    assert "Something went wrong" in page
    assert "nothing was changed" in page
    assert 'class="site-header"' in page
    assert 'href="/favicon.ico"' in page


def test_a_server_error_under_the_api_is_json():
    answer = server_error(RequestFactory().get("/api/v1/projects/"))
    assert answer.status_code == 500
    assert answer["Content-Type"] == "application/json"


def test_a_page_an_annotator_may_not_open_is_a_403_page_saying_why(team, client):
    client.force_login(team.users["annotator"])
    answer = client.get(f"/projects/{team.project.pk}/exports/")
    assert answer.status_code == 403
    assert "Exports are for the project&#x27;s owners, curators and viewers." in answer.content.decode()
    assert "Your projects" in answer.content.decode()


def test_the_api_refusal_stays_json(team):
    answer = team.client("annotator").post(f"/api/v1/projects/{team.project.pk}/documents/import/", {})
    assert answer.status_code == 403
    assert "detail" in answer.json()


def test_the_api_says_the_package_version_as_the_reports_do(client):
    assert client.get("/api/v1/").json()["version"] == version.described()
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["info"]["version"] == version.package_version() == "0.1.0"
