"""Feedback to reviewers: nothing of the decisions reaches an annotator until the lead opens it, then only their own."""

import re

import pytest

from annotator import services
from claims.exports import FORMATS
from curation import services as curation_services
from tests.frontend.test_pages import signed_in

from ..factories import label_document

pytestmark = pytest.mark.django_db

RATIONALE = "Checkable against the budget."


@pytest.fixture
def decided(team, django_capture_on_commit_callbacks):
    """Anna differs from the decision on the first sentence, agrees on the second; Ben labels all four."""
    first, second = team.document.sentences.order_by("index")[:2]
    with django_capture_on_commit_callbacks(execute=True):
        label_document(team.document, team.users["annotator"], ["opinion", "claim"])
        label_document(team.document, team.users["annotator2"], ["quote", "claim", "quote", "quote"])
        for sentence in (first, second):
            curation_services.decide(
                sentence=sentence,
                curator=team.users["curator"],
                label_name="claim",
                rationale=RATIONALE,
                category="misreading",
            )
    return team, first, second


def annotation_screen(team) -> str:
    response = signed_in(team.users["annotator"]).get(f"/documents/{team.document.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def what_anna_receives(team, first) -> list[str]:
    """Every answer an annotator can ask for about the article, the project and its reports."""
    api = team.client("annotator")
    project, document = team.project.pk, team.document.pk
    answers = [
        api.get(f"/api/v1/projects/{project}/"),
        api.get(f"/api/v1/projects/{project}/documents/"),
        api.get(f"/api/v1/documents/{document}/"),
        api.get(f"/api/v1/documents/{document}/annotations/"),
        api.get(f"/api/v1/sentences/{first.pk}/annotation/"),
        api.get(f"/api/v1/sentences/{first.pk}/history/"),
        api.get(f"/api/v1/projects/{project}/agreement/"),
        api.get(f"/api/v1/documents/{document}/agreement/"),
        api.get(f"/api/v1/documents/{document}/curation/"),
        *(api.get(f"/api/v1/projects/{project}/export/{name}") for name in FORMATS),
    ]
    assert all(answer.status_code < 500 for answer in answers)
    bodies = [b"".join(answer.streaming_content) if answer.streaming else answer.content for answer in answers]
    return [body.decode() for body in bodies]


def test_nothing_of_the_decisions_reaches_an_annotator_while_feedback_is_closed(decided):
    team, first, _second = decided
    for blind in (True, False):
        services.update_project(project=team.project, blind=blind)
        page = annotation_screen(team)
        assert RATIONALE not in page
        assert "decided:" not in page
        assert "feedback-panel" not in page
        if blind:
            assert not any(RATIONALE in body or "misreading" in body for body in what_anna_receives(team, first))
            api = team.client("annotator")
            assert api.get(f"/api/v1/documents/{team.document.pk}/decisions/").json()["results"] == []
            assert api.get(f"/api/v1/sentences/{first.pk}/decision/").status_code == 404


def test_with_feedback_open_an_annotator_sees_the_decisions_they_differed_from_and_their_own_figures(decided):
    team, first, second = decided
    curation_services.update_settings(project=team.project, feedback=True)

    page = annotation_screen(team)

    panel = page[page.index('id="feedback-panel"') : page.index("</section>", page.index('id="feedback-panel"'))]
    assert f'href="#feedback-{first.pk}">decided: claim' in page
    assert f"#feedback-{second.pk}" not in page
    assert "You: <strong>opinion</strong> · Decided: <strong>claim</strong> · misreading" in panel
    assert RATIONALE in panel
    # Anna's own comparison (1 of 2 agree); Ben's figures and labels never appear.
    assert "Your agreement with the decisions: 50% of 2 sentences" in panel
    assert not re.search(r"\bben\b", panel)
    assert not re.search(r"\bquote\b", panel)
    assert not any(RATIONALE in body for body in what_anna_receives(team, first))
    listed = team.client("annotator").get(f"/api/v1/documents/{team.document.pk}/decisions/").json()["results"]
    one = team.client("annotator").get(f"/api/v1/sentences/{first.pk}/decision/").json()
    assert [(row["sentence"], row["label"], row["rationale"]) for row in listed] == [(first.pk, "claim", RATIONALE)]
    # How many reviewers labelled the sentence and how many agreed would tell Anna of Ben's labels.
    assert [(row["labels"], row["share"], row["provenance"]) for row in (listed[0], one)] == [(None, None, None)] * 2
    viewer = team.client("viewer").get(f"/api/v1/sentences/{first.pk}/decision/").json()
    assert (viewer["labels"], viewer["provenance"]) == (2, "adjudicated")


def test_a_reviewer_who_agreed_with_every_decision_sees_none(decided):
    team, first, _second = decided
    curation_services.update_settings(project=team.project, feedback=True)
    services.label_sentence(sentence=first, annotator=team.users["annotator"], label_name="claim")

    page = annotation_screen(team)

    assert "decided:" not in page
    assert RATIONALE not in page
    assert "None in this article." in page
