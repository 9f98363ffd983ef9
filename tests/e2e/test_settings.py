"""A lead changes a project's settings and label scheme on its settings page; reviewers read the guidelines with `g`."""

import pytest
from playwright.sync_api import expect

from annotator.models import Annotation, Label
from tests.factories import label_document

from .conftest import PHONE, log_in, open_annotation_screen
from .helpers import open_settings, save_settings, study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GUIDELINES = "## Claims\n\nA **claim** can be checked against a source.\n\n<script>window.pwned = 1</script>"


def save_scheme(page) -> None:
    page.get_by_role("button", name="Save scheme").click()


def test_owner_edits_the_settings_and_the_scheme_through_the_page(new_page, screenshot):
    project, document, users = study(title="Bridge to reopen")
    label_document(document, users["anna"], ["claim"])
    page = new_page()
    log_in(page, "lead")
    open_settings(page, project)

    page.get_by_label("Name", exact=True).fill("Bridge study, round 2")
    page.get_by_label("Scale").select_option("ordinal")
    page.get_by_label("Blind: annotators see only their own labels").uncheck()
    page.get_by_label("Guidelines (Markdown)").fill(GUIDELINES)
    save_settings(page)

    page.get_by_label("Name of opinion").fill("judgement")
    page.get_by_label("Colour of quote").fill("#8c564b")
    page.get_by_label("Description of quote").fill("Words a named speaker said.")
    page.get_by_role("button", name="Move opinion up").click()
    expect(page.get_by_role("button", name="Move opinion up")).to_be_focused()
    page.get_by_role("button", name="Add a label").click()
    expect(page.get_by_label("Name of new label 1")).to_be_focused()
    page.keyboard.type("satire")
    page.get_by_label("Key of new label 1").fill("4")
    save_scheme(page)
    expect(page.locator("#scheme-status")).to_have_text("Scheme saved.")
    screenshot(page, "settings", full_page=True)

    page.get_by_role("button", name="Delete claim").click()
    expect(page.get_by_role("button", name="Delete claim")).to_have_attribute("aria-pressed", "true")
    save_scheme(page)
    expect(page.locator("#scheme-error")).to_contain_text("'claim' is used by 1 label.")
    page.get_by_role("button", name="Delete claim").click()
    page.get_by_role("button", name="Delete satire").click()
    save_scheme(page)
    expect(page.locator("#scheme-status")).to_have_text("Scheme saved.")
    expect(page.get_by_label("Name of satire")).to_have_count(0)

    page.reload()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Bridge study, round 2")
    expect(page.get_by_label("Guidelines (Markdown)")).to_have_value(GUIDELINES)
    labels = list(Label.objects.filter(project=project).order_by("order").values_list("name", "color", "key"))
    assert labels == [("claim", "#1f77b4", "1"), ("judgement", "#d62728", "3"), ("quote", "#8c564b", "2")]
    assert Annotation.objects.get().label.name == "claim"
    project.refresh_from_db()
    assert (project.scale, project.blind) == ("ordinal", False)
    assert page.errors == []


def test_a_bad_label_is_refused_naming_it_and_nothing_changes(new_page):
    project, _, _ = study()
    page = new_page()
    log_in(page, "lead")
    open_settings(page, project)
    page.get_by_label("Key of quote").fill("j")
    save_scheme(page)
    expect(page.locator("#scheme-error")).to_contain_text("labels[1].key")
    expect(page.get_by_label("Key of quote")).to_have_attribute("aria-invalid", "true")
    assert Label.objects.get(project=project, name="quote").key == "2"


def test_a_reviewer_opens_the_guidelines_with_g_and_closes_them_with_escape(new_page, screenshot):
    project, document, _ = study(title="Bridge to reopen")
    lead = new_page()
    log_in(lead, "lead")
    open_settings(lead, project)
    lead.get_by_label("Guidelines (Markdown)").fill(GUIDELINES)
    save_settings(lead)

    page = new_page()
    log_in(page, "anna")
    open_annotation_screen(page, document.pk)
    expect(page.locator(".label-button", has_text="claim")).to_contain_text("A factual assertion that can be checked.")
    page.keyboard.press("g")
    dialog = page.get_by_role("dialog", name="Guidelines")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name="Claims")).to_be_visible()
    expect(dialog).to_contain_text("Words attributed to a speaker.")
    # The script is shown as the text the lead wrote, and never runs.
    expect(dialog).to_contain_text("<script>window.pwned = 1</script>")
    assert page.evaluate("window.pwned") is None
    screenshot(page, "guidelines")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard")).to_contain_text("the project's guidelines")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="g Guidelines").click()
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="Close Esc").click()
    expect(dialog).to_be_hidden()
    assert page.errors == lead.errors == []


def test_settings_and_guidelines_fit_a_phone(new_page):
    project, document, _ = study(title="Bridge to reopen")
    page = new_page(PHONE)
    log_in(page, "lead")
    open_settings(page, project)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    open_annotation_screen(page, document.pk)
    page.get_by_role("button", name="g Guidelines").click()
    expect(page.get_by_role("dialog", name="Guidelines")).to_be_in_viewport()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


QUOTATION = "“The plan will not work. It never has,” she said. Then she left the hall."


def import_pasted_article(page, project, title: str, text: str) -> None:
    """From the project's manage page, as a lead imports one article."""
    page.goto(f"/projects/{project.pk}/manage/")
    page.get_by_label("Title (optional: else the first line)").first.fill(title)
    page.get_by_label("Text", exact=True).fill(text)
    page.get_by_role("button", name="Import article").click()
    expect(page.locator("#import-status")).to_contain_text(f"Imported “{title}”")


def test_owner_keeps_quotations_whole_and_the_next_article_shows_one_unit_per_quotation(new_page):
    project, _, _ = study()
    page = new_page()
    log_in(page, "lead")
    open_settings(page, project)
    option = page.get_by_label("Keep a quotation that spans sentences as one unit")
    expect(option).not_to_be_checked()
    option.check()
    save_settings(page)
    page.reload()
    expect(page.get_by_label("Keep a quotation that spans sentences as one unit")).to_be_checked()

    import_pasted_article(page, project, "Town hall", QUOTATION)
    expect(page.locator("#import-status")).to_contain_text("2 sentences")
    document = project.documents.get(title="Town hall")
    open_annotation_screen(page, document.pk)
    expect(page.locator("#sentences .sentence .text")).to_have_text(
        ["“The plan will not work. It never has,” she said.", "Then she left the hall."]
    )
    assert page.errors == []


def test_without_the_option_a_quotation_is_split_at_its_sentences(new_page):
    project, _, _ = study()
    page = new_page()
    log_in(page, "lead")
    import_pasted_article(page, project, "Town hall", QUOTATION)
    expect(page.locator("#import-status")).to_contain_text("3 sentences")
