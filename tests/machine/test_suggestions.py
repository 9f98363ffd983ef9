"""Suggestions reach only reviewers a lead allows, on articles drawn to be assisted; each one shown is logged."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from annotator.models import Assignment, Document
from machine.models import AssistanceDraw, Exposure, MachineLabel
from tests.factories import named_file

pytestmark = pytest.mark.django_db


def client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def trained(study, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client(study["owner"]).post(
            f"/api/v1/projects/{study['project'].pk}/models/", {"basis": "gold"}, format="json"
        )
    assert response.status_code == 202
    return study


def switch(study, **fields):
    response = client(study["owner"]).patch(f"/api/v1/projects/{study['project'].pk}/", fields, format="json")
    assert response.status_code == 200, response.content
    return response


def next_article(study, reviewer) -> int:
    response = client(reviewer).post(f"/api/v1/projects/{study['project'].pk}/assignments/next/")
    assert response.status_code == 200, response.content
    return response.data["document"]["id"] if isinstance(response.data["document"], dict) else response.data["document"]


def suggestions(reviewer, document_id):
    response = client(reviewer).get(f"/api/v1/documents/{document_id}/suggestions/")
    assert response.status_code == 200, response.content
    return response.data


def test_suggestions_are_off_until_a_lead_switches_them_on(trained):
    reviewer = trained["reviewers"][0]
    calibration = next_article(trained, reviewer)
    assert suggestions(reviewer, calibration) == {"suggestions": [], "reason": "off", "model_version": None}
    assert switch(trained, suggestions="on", unassisted_share=0).data["suggestions"] == "on"


def test_an_assisted_reviewer_gets_a_label_and_score_for_every_sentence_and_each_is_logged(trained):
    switch(trained, suggestions="on", unassisted_share=0)
    reviewer = trained["reviewers"][0]
    assert next_article(trained, reviewer) == trained["calibration"].pk
    Assignment.objects.filter(reviewer=reviewer).update(finished="2026-01-01T00:00Z")
    article = next_article(trained, reviewer)
    found = suggestions(reviewer, article)
    assert found["reason"] is None
    assert found["model_version"] == 1
    sentences = list(Document.objects.get(pk=article).sentences.order_by("index"))
    assert [row["sentence"] for row in found["suggestions"]] == [s.pk for s in sentences]
    assert {row["label"] for row in found["suggestions"][:5]} == {"claim"}
    assert all(0 <= row["score"] <= 1 for row in found["suggestions"])
    assert Exposure.objects.filter(reviewer=reviewer).count() == len(sentences)
    suggestions(reviewer, article)  # shown again: the first showing stays the only row
    assert Exposure.objects.filter(reviewer=reviewer).count() == len(sentences)


def test_no_suggestion_on_a_calibration_article_and_no_exposure_logged(trained):
    switch(trained, suggestions="on", unassisted_share=0)
    reviewer = trained["reviewers"][0]
    calibration = next_article(trained, reviewer)
    assert calibration == trained["calibration"].pk
    assert suggestions(reviewer, calibration)["reason"] == "calibration"
    assert not Exposure.objects.exists()


def test_an_article_drawn_unassisted_comes_without_suggestions(trained):
    switch(trained, suggestions="on", unassisted_share=1)
    reviewer = trained["reviewers"][0]
    next_article(trained, reviewer)
    Assignment.objects.filter(reviewer=reviewer).update(finished="2026-01-01T00:00Z")
    article = next_article(trained, reviewer)
    assert suggestions(reviewer, article)["reason"] == "unassisted"
    assert AssistanceDraw.objects.get(assignment__document_id=article, assignment__reviewer=reviewer).unassisted
    assert not Exposure.objects.exists()


def test_a_reviewer_without_the_article_gets_none(trained):
    switch(trained, suggestions="on", unassisted_share=0)
    assert suggestions(trained["reviewers"][1], trained["articles"][3].pk)["reason"] == "not_assigned"


def test_each_assignment_is_drawn_with_the_projects_share_when_it_is_made(study):
    """Drawn by the database as the assignment row goes in, whoever makes it: here 400 at a share of 0.3."""
    project = study["project"]
    project.unassisted_share = 0.3
    project.save()
    users = get_user_model().objects.bulk_create(get_user_model()(username=f"r{n}") for n in range(400))
    Assignment.objects.bulk_create(
        Assignment(project=project, document=study["articles"][0], reviewer=user) for user in users
    )
    draws = AssistanceDraw.objects.filter(assignment__project=project)
    assert draws.count() == 400
    assert set(draws.values_list("share", flat=True)) == {0.3}
    unassisted = draws.filter(unassisted=True).count()
    assert 80 <= unassisted <= 160  # 120 expected; outside these bounds with a probability below 1e-5


def test_a_share_outside_0_to_1_is_refused_naming_the_field(study):
    response = client(study["owner"]).patch(
        f"/api/v1/projects/{study['project'].pk}/", {"unassisted_share": 1.5, "suggestions": "on"}, format="json"
    )
    assert response.status_code == 400
    assert "unassisted_share" in response.data
    study["project"].refresh_from_db()
    assert study["project"].suggestions == "off"


def test_a_reviewer_cannot_switch_suggestions_on(study):
    response = client(study["reviewers"][0]).patch(
        f"/api/v1/projects/{study['project'].pk}/", {"suggestions": "on"}, format="json"
    )
    assert response.status_code == 403


def test_the_exposure_log_exports_each_showing_with_the_final_label(trained):
    from annotator import services as annotator_services

    switch(trained, suggestions="on", unassisted_share=0)
    reviewer = trained["reviewers"][0]
    next_article(trained, reviewer)
    Assignment.objects.filter(reviewer=reviewer).update(finished="2026-01-01T00:00Z")
    article = next_article(trained, reviewer)
    shown = suggestions(reviewer, article)["suggestions"]
    first = Document.objects.get(pk=article).sentences.order_by("index").first()
    annotator_services.label_sentence(sentence=first, annotator=reviewer, label_name="quote")
    response = client(trained["owner"]).get(f"/api/v1/projects/{trained['project'].pk}/export/exposures.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == len(shown)
    assert rows[0]["reviewer"] == reviewer.username
    assert rows[0]["suggested_label"] == shown[0]["label"]
    assert rows[0]["final_label"] == "quote"
    assert rows[0]["took_suggestion"] == "false"
    assert rows[1]["final_label"] == ""


def test_machine_labels_arrive_from_a_csv_as_a_declared_machine_coder(study):
    sentences = list(study["articles"][0].sentences.order_by("index")[:2])
    content = "sentence,label,score,model\n" + "".join(f"{s.pk},claim,0.9,gpt-run-7\n" for s in sentences)
    response = client(study["owner"]).post(
        f"/api/v1/projects/{study['project'].pk}/machine-labels/",
        {"file": named_file("labels.csv", content.encode())},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.data == {"imported": 2}
    assert list(MachineLabel.objects.values_list("model", "label__name", "score")) == [("gpt-run-7", "claim", 0.9)] * 2
    assert not study["project"].documents.filter(sentences__annotations__isnull=False).exists()


def test_a_machine_label_file_with_an_unknown_label_is_refused_and_keeps_nothing(study):
    sentence = study["articles"][0].sentences.first()
    lines = f'{{"sentence": {sentence.pk}, "label": "claim", "model": "m"}}\n'
    lines += f'{{"sentence": {sentence.pk}, "label": "rumour", "model": "m"}}\n'
    response = client(study["owner"]).post(
        f"/api/v1/projects/{study['project'].pk}/machine-labels/",
        {"file": named_file("labels.jsonl", lines.encode())},
        format="multipart",
    )
    assert response.status_code == 400
    assert "label" in response.data
    assert "Line 2" in str(response.data["label"])
    assert not MachineLabel.objects.exists()
