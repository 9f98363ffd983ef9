"""Reviewers against the decisions: the lead opens feedback on the settings page, a reviewer reads it, the lead reads
the gold figures on the agreement page; on a 390 px phone, with axe."""

import re

import pytest
from playwright.sync_api import expect

from curation import services as curation_services
from curation.models import CurationSettings
from tests.factories import label_document

from .conftest import DESKTOP, PHONE, log_in, open_annotation_screen
from .helpers import open_settings, save_settings, study, violations, wait_until_drawn

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RATIONALE = "The mayor's words are reported, not quoted: an opinion of the paper."


@pytest.fixture
def decided():
    """Anna and Ben label the article; the lead decides its first two sentences (Anna differs on the second)."""
    project, document, users = study(title="Bridge to reopen")
    label_document(document, users["anna"], ["claim", "quote", "opinion", "quote"])
    label_document(document, users["ben"], ["claim", "opinion", "opinion", "quote"])
    first, second = document.sentences.order_by("index")[:2]
    curation_services.decide(sentence=first, curator=users["lead"], label_name="claim")
    curation_services.decide(
        sentence=second, curator=users["lead"], label_name="opinion", rationale=RATIONALE, category="misreading"
    )
    return project, document, second


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_lead_opens_feedback_and_a_reviewer_reads_the_decision_on_a_phone(new_page, decided):
    project, document, second = decided
    lead = new_page(DESKTOP)
    log_in(lead, "lead")
    open_settings(lead, project)
    feedback = lead.get_by_label("Show reviewers the decisions")
    expect(feedback).not_to_be_checked()
    feedback.check()
    save_settings(lead)
    assert CurationSettings.for_project(project).feedback is True
    lead.reload()
    expect(lead.get_by_label("Show reviewers the decisions")).to_be_checked()

    anna = new_page(PHONE)
    log_in(anna, "anna")
    open_annotation_screen(anna, document.pk)
    panel = anna.get_by_role("region", name="The decisions where you differed")
    expect(panel).to_contain_text("You: quote · Decided: opinion · misreading")
    expect(panel).to_contain_text(RATIONALE)
    expect(panel).to_contain_text("Your agreement with the decisions: 50% of 2 sentences")
    expect(panel).not_to_contain_text(re.compile(r"\bben\b"))
    anna.locator(f"#s{second.pk}").get_by_role("link", name="decided: opinion").click()
    expect(anna.locator(f"#feedback-{second.pk}")).to_be_in_viewport()
    expect(anna.get_by_role("link", name=re.compile("^decided:"))).to_have_count(1)
    assert violations(anna) == []
    assert no_sideways_scroll(anna)
    assert anna.errors == []
    assert lead.errors == []


def test_a_reviewer_sees_no_decision_until_feedback_is_open(new_page, decided):
    _project, document, _second = decided
    anna = new_page(PHONE)
    log_in(anna, "anna")
    open_annotation_screen(anna, document.pk)
    expect(anna.locator("#feedback-panel")).to_have_count(0)
    expect(anna.get_by_text(RATIONALE)).to_have_count(0)
    expect(anna.get_by_role("link", name=re.compile("^decided:"))).to_have_count(0)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_agreement_page_shows_each_reviewer_against_the_decisions(new_page, decided, viewport):
    project, _document, _second = decided
    page = new_page(viewport)
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/agreement/")
    wait_until_drawn(page)

    table = page.locator("#gold")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_role("row", name=re.compile(r"^anna 2 50% \(1 of 2\) 0\.333"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"^ben 2 100% \(2 of 2\) 1\.000"))).to_be_visible()
    page.get_by_text("Confusion matrix of anna").click()
    matrix = page.get_by_role("table", name="anna (rows) against the decisions (columns)")
    expect(matrix).to_be_visible()
    expect(matrix.get_by_role("row", name=re.compile(r"^quote 0 0 1"))).to_be_visible()
    assert violations(page) == []
    if viewport == PHONE:
        assert no_sideways_scroll(page)
    assert page.errors == []
