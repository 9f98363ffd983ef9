"""A project's outlets: recognised on import by name or by the URL's domain, edited by leads, rated from the
project's own leanings; and articles' topics and free fields."""

import json

import pytest

from annotator import services
from annotator.errors import InvalidInput
from annotator.models import Document, Outlet

from ..factories import SAMPLE_ARTICLE, DocumentFactory


def outlets_url(team, pk=None):
    base = f"/api/v1/projects/{team.project.pk}/outlets/"
    return f"{base}{pk}/" if pk else base


def import_jsonl(team, records):
    content = "\n".join(json.dumps(record) for record in records).encode()
    articles = services.parse_jsonl_articles(content)
    return services.import_documents(project=team.project, created_by=None, articles=articles)


def test_an_imported_outlet_name_joins_the_project_list_once_whatever_its_case(team):
    import_jsonl(
        team,
        [
            {"text": SAMPLE_ARTICLE, "outlet": "Fox News"},
            {"text": SAMPLE_ARTICLE, "outlet": "FOX NEWS"},
        ],
    )

    assert list(Outlet.objects.filter(project=team.project).values_list("name", flat=True)) == ["Fox News"]
    assert set(Document.objects.filter(project=team.project).values_list("outlet", flat=True)) == {"", "Fox News"}


def test_an_article_without_outlet_is_matched_by_its_url_domain_subdomains_included(team):
    services.create_outlet(project=team.project, name="CNN", domain="cnn.com", leaning="left")

    documents = import_jsonl(
        team,
        [
            {"text": SAMPLE_ARTICLE, "url": "https://edition.cnn.com/2024/story"},
            {"text": SAMPLE_ARTICLE, "url": "https://www.cnn.com/story"},
            {"text": SAMPLE_ARTICLE, "url": "https://notcnn.com/story"},
        ],
    )

    assert [document.outlet for document in documents] == ["CNN", "CNN", ""]


def test_jsonl_topics_and_attributes_are_kept(team):
    [document] = import_jsonl(
        team,
        [
            {
                "text": SAMPLE_ARTICLE,
                "topics": "transport; city hall;transport",
                "attributes": {"section": "local", "words": 812, "paywall": False},
            }
        ],
    )

    document.refresh_from_db()
    assert document.topics == ["transport", "city hall"]
    assert document.attributes == {"section": "local", "words": "812", "paywall": "false"}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"topics": [1, 2]}, "Topics are a list of strings"),
        ({"attributes": ["a"]}, "Attributes are an object"),
        ({"attributes": {"nested": {"a": 1}}}, "'nested' must be a string"),
    ],
)
def test_a_bad_topic_or_attribute_line_rejects_the_file_naming_the_line(team, record, message):
    with pytest.raises(InvalidInput) as raised:
        import_jsonl(team, [{"text": SAMPLE_ARTICLE}, {"text": SAMPLE_ARTICLE, **record}])

    assert "Line 2" in str(raised.value)
    assert message in str(raised.value)


def test_curator_adds_an_outlet_with_a_leaning_and_its_rating_source(team):
    response = team.client("curator").post(
        outlets_url(team),
        {"name": "Breitbart", "domain": "https://www.breitbart.com/", "leaning": "right", "rating_source": "AllSides"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json() | {"id": 0} == {
        "id": 0,
        "name": "Breitbart",
        "domain": "breitbart.com",
        "country": "",
        "leaning": "right",
        "rating_source": "AllSides",
    }


def test_a_leaning_outside_the_project_set_is_a_400_naming_the_field(team):
    response = team.client("owner").post(outlets_url(team), {"name": "X", "leaning": "far-out"}, format="json")

    assert response.status_code == 400
    assert "leaning" in response.json()
    assert not Outlet.objects.filter(project=team.project).exists()


def test_an_outlet_name_taken_in_another_case_is_a_409_naming_the_field(team):
    services.create_outlet(project=team.project, name="Reuters")

    response = team.client("owner").post(outlets_url(team), {"name": "reuters"}, format="json")

    assert response.status_code == 409
    assert "name" in response.json()


def test_renaming_an_outlet_renames_it_in_its_articles(team):
    outlet = services.create_outlet(project=team.project, name="The Courier")
    document = DocumentFactory(project=team.project, outlet="the courier")

    response = team.client("owner").patch(outlets_url(team, outlet.pk), {"name": "Courier Daily"}, format="json")

    assert response.status_code == 200
    document.refresh_from_db()
    assert document.outlet == "Courier Daily"


def test_annotators_and_viewers_read_outlets_but_cannot_change_them(team):
    outlet = services.create_outlet(project=team.project, name="Reuters")

    assert team.client("annotator").get(outlets_url(team)).json()["results"][0]["name"] == "Reuters"
    assert team.client("viewer").post(outlets_url(team), {"name": "AP"}, format="json").status_code == 403
    assert team.client("annotator").delete(outlets_url(team, outlet.pk)).status_code == 403


def test_an_outlet_of_another_project_is_a_404(team):
    other = services.create_project(owner=team.users["outsider"], name="Other")
    foreign = services.create_outlet(project=other, name="Hidden")

    assert team.client("owner").get(outlets_url(team, foreign.pk)).status_code == 404
    assert team.client("outsider").get(outlets_url(team)).status_code == 404


def test_a_leaning_that_rates_an_outlet_cannot_be_removed(team):
    services.create_outlet(project=team.project, name="Breitbart", leaning="right")

    response = team.client("owner").patch(
        f"/api/v1/projects/{team.project.pk}/", {"leanings": ["left", "centre"]}, format="json"
    )

    assert response.status_code == 409
    assert "leanings" in response.json()
    team.project.refresh_from_db()
    assert team.project.leanings == ["left", "centre", "right"]


def test_patching_an_article_sets_its_topics_and_attributes(team):
    response = team.client("curator").patch(
        f"/api/v1/documents/{team.document.pk}/",
        {"topics": ["bridges"], "attributes": {"section": "city"}, "outlet": "New Outlet"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["topics"] == ["bridges"]
    assert response.json()["attributes"] == {"section": "city"}
    assert Outlet.objects.filter(project=team.project, name="New Outlet").exists()
