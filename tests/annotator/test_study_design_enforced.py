"""The study design on the server: a reviewer labels only what the design gives them, on every write channel,
and the training gate counts first answers."""

import pytest

from annotator import services
from annotator.models import Annotation, AnnotationEvent, Assignment, Membership, Source, TrainingAnswer

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


def put(team, who, sentence, **body):
    body = {"label": "claim", **body}
    return team.client(who).put(f"/api/v1/sentences/{sentence.pk}/annotation/", body, format="json")


def delete(team, who, sentence):
    return team.client(who).delete(f"/api/v1/sentences/{sentence.pk}/annotation/")


def next_for(team, who):
    return team.client(who).post(f"/api/v1/projects/{team.project.pk}/assignments/next/")


def reveal(team, who, sentence):
    return team.client(who).get(f"/api/v1/sentences/{sentence.pk}/reference/")


def decide(team, who, reviewer, decision):
    url = f"/api/v1/projects/{team.project.pk}/members/{reviewer}/training/"
    return team.client(who).post(url, {"decision": decision}, format="json")


def fail_training(team, training, who="annotator"):
    """`who` answers the training article wrongly on its first sentence, sees the reference, then corrects it."""
    assert next_for(team, who).json()["document"] == training.pk
    first, second = training.sentences.order_by("index")
    assert put(team, who, first, label="opinion").status_code == 201
    assert put(team, who, second, label="quote").status_code == 201
    assert reveal(team, who, first).json()["first_answer"] == "opinion"
    assert put(team, who, first, label="claim").status_code == 200  # practice after the reveal


def everything(sentence):
    """What a refused write must leave as it was: the sentence's labels with their sources, and the history."""
    labels = sorted(Annotation.objects.filter(sentence=sentence).values_list("annotator_id", "label__name", "speaker"))
    return labels, Source.objects.filter(annotation__sentence=sentence).count(), AnnotationEvent.objects.count()


def refused_says_why(response, words):
    assert response.status_code == 403, response.content
    assert words in " ".join(response.json()["document"])


# Channels: a label, its sources, its speaker (all PUT), and a delete.
WRITES = {
    "label": lambda team, who, sentence: put(team, who, sentence),
    "sources": lambda team, who, sentence: put(team, who, sentence, sources=[{"url": "https://example.org/a"}]),
    "speaker": lambda team, who, sentence: put(team, who, sentence, speaker="The mayor"),
    "delete": delete,
}


@pytest.mark.parametrize("channel", WRITES)
def test_an_article_not_assigned_is_refused_on_every_channel_and_nothing_changes(team, channel):
    services.update_project(project=team.project, overlap=1)
    sentence = team.document.sentences.first()
    # ben holds the article; anna does not, but labelled it before the design (so a delete has a label to remove).
    services.assign(document=team.document, reviewer_username="ben", assigned_by=team.users["owner"])
    Annotation.objects.create(
        sentence=sentence, annotator=team.users["annotator"], label=team.project.labels.get(name="quote")
    )
    before = everything(sentence)
    refused_says_why(WRITES[channel](team, "annotator", sentence), "not assigned to you")
    assert everything(sentence) == before


@pytest.mark.parametrize("channel", WRITES)
def test_a_reviewer_held_in_training_is_refused_on_every_channel_and_nothing_changes(team, training, channel):
    services.update_project(project=team.project, training_threshold=0.75)
    fail_training(team, training)
    sentence = team.document.sentences.first()
    services.assign(document=team.document, reviewer_username="anna", assigned_by=team.users["owner"])
    Annotation.objects.create(
        sentence=sentence, annotator=team.users["annotator"], label=team.project.labels.get(name="quote")
    )
    before = everything(sentence)
    refused_says_why(WRITES[channel](team, "annotator", sentence), "You are in training")
    assert everything(sentence) == before


def test_an_assigned_article_is_labelled_as_before(team):
    services.update_project(project=team.project, overlap=1)
    services.assign(document=team.document, reviewer_username="anna", assigned_by=team.users["owner"])
    sentence = team.document.sentences.first()
    assert put(team, "annotator", sentence, speaker="The mayor").status_code == 201
    assert delete(team, "annotator", sentence).status_code == 204


def test_calibration_and_training_articles_are_open_to_every_reviewer(team, training):
    services.update_project(project=team.project, overlap=1)
    services.set_document_design(document=team.document, calibration=True)
    assert put(team, "annotator", team.document.sentences.first()).status_code == 201
    assert put(team, "annotator", training.sentences.first()).status_code == 201


