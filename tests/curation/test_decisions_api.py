"""A sentence's decision over the API: who decides, who reads, what a bad request gets, and its history."""

import pytest

from annotator import services
from curation.models import Decision, DecisionEvent

from ..factories import AnnotationFactory, DocumentFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def first_sentence(team):
    return team.document.sentences.order_by("index").first()


def label(team, sentence, who_label: dict):
    """Each reviewer named (a role of `team`) labels `sentence` as given."""
    for who, name in who_label.items():
        AnnotationFactory(sentence=sentence, annotator=team.users[who], label=name)


def url(sentence) -> str:
    return f"/api/v1/sentences/{sentence.pk}/decision/"


def test_curator_decides_a_sentence_with_rationale_category_and_sources(team):
    sentence = first_sentence(team)
    label(team, sentence, {"annotator": "claim", "annotator2": "opinion", "owner": "claim"})
    body = {
        "label": "claim",
        "rationale": "Checkable against the council minutes.",
        "category": "misreading",
        "speaker": "",
        "sources": [{"url": "https://example.org/minutes", "title": "Minutes"}],
    }
    response = team.client("curator").put(url(sentence), body, format="json")
    assert response.status_code == 201
    decision = response.json()
    assert decision["label"] == "claim"
    assert decision["provenance"] == "adjudicated"
    assert decision["decided_by"] == "carl"
    assert decision["labels"] == 3
    assert decision["share"] == pytest.approx(2 / 3)
    assert decision["category"] == "misreading"
    assert decision["sources"] == [{"url": "https://example.org/minutes", "title": "Minutes", "note": ""}]
    assert decision["decided_at"]
    again = team.client("owner").put(url(sentence), {"label": "opinion"}, format="json")
    assert again.status_code == 200
    assert again.json()["decided_by"] == "olivia"
    assert list(
        DecisionEvent.objects.filter(sentence=sentence).order_by("id").values_list("data__label", flat=True)
    ) == [
        "claim",
        "opinion",
    ]


def test_null_label_marks_the_sentence_unresolved(team):
    sentence = first_sentence(team)
    response = team.client("curator").put(url(sentence), {"label": None, "rationale": "Two readings."}, format="json")
    assert response.status_code == 201
    assert response.json()["provenance"] == "unresolved"
    assert response.json()["label"] is None


def test_delete_opens_the_sentence_again_and_is_recorded(team):
    sentence = first_sentence(team)
    team.client("curator").put(url(sentence), {"label": "quote"}, format="json")
    assert team.client("curator").delete(url(sentence)).status_code == 204
    assert not Decision.objects.filter(sentence=sentence).exists()
    assert team.client("curator").delete(url(sentence)).status_code == 404
    assert team.client("curator").get(url(sentence)).status_code == 404
    assert list(DecisionEvent.objects.filter(sentence=sentence).order_by("id").values_list("action", flat=True)) == [
        "decided",
        "deleted",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"label": "rumour"}, "label"),
        ({}, "label"),
        ({"label": "claim", "category": "laziness"}, "category"),
        ({"label": "claim", "sources": [{"url": "ftp://example.org/x"}]}, "sources[0].url"),
        ({"label": "claim", "rationale": "x" * 5001}, "rationale"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(team, body, field):
    sentence = first_sentence(team)
    response = team.client("curator").put(url(sentence), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Decision.objects.exists()
    assert not DecisionEvent.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("annotator", 403), ("outsider", 404)])
def test_only_owners_and_curators_decide(team, who, status):
    response = team.client(who).put(url(first_sentence(team)), {"label": "claim"}, format="json")
    assert response.status_code == status
    assert not Decision.objects.exists()


def test_a_sentence_of_another_project_is_a_404(team):
    other = DocumentFactory(project=ProjectFactory(owner=UserFactory(username="stranger")))
    sentence = other.sentences.first()
    assert team.client("owner").put(url(sentence), {"label": "claim"}, format="json").status_code == 404
    assert team.client("owner").get(url(sentence)).status_code == 404


def test_viewers_read_decisions_and_annotators_of_a_blind_project_see_none(team):
    sentence = first_sentence(team)
    team.client("curator").put(url(sentence), {"label": "claim"}, format="json")
    assert team.client("viewer").get(url(sentence)).json()["label"] == "claim"
    assert team.client("annotator").get(url(sentence)).status_code == 404
    listed = team.client("annotator").get(f"/api/v1/documents/{team.document.pk}/decisions/")
    assert listed.status_code == 200
    assert listed.json()["results"] == []
    assert team.client("annotator").get(f"/api/v1/documents/{team.document.pk}/curation/").status_code == 403


def test_annotators_of_an_open_project_read_decisions(team):
    services.update_project(project=team.project, blind=False)
    sentence = first_sentence(team)
    team.client("curator").put(url(sentence), {"label": "claim"}, format="json")
    assert team.client("annotator").get(url(sentence)).json()["label"] == "claim"


def test_document_decisions_list_in_sentence_order(team):
    sentences = list(team.document.sentences.order_by("index"))
    for sentence, name in zip(reversed(sentences), ["claim", "quote", "opinion"], strict=False):
        team.client("curator").put(url(sentence), {"label": name}, format="json")
    results = team.client("viewer").get(f"/api/v1/documents/{team.document.pk}/decisions/").json()["results"]
    assert [row["sentence"] for row in results] == [s.pk for s in sentences[-3:]]
    assert {row["document"] for row in results} == {team.document.pk}
