"""An article's metadata given on import and edited afterwards, its format recognised, and its deletion kept
in the project's history."""

import io

import pytest

from annotator import services
from annotator.models import AnnotationEvent, Document

from ..factories import SAMPLE_ARTICLE, UserFactory

METADATA = {
    "title": "Bridge to reopen",
    "outlet": "The Courier",
    "url": "https://courier.example/bridge",
    "author": "Jane Doe",
    "published": "2024-05-02",
}


def document_url(team):
    return f"/api/v1/documents/{team.document.pk}/"


def post_article(team, encoding="json", **body):
    return team.client("owner").post(f"/api/v1/projects/{team.project.pk}/documents/", body, format=encoding)


def metadata_of(document: Document) -> dict:
    document.refresh_from_db()
    return {name: str(getattr(document, name)) for name in METADATA}


def test_pasted_article_keeps_all_five_metadata_fields(team):
    response = post_article(team, text=SAMPLE_ARTICLE, **METADATA)
    assert response.status_code == 201
    assert {name: response.json()[name] for name in METADATA} == METADATA


def test_uploaded_file_keeps_all_five_metadata_fields(team):
    upload = io.BytesIO(SAMPLE_ARTICLE.encode())
    upload.name = "bridge.txt"
    response = post_article(team, encoding="multipart", file=upload, **METADATA)
    assert response.status_code == 201
    assert {name: response.json()[name] for name in METADATA} == METADATA


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Bridge\n\nOfficials said the bridge would **reopen**. Critics disagreed.", "markdown"),
        ("<h1>Bridge</h1><p>Officials said the bridge would reopen. Critics disagreed.</p>", "html"),
        (SAMPLE_ARTICLE, "text"),
    ],
)
@pytest.mark.parametrize("format", [None, "auto"])
def test_pasted_text_without_a_format_is_recognised(team, text, expected, format):
    body = {"text": text} | ({"format": format} if format else {})
    response = post_article(team, **body)
    assert response.status_code == 201
    assert response.json()["format"] == expected
    assert "**" not in response.json()["text"]
    assert "<p>" not in response.json()["text"]


def test_a_chosen_format_wins_over_the_recognised_one(team):
    response = post_article(team, text="# Not a heading, the writer insists.", format="text")
    assert response.json()["format"] == "text"
    assert response.json()["text"].startswith("#")


def test_curator_edits_an_articles_metadata(team):
    response = team.client("curator").patch(document_url(team), METADATA, format="json")
    assert response.status_code == 200
    assert {name: response.json()[name] for name in METADATA} == METADATA
    assert metadata_of(team.document) == METADATA


def test_editing_one_field_leaves_the_others(team):
    team.client("owner").patch(document_url(team), METADATA, format="json")
    response = team.client("owner").patch(document_url(team), {"outlet": "The Herald", "url": ""}, format="json")
    assert response.status_code == 200
    assert metadata_of(team.document) == METADATA | {"outlet": "The Herald", "url": ""}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://"}, "url"),
        ({"published": "2 May"}, "published"),
        ({"title": "x" * 501}, "title"),
        ({"outlet": "x" * 201}, "outlet"),
        ({"text": "A new body."}, "text"),
        ({"format": "html"}, "format"),
    ],
)
def test_bad_metadata_is_refused_naming_the_field_and_changes_nothing(team, body, field):
    before = metadata_of(team.document)
    response = team.client("owner").patch(document_url(team), {"outlet": "Changed"} | body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert metadata_of(team.document) == before


def test_put_is_not_offered(team):
    assert team.client("owner").put(document_url(team), METADATA, format="json").status_code == 405


def test_an_article_outside_your_projects_cannot_be_edited(team):
    response = team.client("outsider").patch(document_url(team), {"title": "Mine"}, format="json")
    assert response.status_code == 404


def test_deleting_an_article_leaves_an_event_naming_it_and_its_labels(team):
    sentences = list(team.document.sentences.order_by("index"))
    for user in (team.users["annotator"], team.users["annotator2"]):
        for sentence in sentences:
            services.label_sentence(sentence=sentence, annotator=user, label_name="claim")
    document_id = team.document.pk

    assert team.client("owner").delete(document_url(team)).status_code == 204

    history = team.client("curator").get(f"/api/v1/projects/{team.project.pk}/history/").json()["results"]
    assert history[0] | {"id": None, "at": None} == {
        "id": None,
        "sentence": None,
        "annotator": None,
        "actor": "olivia",
        "action": "document_deleted",
        "data": {
            "document": document_id,
            "title": "Bridge to reopen",
            "key": "",
            "labels": 2 * len(sentences),
            "reviewers": 2,
        },
        "at": None,
    }
    assert not AnnotationEvent.objects.filter(sentence__document_id=document_id).exists()


def test_a_label_event_must_name_its_sentence_and_reviewer(team):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        AnnotationEvent.objects.create(
            project=team.project, annotator=UserFactory(), action=AnnotationEvent.Action.CREATED
        )
