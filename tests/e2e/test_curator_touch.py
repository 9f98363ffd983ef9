"""A curator who decides by tapping on a phone and by clicking on a desktop, taking a reviewer's speaker and source."""

import pytest
from playwright.sync_api import expect

from curation.models import Decision

from .conftest import DESKTOP, PHONE, log_in
from .helpers import violations
from .test_curator import labelled_study, row

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_curator_screen(page, document) -> None:
    page.goto(f"/documents/{document.pk}/curate/")
    page.wait_for_selector("body[data-ready=true]")


def in_view(page, locator) -> bool:
    """The element lies within the window's width: reached without scrolling sideways."""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


def test_a_curator_decides_by_touch_at_390_px(new_page, screenshot):
    _project, document, _users, sentences = labelled_study()
    page = new_page(PHONE, has_touch=True)
    log_in(page, "lead")
    open_curator_screen(page, document)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

    # The tie (listed first): ben's "opinion" decides it with one tap.
    tie = row(page, sentences[2])
    decide_opinion = tie.get_by_role("button", name="Decide “opinion” (ben)")
    assert in_view(page, decide_opinion)
    decide_opinion.tap()
    expect(tie).to_have_attribute("data-state", "decided")
    expect(tie.locator(".decision")).to_contain_text("opinion adjudicated by lead")
    assert in_view(page, tie.locator(".decision"))

    # The 2-of-3 quote: its details take Anna's speaker and source with a tap each.
    quote = row(page, sentences[1])
    quote.get_by_role("button", name="Details…").tap()
    dialog = page.locator("#decision-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_label("Label", exact=True)).to_have_value("quote")
    dialog.get_by_role("button", name="Take “the mayor” (anna)").tap()
    expect(page.get_by_label("Speaker", exact=True)).to_have_value("the mayor")
    dialog.get_by_role("button", name="Add “Council minutes” (anna)").tap()
    expect(page.get_by_label("Source 1 address")).to_have_value("https://example.org/minutes")
    expect(dialog.get_by_role("button", name="Add “Council minutes” (anna)")).to_be_disabled()
    page.get_by_label("Disagreement category").select_option("misreading")
    page.get_by_label("Rationale").fill("Ben missed the quotation marks.")
    assert page.evaluate("document.getElementById('decision-dialog').scrollWidth") <= PHONE["width"]
    assert violations(page) == []
    screenshot(page, "curator-phone-details")
    dialog.get_by_role("button", name="Decide", exact=True).tap()
    expect(dialog).to_be_hidden()
    expect(quote.locator(".decision")).to_contain_text("speaker: the mayor")
    expect(quote.locator(".decision").get_by_role("link", name="Council minutes")).to_be_visible()

    # The unanimous claim: marked unresolved, then its decision removed, by tapping.
    claim = row(page, sentences[0])
    claim.get_by_role("button", name="Unresolved").tap()
    expect(claim).to_have_attribute("data-state", "unresolved")
    claim.get_by_role("button", name="Remove").tap()
    expect(claim).to_have_attribute("data-state", "open")

    decisions = {d.sentence_id: d for d in Decision.objects.select_related("label").prefetch_related("sources")}
    assert decisions[sentences[2].pk].label.name == "opinion"
    gold = decisions[sentences[1].pk]
    assert (gold.label.name, gold.speaker, gold.category, gold.rationale) == (
        "quote", "the mayor", "misreading", "Ben missed the quotation marks."
    )  # fmt: skip
    assert [(s.url, s.title) for s in gold.sources.all()] == [("https://example.org/minutes", "Council minutes")]
    assert sentences[0].pk not in decisions
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert violations(page) == []
    screenshot(page, "curator-phone")
    assert page.errors == []


def test_a_curator_decides_by_mouse_at_1280_px(new_page):
    _project, document, _users, sentences = labelled_study()
    page = new_page(DESKTOP)
    log_in(page, "lead")
    open_curator_screen(page, document)

    tie = row(page, sentences[2])
    tie.get_by_role("button", name="Decide “claim” (anna)").click()
    expect(tie.locator(".decision")).to_contain_text("claim adjudicated by lead")
    # Focus stays on the button clicked, and the keys still work the screen from there.
    expect(tie.get_by_role("button", name="Decide “claim” (anna)")).to_be_focused()

    quote = row(page, sentences[1])
    quote.get_by_role("button", name="Details…").click()
    dialog = page.locator("#decision-dialog")
    dialog.get_by_role("button", name="Take “the mayor” (anna)").click()
    page.get_by_label("Speaker", exact=True).fill("The Mayor of Springfield")
    dialog.get_by_role("button", name="Add a source of your own").click()
    expect(page.get_by_label("Source 1 address")).to_be_focused()
    page.get_by_label("Source 1 address").fill("https://springfield.example/press")
    page.get_by_label("Title").fill("Press release")
    page.get_by_label("Rationale").fill("Quoted in the press release.")
    assert violations(page) == []
    dialog.get_by_role("button", name="Decide", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(quote.locator(".decision")).to_contain_text("speaker: The Mayor of Springfield")
    expect(quote.locator(".decision").get_by_role("link", name="Press release")).to_be_visible()

    # A bad address is refused with the field named, and the dialog stays open to fix it.
    quote.get_by_role("button", name="Details…").click()
    page.get_by_label("Source 1 address").fill("ftp://springfield.example/press")
    dialog.get_by_role("button", name="Decide", exact=True).click()
    expect(page.locator("#decision-form-error")).to_contain_text("sources[0].url")
    dialog.get_by_role("button", name="Cancel").click()

    # Undecided sentences decided by a click keep what the reviewers of the label agree on.
    first = row(page, sentences[0])
    first.get_by_role("button", name="Decide “claim” (ben)").click()
    expect(first).to_have_attribute("data-state", "decided")
    first.get_by_role("button", name="Unresolved").click()
    expect(first).to_have_attribute("data-state", "unresolved")

    gold = Decision.objects.prefetch_related("sources").get(sentence=sentences[1])
    assert gold.speaker == "The Mayor of Springfield"
    assert [(s.url, s.title) for s in gold.sources.all()] == [("https://springfield.example/press", "Press release")]
    assert Decision.objects.get(sentence=sentences[2]).label.name == "claim"
    assert violations(page) == []
    assert page.errors == []
