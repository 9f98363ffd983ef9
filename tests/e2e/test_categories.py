"""A lead edits the disagreement categories on the settings page; the curator screen then offers them."""

import pytest
from playwright.sync_api import expect

from curation import services as curation_services
from curation.models import CurationSettings, Decision

from .conftest import PHONE, log_in
from .helpers import open_settings, study, violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shown_categories(page) -> list[str]:
    return page.locator("#category-list input").evaluate_all("inputs => inputs.map((input) => input.value)")


def save(page) -> None:
    page.get_by_role("button", name="Save categories").click()


def test_lead_edits_categories_on_the_page_and_curators_are_offered_them(new_page, screenshot):
    project, document, users = study(title="Bridge to reopen")
    first, second = document.sentences.order_by("index")[:2]
    curation_services.decide(sentence=first, curator=users["lead"], label_name="quote", category="misreading")
    page = new_page()
    log_in(page, "lead")
    open_settings(page, project)
    assert shown_categories(page) == ["guideline gap", "misreading", "ambiguous text"]
    expect(page.locator(".category-row").nth(1)).to_contain_text("1 decision")

    page.get_by_label("Name of misreading").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("misread quote")
    page.get_by_role("button", name="Remove ambiguous text").click()
    expect(page.locator("#categories-status")).to_have_text(
        "'ambiguous text' will be removed when you save the categories."
    )
    page.get_by_role("button", name="Add a category").click()
    expect(page.get_by_label("Name of new category 4")).to_be_focused()
    page.keyboard.type("sarcasm")
    page.get_by_role("button", name="Move new category 4 up").click()
    page.get_by_role("button", name="Add a category").click()
    page.keyboard.type("sarcasm")
    page.get_by_role("button", name="Add a category").click()
    save(page)

    duplicate, empty = page.get_by_label("Name of new category 5"), page.get_by_label("Name of new category 6")
    expect(duplicate).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#category-5-error")).to_have_text(
        "'sarcasm' is listed twice; each category may be listed once."
    )
    expect(duplicate).to_be_focused()
    assert CurationSettings.for_project(project).categories == ["guideline gap", "misreading", "ambiguous text"]
    page.get_by_role("button", name="Remove new category 5").click()
    save(page)
    expect(empty).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#category-6-error")).to_have_text("A category is 1 to 100 characters.")
    assert violations(page) == []
    page.get_by_role("button", name="Remove new category 6").click()
    save(page)
    expect(page.locator("#categories-status")).to_have_text("Categories saved.")
    screenshot(page, "settings-categories", full_page=True)

    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert shown_categories(page) == ["guideline gap", "sarcasm", "misread quote"]
    expect(page.locator("#categories-unlisted")).to_have_text(
        "Decisions keep categories no longer listed: 'misreading' (1)."
    )
    assert CurationSettings.for_project(project).categories == ["guideline gap", "sarcasm", "misread quote"]
    assert Decision.objects.get(sentence=first).category == "misreading"

    page.goto(f"/documents/{document.pk}/curate/")
    page.wait_for_selector("body[data-ready=true]")
    page.keyboard.press("r")
    category = page.get_by_label("Disagreement category")
    expect(category.locator("option")).to_have_text(
        ["(none)", "guideline gap", "sarcasm", "misread quote", "misreading (no longer listed)"]
    )
    expect(category).to_have_value("misreading")
    page.get_by_label("Rationale").fill("Kept as filed.")
    page.get_by_role("button", name="Decide", exact=True).click()
    expect(page.locator("#decision-dialog")).to_be_hidden()
    page.keyboard.press("j")
    page.keyboard.press("r")
    expect(category.locator("option")).to_have_text(["(none)", "guideline gap", "sarcasm", "misread quote"])
    category.select_option("sarcasm")
    page.get_by_role("button", name="Decide", exact=True).click()
    expect(page.locator("#decision-dialog")).to_be_hidden()
    decided = {d.sentence_id: (d.category, d.rationale) for d in Decision.objects.all()}
    assert decided == {first.pk: ("misreading", "Kept as filed."), second.pk: ("sarcasm", "")}
    assert page.errors == []


def test_the_categories_fit_a_phone_with_an_error_shown(new_page):
    project, _, _ = study()
    page = new_page(PHONE)
    log_in(page, "lead")
    open_settings(page, project)
    page.get_by_label("Name of guideline gap").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("misreading")
    save(page)
    expect(page.get_by_label("Name of misreading")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".category-row .error").nth(1)).to_contain_text("listed twice")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert violations(page) == []
    assert CurationSettings.for_project(project).categories == ["guideline gap", "misreading", "ambiguous text"]
    assert page.errors == []
