"""Training before work: reference labels, seeing them after answering, and the accuracy gate."""

import pytest

from annotator import services
from annotator.models import Assignment

from ..factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def training(team):
    """A training article whose two sentences have reference labels: claim, then quote."""
    document = DocumentFactory(project=team.project, text="Taxes rose by 3%. She said no.", title="Practice")
    services.set_document_design(document=document, training=True)
    for sentence, name in zip(document.sentences.order_by("index"), ("claim", "quote"), strict=True):
        services.set_reference(sentence=sentence, label_name=name, explanation=f"Why {name}.")
    return document


def next_for(team, who):
    return team.client(who).post(f"/api/v1/projects/{team.project.pk}/assignments/next/")


def answer(team, document, who, names):
    for sentence, name in zip(document.sentences.order_by("index"), names, strict=True):
        services.label_sentence(sentence=sentence, annotator=team.users[who], label_name=name)


def test_training_articles_come_before_real_ones(team, training):
    assert next_for(team, "annotator").json()["document"] == training.pk
    assert next_for(team, "annotator").json()["training"] is True


def test_a_reviewer_sees_the_reference_only_after_answering(team, training):
    sentence = training.sentences.order_by("index").first()
    url = f"/api/v1/sentences/{sentence.pk}/reference/"
    assert team.client("annotator").get(url).status_code == 404
    answer(team, training, "annotator", ["opinion", "quote"])
    body = team.client("annotator").get(url).json()
    assert body == {"sentence": sentence.pk, "label": "claim", "explanation": "Why claim."}


def test_a_reviewer_below_the_threshold_gets_no_real_article(team, training):
    services.update_project(project=team.project, training_threshold=0.75)
    next_for(team, "annotator")
    answer(team, training, "annotator", ["opinion", "quote"])
    response = next_for(team, "annotator")
    assert response.status_code == 409
    assert "training" in response.json()
    assert not Assignment.objects.filter(reviewer=team.users["annotator"], document=team.document).exists()


def test_a_reviewer_at_the_threshold_moves_on_to_real_articles(team, training):
    services.update_project(project=team.project, training_threshold=0.5)
    next_for(team, "annotator")
    answer(team, training, "annotator", ["opinion", "quote"])
    assert next_for(team, "annotator").json()["document"] == team.document.pk


def test_only_leads_set_references_and_only_on_training_articles(team, training):
    sentence = training.sentences.first()
    body = {"label": "opinion", "explanation": "Changed."}
    url = f"/api/v1/sentences/{sentence.pk}/reference/"
    assert team.client("annotator").put(url, body, format="json").status_code == 403
    assert team.client("curator").put(url, body, format="json").json()["label"] == "opinion"
    ordinary = team.document.sentences.first()
    response = team.client("curator").put(f"/api/v1/sentences/{ordinary.pk}/reference/", body, format="json")
    assert response.status_code == 400
    assert "sentence" in response.json()
    unknown = team.client("curator").put(url, {"label": "nonsense"}, format="json")
    assert unknown.status_code == 400
    assert "label" in unknown.json()