def test_leads_and_projects_without_a_design_keep_todays_behaviour(team):
    sentence = team.document.sentences.first()
    assert put(team, "annotator", sentence).status_code == 201  # no design: every article is open
    services.update_project(project=team.project, overlap=1)
    services.assign(document=team.document, reviewer_username="ben", assigned_by=team.users["owner"])
    assert put(team, "curator", sentence).status_code == 201  # leads set the design and are not held to it


def test_the_gate_counts_the_first_answer_not_the_corrected_one(team, training):
    services.update_project(project=team.project, training_threshold=0.75)
    fail_training(team, training)
    # The current labels agree with the reference on both sentences, but the first answer on one did not.
    response = next_for(team, "annotator")
    assert response.status_code == 409
    assert "1 of 2" in " ".join(response.json()["training"])
    answer = TrainingAnswer.objects.get(reviewer=team.users["annotator"])
    assert answer.label.name == "opinion"


def test_a_second_reveal_keeps_the_first_answer(team, training):
    first = training.sentences.order_by("index").first()
    put(team, "annotator", first, label="opinion")
    reveal(team, "annotator", first)
    put(team, "annotator", first, label="claim")
    assert reveal(team, "annotator", first).json()["first_answer"] == "opinion"
    assert TrainingAnswer.objects.filter(sentence=first).count() == 1


def test_an_answer_whose_reference_was_not_shown_counts_as_it_stands(team, training):
    services.update_project(project=team.project, training_threshold=1)
    for sentence, name in zip(training.sentences.order_by("index"), ("claim", "quote"), strict=True):
        put(team, "annotator", sentence, label=name)
    assert next_for(team, "annotator").json()["document"] == training.pk  # handed out, finished at once
    assert next_for(team, "annotator").json()["document"] == team.document.pk


def test_a_lead_lets_a_reviewer_through_and_sends_them_back_both_in_the_history(team, training):
    services.update_project(project=team.project, training_threshold=0.75)
    fail_training(team, training)
    sentence = team.document.sentences.first()
    assert decide(team, "annotator2", "anna", "let_through").status_code == 403  # reviewers do not decide
    assert decide(team, "curator", "anna", "let_through").json() == {"decision": "let_through"}
    assert next_for(team, "annotator").json()["document"] == team.document.pk
    assert put(team, "annotator", sentence).status_code == 201
    assert decide(team, "owner", "anna", "sent_back").status_code == 200
    refused_says_why(put(team, "annotator", sentence, label="quote"), "You are in training")
    response = next_for(team, "annotator")
    assert response.status_code == 409
    assert "sent you back" in " ".join(response.json()["training"])
    history = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/history/").json()
    history = history.get("results", history)
    decisions = [(event["action"], event.get("actor")) for event in history if event["action"] != "created"]
    assert [action for action, _ in decisions if action in ("let_through", "sent_back")] == ["sent_back", "let_through"]


def test_a_lead_decision_needs_a_design_and_an_annotator(team):
    response = decide(team, "owner", "anna", "let_through")
    assert response.status_code == 409
    assert "no study design" in " ".join(response.json()["decision"])
    services.update_project(project=team.project, overlap=2)
    assert decide(team, "owner", "carl", "sent_back").status_code == 409
    assert decide(team, "owner", "nobody", "sent_back").status_code == 400
    assert decide(team, "owner", "anna", "maybe").status_code == 400
    assert set(Membership.objects.values_list("training_decision", flat=True)) == {""}


def test_an_open_assignment_is_not_handed_out_while_the_reviewer_is_held(team, training):
    services.update_project(project=team.project, training_threshold=0.75)
    services.assign(document=team.document, reviewer_username="anna", assigned_by=team.users["owner"])
    fail_training(team, training)
    Assignment.objects.filter(document=training).update(finished=None)
    assert next_for(team, "annotator").status_code == 409


def test_a_reviewer_cannot_restore_removed_text_and_nothing_changes(team, training):
    services.update_project(project=team.project, training_threshold=0.75)
    fail_training(team, training)
    before = list(team.document.sentences.values_list("pk", "text"))
    response = team.client("annotator").post(f"/api/v1/documents/{team.document.pk}/restore/", {"start": 0})
    assert response.status_code == 403
    assert list(team.document.sentences.values_list("pk", "text")) == before
