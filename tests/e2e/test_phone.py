"""On a 390 px phone every word can be read: buttons wrap, charts keep 12 px text, tables keep their first column,
the curator's table is a card per sentence."""

import pytest
from playwright.sync_api import expect

from annotator import services
from tests.factories import label_document

from .conftest import PHONE, log_in, open_annotation_screen
from .helpers import study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_NAMES = ["opinion", "speculation", "institutional claim"]


def test_label_buttons_show_their_whole_names_on_a_phone(new_page):
    project, document, _ = study()
    services.update_project(
        project=project, labels=[{"name": name, "key": str(n)} for n, name in enumerate(LONG_NAMES, start=1)]
    )
    page = new_page(PHONE)
    log_in(page, "anna")
    open_annotation_screen(page, document.pk)

    for button in page.locator(".label-button").all():
        expect(button).to_be_in_viewport(ratio=1)
        assert button.evaluate("b => b.scrollWidth <= b.clientWidth && b.scrollHeight <= b.clientHeight"), (
            button.inner_text()
        )
    expect(page.locator(".label-button")).to_contain_text(
        [f"{n} {name}" for n, name in enumerate(LONG_NAMES, 1)] + ["Del none"]
    )


def test_chart_text_is_at_least_12_px_on_a_phone(new_page):
    project, document, users = study(title="An article whose title is long enough to be cut")
    label_document(document, users["anna"], ["claim", "quote", "opinion"])
    label_document(document, users["ben"], ["claim", "opinion", "opinion"])
    page = new_page(PHONE)
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/agreement/")
    expect(page.locator("#documents-chart svg")).to_be_visible()
    expect(page.locator("#confusion-chart svg")).to_be_visible()

    sizes = page.locator(".chart svg text").evaluate_all(
        # Each text's size on screen, rotated ones included (a, b: the first column of its transform).
        """texts => texts.map((t) => {
          const m = t.getScreenCTM();
          return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
        })"""
    )
    assert len(sizes) > 20
    assert min(sizes) >= 12
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_a_wide_table_scrolls_under_its_first_column_on_a_phone(new_page):
    project, document, users = study()
    label_document(document, users["anna"], ["claim", "quote"])
    label_document(document, users["ben"], ["quote", "quote"])
    label_document(document, users["lead"], ["opinion", "quote"])
    page = new_page(PHONE)
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/")

    wrap = page.locator(".table-wrap:has(table.documents)")
    first = wrap.locator("tbody th[scope=row]").first
    left = first.bounding_box()["x"]
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    # Sub-pixel column widths may leave the last header a fraction of a pixel short of the edge.
    expect(wrap.locator("thead th").last).to_be_in_viewport(ratio=0.99)
    assert first.bounding_box()["x"] == left
    expect(first).to_be_in_viewport()


def test_the_curators_table_is_a_card_per_sentence_on_a_phone(new_page):
    _, document, users = study()
    label_document(document, users["anna"], ["claim", "quote"])
    label_document(document, users["ben"], ["quote", "quote"])
    page = new_page(PHONE)
    log_in(page, "lead")
    page.goto(f"/documents/{document.pk}/curate/")
    page.wait_for_selector("body[data-ready=true]")

    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")
    card = page.locator("#curate-body tr").first
    for part in ("th[scope=row]", ".plurality", ".decision", ".decide-actions button >> nth=-1"):
        expect(card.locator(part)).to_be_in_viewport()
        box = card.locator(part).bounding_box()
        assert box["x"] >= 0, part
        assert box["x"] + box["width"] <= PHONE["width"], part
