"""A lead in a real browser on a project of many articles and one of many reviewers: finding, ordering and
paging the articles; the agreement page's dense heatmap, folded pairs and every article's alpha."""

import datetime

import pytest
from playwright.sync_api import expect

from annotator.models import Role
from claims.reports import compute_project_now
from tests.factories import DocumentFactory, ProjectFactory, UserFactory, add_member, label_document

from .conftest import DESKTOP, PHONE, log_in
from .helpers import violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def many_articles(count: int):
    lead = UserFactory(username="lead")
    project = ProjectFactory(owner=lead, name="Archive")
    anna = add_member(project, Role.ANNOTATOR, "anna")
    for number in range(count):
        document = DocumentFactory(
            project=project,
            text="The council met. It voted.",
            title=f"Budget story {number:02d}" if number % 10 else f"Harbour story {number:02d}",
            outlet="Coast Herald",
            published=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
        )
        if number < 3:
            label_document(document, anna, "claim")
    return project


def panel(reviewers: int):
    lead = UserFactory(username="lead")
    project = ProjectFactory(owner=lead, name="Panel")
    members = [add_member(project, Role.ANNOTATOR, f"reviewer{n:02d}") for n in range(reviewers)]
    for title in ("Bridge to reopen", "Harbour works"):
        document = DocumentFactory(project=project, text="The council met. It voted. Residents objected.", title=title)
        for number, member in enumerate(members):
            label_document(document, member, ["claim", "quote", "claim" if number % 3 else "quote"])
    compute_project_now(project)
    return project


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_lead_finds_sorts_and_pages_through_many_articles(new_page, screenshot, viewport):
    project = many_articles(55)
    page = new_page(viewport)
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/")
    expect(page.locator("#documents-caption")).to_have_text("Articles (55)")
    expect(page.locator("table.documents tbody tr")).to_have_count(50)
    page.get_by_role("link", name="Next").click()
    expect(page.locator("table.documents tbody tr")).to_have_count(5)

    page.get_by_label("Search titles and outlets").fill("harbour")
    page.get_by_label("Sort by").select_option("newest")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#documents-caption")).to_have_text("Articles matching “harbour” (6 of 55)")
    newest_first = [f"Harbour story {n:02d}" for n in (50, 40, 30, 20, 10, 0)]
    expect(page.locator("table.documents tbody th")).to_have_text(newest_first)
    expect(page.get_by_label("Sort by")).to_have_value("newest")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"] or viewport == DESKTOP
    assert violations(page) == []
    screenshot(page, f"project-search-{viewport['width']}", full_page=True)

    page.get_by_role("link", name="Show all").click()
    expect(page.locator("#documents-caption")).to_have_text("Articles (55)")
    expect(page.locator("table.documents tbody th").first).to_have_text("Budget story 54")  # still newest first
    assert page.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_lead_reads_the_agreement_of_a_large_panel(new_page, screenshot, viewport):
    project = panel(14)
    page = new_page(viewport)
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/agreement/")
    expect(page.locator("#freshness")).to_have_attribute("data-status", "ready")
    heatmap = page.locator("#kappa-chart svg")
    expect(heatmap).to_have_attribute("aria-label", "Cohen's kappa by reviewer pair")
    expect(heatmap.locator("text").filter(has_text="reviewer13").first).to_be_visible()
    expect(heatmap.locator("rect")).to_have_count(0)
    assert 1 <= heatmap.locator("path").count() <= 12
    expect(page.locator("#documents-chart")).to_contain_text("Harbour works")
    expect(page.locator("#pairs-summary")).to_have_text("Every pair of reviewers (91)")
    expect(page.locator("#pairs")).to_be_hidden()
    page.locator("#pairs-summary").click()
    expect(page.locator("#pairs tr")).to_have_count(92)
    expect(page.locator("#pairs")).to_contain_text("reviewer00 and reviewer01")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"] or viewport == DESKTOP
    assert violations(page) == []
    screenshot(page, f"agreement-panel-{viewport['width']}", full_page=True)
    assert page.errors == []
