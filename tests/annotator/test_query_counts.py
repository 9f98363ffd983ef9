"""Every list, and a document's detail, costs the same number of queries whatever the number of rows."""

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator import services
from annotator.models import Role
from annotator.signals import labels_changed

from ..factories import AnnotationFactory, DocumentFactory, ProjectFactory, UserFactory, add_member, label_document


def queries_for(client, url: str, expected_rows: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if "results" in body else body["sentences"]
    assert len(rows) == expected_rows
    return len(captured)


def article_of(sentences: int) -> str:
    return " ".join(f"Sentence number {n} says something new." for n in range(sentences))


def web_sources(count: int) -> list[services.SourceInput]:
    return [services.SourceInput(url=f"https://e.org/{n}") for n in range(count)]


def test_project_list_query_count_does_not_grow_with_projects(team):
    user = team.users["owner"]
    client = team.client("owner")
    for _ in range(4):
        ProjectFactory(owner=user)
    few = queries_for(client, "/api/v1/projects/?page_size=100", 5)
    for _ in range(45):
        ProjectFactory(owner=user)
    assert queries_for(client, "/api/v1/projects/?page_size=100", 50) == few


def test_member_list_query_count_does_not_grow_with_members(team):
    url = f"/api/v1/projects/{team.project.pk}/members/?page_size=100"
    few = queries_for(team.client("owner"), url, 5)
    for _ in range(45):
        add_member(team.project, Role.ANNOTATOR)
    assert queries_for(team.client("owner"), url, 50) == few


def test_document_list_query_count_does_not_grow_with_documents(team):
    url = f"/api/v1/projects/{team.project.pk}/documents/?page_size=100"
    for n in range(4):
        DocumentFactory(project=team.project, title=f"Doc {n}")
    few = queries_for(team.client("viewer"), url, 5)
    services.import_documents(
        project=team.project,
        created_by=None,
        articles=[services.ArticleInput(text=article_of(3), title=f"More {n}") for n in range(45)],
    )
    assert queries_for(team.client("viewer"), url, 50) == few


@pytest.mark.parametrize(("who", "sees_owner_labels"), [("curator", True), ("annotator", False)])
def test_document_annotations_query_count_does_not_grow_with_labels(team, who, sees_owner_labels):
    document = DocumentFactory(project=team.project, text=article_of(50))
    url = f"/api/v1/documents/{document.pk}/annotations/?page_size=100"
    label_document(document, team.users["annotator"], "claim", sources=web_sources(2), speaker="Someone")
    before = queries_for(team.client(who), url, 50)
    for sentence in document.sentences.all()[:5]:
        AnnotationFactory(sentence=sentence, annotator=team.users["owner"], label="quote")
    assert queries_for(team.client(who), url, 55 if sees_owner_labels else 50) == before


def test_document_annotations_query_count_is_the_same_for_5_and_50_labels(team):
    small_doc = DocumentFactory(project=team.project, text=article_of(5))
    large_doc = DocumentFactory(project=team.project, text=article_of(50))
    label_document(small_doc, team.users["annotator"], "claim", sources=web_sources(2), speaker="Someone")
    label_document(large_doc, team.users["annotator2"], "claim", sources=web_sources(3), speaker="Someone")
    client = team.client("curator")
    few = queries_for(client, f"/api/v1/documents/{small_doc.pk}/annotations/?page_size=100", 5)
    assert queries_for(client, f"/api/v1/documents/{large_doc.pk}/annotations/?page_size=100", 50) == few


def test_history_query_count_does_not_grow_with_changes(team):
    sentences = list(team.document.sentences.all())
    annotators = [team.users["annotator"], team.users["annotator2"]]
    for annotator in annotators:
        for sentence in sentences[:2]:
            AnnotationFactory(sentence=sentence, annotator=annotator, label="claim")
    AnnotationFactory(sentence=sentences[0], annotator=annotators[0], label="quote", actor=team.users["owner"])
    url = f"/api/v1/projects/{team.project.pk}/history/?page_size=100"
    few = queries_for(team.client("curator"), url, 5)
    for number in range(45):
        annotator = add_member(team.project, Role.ANNOTATOR) if number % 5 == 0 else annotators[number % 2]
        AnnotationFactory(sentence=sentences[number % 4], annotator=annotator, label="opinion")
    assert queries_for(team.client("curator"), url, 50) == few


def test_sentence_history_query_count_does_not_grow_with_changes(team):
    sentence = team.document.sentences.first()
    labels = ["claim", "quote", "opinion"]
    for number in range(5):
        AnnotationFactory(sentence=sentence, annotator=team.users["annotator"], label=labels[number % 3])
    url = f"/api/v1/sentences/{sentence.pk}/history/?page_size=100"
    few = queries_for(team.client("owner"), url, 5)
    for number in range(45):
        annotator = team.users["annotator2"] if number % 2 else UserFactory()
        AnnotationFactory(sentence=sentence, annotator=annotator, label=labels[number % 3])
    assert queries_for(team.client("owner"), url, 50) == few


def test_document_detail_query_count_is_the_same_for_5_and_200_sentences(team):
    small = DocumentFactory(project=team.project, text=article_of(5))
    large = DocumentFactory(project=team.project, text=article_of(200))
    client = team.client("annotator")
    few = queries_for(client, f"/api/v1/documents/{small.pk}/", 5)
    assert queries_for(client, f"/api/v1/documents/{large.pk}/", 200) == few


def test_lists_are_paginated(team):
    for _ in range(3):
        add_member(team.project, Role.VIEWER)
    body = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/members/?page_size=3").json()
    assert (body["count"], len(body["results"])) == (8, 3)
    assert "page=2" in body["next"]


@pytest.fixture
def save_queries(team):
    """save_queries(sentence, body) -> the queries of the reviewer's PUT, without the agreement request's."""
    client = team.client("annotator")
    receivers, labels_changed.receivers = labels_changed.receivers, []
    labels_changed.sender_receivers_cache.clear()

    def save(sentence, body) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.put(f"/api/v1/sentences/{sentence.pk}/annotation/", body, format="json")
        assert response.status_code in (200, 201), response.content
        return len(captured)

    yield save
    labels_changed.receivers = receivers
    labels_changed.sender_receivers_cache.clear()


def test_saving_a_label_costs_the_same_queries_with_0_or_5_sources(team, save_queries):
    """The busiest request: the count is pinned so that an added query shows up here."""
    first, second = team.document.sentences.all()[:2]
    plain = save_queries(first, {"label": "claim"})
    sources = [{"url": f"https://e.org/{n}"} for n in range(5)]
    with_sources = save_queries(second, {"label": "claim", "sources": sources})
    assert with_sources == plain + 1  # the one INSERT of all sources
    # The upsert also writes the history event and finishes the reviewer's assignment once every sentence
    # is labelled.
    assert plain <= 4


def test_replacing_a_label_costs_the_queries_of_the_first_save_and_the_sources_delete(team, save_queries):
    """A replacement DELETEs the old sources, whether or not there were any (test_concurrency says why)."""
    sentence = team.document.sentences.first()
    first_save = save_queries(sentence, {"label": "claim"})
    assert save_queries(sentence, {"label": "opinion"}) == first_save + 1


def test_saved_label_answer_matches_what_is_read_back(team):
    sentence = team.document.sentences.first()
    client = team.client("annotator")
    body = {"label": "quote", "speaker": "Mayor", "sources": [{"url": "https://a.org/", "title": "A"}]}
    client.put(f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "claim"}, format="json")
    saved = client.put(f"/api/v1/sentences/{sentence.pk}/annotation/", body, format="json").json()
    assert saved == client.get(f"/api/v1/sentences/{sentence.pk}/annotation/").json()


