"""Training before work: reference labels, seeing them after answering, and the accuracy gate."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotator import services
from annotator.models import Assignment, ReferenceLabel
from curation import services as curation_services

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
    assert body == {"sentence": sentence.pk, "label": "claim", "explanation": "Why claim.", "first_answer": "opinion"}


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


def upload(name: str, content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/plain")


def references_of(document) -> list[tuple[int, str, str]]:
    return [
        (reference.sentence.index + 1, reference.label.name, reference.explanation)
        for reference in ReferenceLabel.objects.filter(sentence__document=document).order_by("sentence__index")
    ]


def test_a_lead_imports_a_training_articles_references_from_csv(team, training):
    url = f"/api/v1/documents/{training.pk}/references/"
    csv = 'sentence,label,explanation\n2,opinion,"She gives a view, not a fact."\n1,claim,Checkable.\n'
    response = team.client("curator").post(url, {"file": upload("references.csv", csv)}, format="multipart")
    assert response.status_code == 200
    assert [(row["position"], row["label"], row["explanation"]) for row in response.json()] == [
        (1, "claim", "Checkable."),
        (2, "opinion", "She gives a view, not a fact."),
    ]
    assert references_of(training) == [(1, "claim", "Checkable."), (2, "opinion", "She gives a view, not a fact.")]


def test_a_lead_imports_references_from_jsonl(team, training):
    url = f"/api/v1/documents/{training.pk}/references/"
    jsonl = '{"sentence": 2, "label": "claim"}\n'
    assert (
        team.client("owner").post(url, {"file": upload("references.jsonl", jsonl)}, format="multipart").status_code
        == 200
    )
    assert references_of(training) == [(1, "claim", "Why claim."), (2, "claim", "")]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("sentence,label\n1,claim\n3,claim\n", "Line 3"),
        ("sentence,label\n1,claim\n2,nonsense\n", "Line 3"),
        ("sentence,label\none,claim\n", "Line 2"),
        ("label\nclaim\n", "header"),
        ('{"sentence": 1, "label": "claim"}\n[1]\n', "Line 2"),
    ],
)
def test_a_bad_reference_file_is_refused_whole_naming_the_line(team, training, content, line):
    before = references_of(training)
    response = team.client("curator").post(
        f"/api/v1/documents/{training.pk}/references/", {"file": upload("references.csv", content)}, format="multipart"
    )
    assert response.status_code == 400
    assert line in " ".join(response.json()["file"])
    assert references_of(training) == before


def test_references_are_for_leads_and_training_articles_only(team, training):
    csv = upload("references.csv", "sentence,label\n1,claim\n")
    assert team.client("annotator").get(f"/api/v1/documents/{training.pk}/references/").status_code == 403
    assert (
        team.client("annotator")
        .post(f"/api/v1/documents/{training.pk}/references/", {"file": csv}, format="multipart")
        .status_code
        == 403
    )
    csv.seek(0)
    response = team.client("curator").post(
        f"/api/v1/documents/{team.document.pk}/references/", {"file": csv}, format="multipart"
    )
    assert response.status_code == 400
    assert "document" in response.json()
    assert not ReferenceLabel.objects.filter(sentence__document=team.document).exists()


def test_a_lead_takes_references_from_the_decisions_in_one_step(team, training):
    first, second = training.sentences.order_by("index")
    curation_services.decide(sentence=first, curator=team.users["curator"], label_name="opinion", rationale="A view.")
    curation_services.decide(sentence=second, curator=team.users["curator"], label_name="quote")
    url = f"/api/v1/documents/{training.pk}/references/from-decisions/"
    assert team.client("annotator").post(url).status_code == 403
    response = team.client("curator").post(url)
    assert response.json() == {"references": 2}
    assert references_of(training) == [(1, "opinion", "A view."), (2, "quote", "Why quote.")]


def test_taking_references_from_an_article_without_decisions_says_so(team, training):
    response = team.client("curator").post(f"/api/v1/documents/{training.pk}/references/from-decisions/")
    assert response.status_code == 400
    assert "document" in response.json()
    assert references_of(training) == [(1, "claim", "Why claim."), (2, "quote", "Why quote.")]
