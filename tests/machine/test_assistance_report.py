"""The project's agreement report carries the assistance section, read from the draws, exposures and labels."""

import pytest
from rest_framework.test import APIClient

from annotator.models import Assignment
from claims.reports.running import compute_project_now
from machine.models import AssistanceDraw
from tests.factories import label_document, named_file

pytestmark = pytest.mark.django_db


def test_the_agreement_report_compares_assisted_and_unassisted_labels(study, django_capture_on_commit_callbacks):
    project, owner = study["project"], study["owner"]
    api = APIClient()
    api.force_authenticate(owner)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/api/v1/projects/{project.pk}/models/", {"basis": "gold"}, format="json")
    api.patch(f"/api/v1/projects/{project.pk}/", {"suggestions": "on", "unassisted_share": 0}, format="json")
    rita, ravi = study["reviewers"]
    articles = study["articles"][:2]
    for reviewer in (rita, ravi):
        for document in articles:
            Assignment.objects.create(project=project, document=document, reviewer=reviewer)
    AssistanceDraw.objects.filter(assignment__reviewer=ravi).update(unassisted=True)
    reviewer_api = APIClient()
    reviewer_api.force_authenticate(rita)
    for document in articles:
        shown = reviewer_api.get(f"/api/v1/documents/{document.pk}/suggestions/").data["suggestions"]
        assert len(shown) == 10
        # Rita takes every suggestion; Ravi labels everything a claim.
        label_document(document, rita, [row["label"] for row in shown])
        label_document(document, ravi, "claim")
    sentence = articles[0].sentences.order_by("index").first()
    api.post(
        f"/api/v1/projects/{project.pk}/machine-labels/",
        {"file": named_file("m.csv", f"sentence,label,score,model\n{sentence.pk},opinion,0.6,llm\n".encode())},
        format="multipart",
    )
    compute_project_now(project)
    report = api.get(f"/api/v1/projects/{project.pk}/agreement/").data
    section = report["assistance"]
    effect = section["effect"]
    assert effect["model_share"]["assisted"] == 1.0
    assert effect["model_share"]["unassisted"] == pytest.approx(
        sum(row[1] == "claim" for row in _suggested(articles)) / 20
    )
    assert effect["model_share"]["assisted_n"] == 20
    assert effect["articles"] == 2
    # The curator decided every sentence by hand: gold no suggestion could shape (5 claims, 5 opinions).
    right = sum(label == ("claim" if s % 10 < 5 else "opinion") for s, label in _suggested_by_index(articles))
    assert effect["accuracy"]["assisted"] == pytest.approx(right / 20)
    assert effect["accuracy"]["unassisted"] == 0.5
    coder = section["machine_coders"][0]
    assert (coder["model"], coder["sentences"], coder["accuracy_against_gold"], coder["gold_n"]) == ("llm", 1, 0.0, 1)


def _suggested_by_index(articles):
    from machine.models import ArticleSuggestions

    rows = []
    for document in articles:
        suggestions = ArticleSuggestions.objects.get(document=document).suggestions
        rows += [(index, label) for index, (_, label, _) in enumerate(suggestions)]
    return rows


def _suggested(articles):
    from machine.models import ArticleSuggestions

    rows = []
    for document in articles:
        rows += [(s, label) for s, label, _ in ArticleSuggestions.objects.get(document=document).suggestions]
    return rows