def test_invitation_list_query_count_does_not_grow_with_invitations(team):
    url = f"/api/v1/projects/{team.project.pk}/invitations/?page_size=100"
    for _ in range(5):
        services.create_invitation(project=team.project, created_by=team.users["owner"], role=Role.ANNOTATOR)
    few = queries_for(team.client("owner"), url, 5)
    for _ in range(45):
        services.create_invitation(project=team.project, created_by=team.users["owner"], role=Role.ANNOTATOR)
    assert queries_for(team.client("owner"), url, 50) == few


def test_bulk_import_costs_the_same_queries_for_5_or_200_articles(team):
    def queries_to_import(count: int) -> int:
        upload = io.BytesIO(
            "".join(
                json.dumps({"text": article_of(2), "title": f"Text {n}", "outlet": f"Outlet {count}-{n % 3}"}) + "\n"
                for n in range(count)
            ).encode()
        )
        upload.name = "articles.jsonl"
        with CaptureQueriesContext(connection) as captured:
            response = team.client("curator").post(
                f"/api/v1/projects/{team.project.pk}/documents/import/", {"file": upload}, format="multipart"
            )
        assert response.status_code == 202
        assert response.json()["created"] == count
        return len(captured)

    assert queries_to_import(200) == queries_to_import(5)
