"""The API's answers to what no endpoint handles: unknown paths, unreadable page numbers, unknown pages."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize(
    "path", ["/api/v1/projects/abc/", "/api/v1/no-such-thing/", "/api/v1/documents/-1/", "/api/elsewhere"]
)
def test_an_unknown_api_path_is_a_json_404(team, settings, path, debug):
    settings.DEBUG = debug
    response = team.client("owner").get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_of_the_site_is_still_an_html_404(team):
    response = team.client("owner").get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page_size=abc", "page_size"),
        ("page_size=null", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=-5", "page_size"),
        ("page_size=1001", "page_size"),
        ("page=two", "page"),
        ("page=0", "page"),
    ],
)
def test_a_page_or_page_size_that_is_not_a_usable_number_is_a_400_naming_it(team, query, field):
    response = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/members/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert "whole number" in response.json()[field][0]


def test_page_sizes_within_the_limit_and_the_last_page_work(team):
    client = team.client("owner")
    members = f"/api/v1/projects/{team.project.pk}/members/"
    assert len(client.get(members + "?page_size=2").json()["results"]) == 2
    assert client.get(members + "?page_size=1000").json()["count"] == 5
    assert client.get(members + "?page_size=2&page=last").json()["previous"] is not None
    assert client.get(members + "?page_size=2&page=3").status_code == 200
    assert client.get(members + "?page_size=2&page=4").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sentences/7152801395157857903214329856/annotation/",
        "/api/v1/projects/99999999999999999999/",
        "/documents/123456789012345678901234567890/",
    ],
)
def test_an_id_too_large_for_any_key_is_a_404_not_a_server_error(team, path):
    assert team.client("owner").get(path).status_code == 404


def test_an_export_filtered_by_a_document_id_too_large_for_any_key_is_a_400_naming_it(team):
    url = f"/api/v1/projects/{team.project.pk}/export/annotations.csv?document=99999999999999999999"
    response = team.client("owner").get(url)
    assert response.status_code == 400
    assert list(response.json()) == ["document"]


def test_a_sentence_filter_too_large_for_any_key_is_a_400_naming_it(team):
    url = f"/api/v1/documents/{team.document.pk}/annotations/?sentence=99999999999999999999"
    response = team.client("owner").get(url)
    assert response.status_code == 400
    assert list(response.json()) == ["sentence"]


def test_an_api_path_without_its_final_slash_is_still_redirected_to_it(team):
    response = team.client("owner").get("/api/v1/projects")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/projects/"


def test_updated_since_with_an_offset_postgresql_refuses_is_read_in_utc_and_an_edge_date_is_a_400(team):
    """ISO 8601 allows offsets up to ±23:59; PostgreSQL refuses those over 15:59 (a 500 before)."""
    client = team.client("owner")
    url = f"/api/v1/documents/{team.document.pk}/annotations/"
    assert client.get(url, {"updated_since": "0216-12-24T09:43:44+19:17"}).status_code == 200
    refused = client.get(url, {"updated_since": "0001-01-01T00:00:00+19:17"})
    assert refused.status_code == 400
    assert list(refused.json()) == ["updated_since"]
