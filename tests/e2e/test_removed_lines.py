"""Lines kept out of the sentences, seen and restored by the lead on the article's comparison page."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, log_in
from .helpers import study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOOTER = "Copyright 2024 The Courier. All rights reserved."


def test_lead_sees_a_removed_footer_and_restores_it_as_a_sentence(new_page, screenshot):
    _, document, _ = study(title="Bridge to reopen")
    sentences = document.sentences.count()
    lead = new_page()
    log_in(lead, "lead")
    lead.goto(f"/documents/{document.pk}/curate/")
    lead.wait_for_selector("body[data-ready=true]")
    section = lead.get_by_role("region", name="Kept out of the sentences")
    expect(section.locator("li")).to_have_count(1)
    expect(section.locator("li")).to_contain_text(FOOTER)
    expect(section.locator("li .tag")).to_have_text("copyright")
    expect(lead.locator("#curate-body")).not_to_contain_text("Copyright")
    screenshot(lead, "removed-lines")

    section.get_by_role("button", name="Restore").click()
    lead.wait_for_selector("body[data-ready=true]")
    expect(lead.locator("#curate-body tr").nth(-2)).to_contain_text("Copyright 2024 The Courier.")
    expect(lead.locator("#curate-body tr").last).to_contain_text("All rights reserved.")
    expect(lead.get_by_role("region", name="Kept out of the sentences")).to_have_count(0)
    assert document.sentences.count() == sentences + 2
    assert lead.errors == []


def test_a_reviewer_in_an_open_project_sees_removed_lines_but_no_restore_button(new_page):
    _, document, _ = study(blind=False)
    anna = new_page()
    log_in(anna, "anna")
    anna.goto(f"/documents/{document.pk}/curate/")
    anna.wait_for_selector("body[data-ready=true]")
    section = anna.get_by_role("region", name="Kept out of the sentences")
    expect(section).to_contain_text(FOOTER)
    expect(section.get_by_role("button")).to_have_count(0)


def test_removed_lines_fit_a_phone(new_page):
    _, document, _ = study()
    page = new_page(PHONE)
    log_in(page, "lead")
    page.goto(f"/documents/{document.pk}/curate/")
    page.wait_for_selector("body[data-ready=true]")
    button = page.get_by_role("region", name="Kept out of the sentences").get_by_role("button", name="Restore")
    button.scroll_into_view_if_needed()
    expect(button).to_be_in_viewport(ratio=1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
