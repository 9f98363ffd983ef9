"""Articles in Chinese, Japanese, Hindi and Persian, and emoji sequences, pasted on the manage page and labelled on
the annotation screen: the title, every unit and every joiner as written, each paragraph in its script's direction
(Persian right to left, on the curator page too)."""

import pytest
from playwright.sync_api import expect

from annotator.models import Document
from annotator.text.header import first_line_title

from ..annotator.test_other_scripts import ARTICLES
from .conftest import log_in, open_annotation_screen
from .helpers import study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("raw", "title", "units"), ARTICLES.values(), ids=ARTICLES.keys())
def test_lead_pastes_an_article_in_another_script_and_sees_its_units_on_the_annotation_screen(
    new_page, raw, title, units
):
    project, _, _ = study()
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/manage/")
    page.get_by_label("Text", exact=True).fill(raw)
    expect(page.locator("#paste-format")).to_have_value("text")
    page.get_by_role("button", name="Import article").click()
    expect(page.locator("#import-status")).to_contain_text(f"as plain text: {len(units)} sentences.")

    document = Document.objects.latest("pk")
    open_annotation_screen(page, document.pk)
    # An article without a title is listed by its first line, as the form's "else the first line" says.
    expect(page.get_by_role("heading", level=1)).to_have_text(title or first_line_title(raw))
    expect(page.locator("#sentences .sentence .text")).to_have_text(units)
    assert [document.text[s.start : s.end] for s in document.sentences.order_by("index")] == units
    direction = "rtl" if raw is ARTICLES["persian"][0] else "ltr"
    directions = page.locator("#sentences .paragraph").evaluate_all("ps => ps.map(p => getComputedStyle(p).direction)")
    assert set(directions) == {direction}

    page.goto(f"/documents/{document.pk}/curate/")
    rows = page.locator("#curate-body .sentence-row th [dir=auto]")
    expect(rows).to_have_text(units)
    assert set(rows.evaluate_all("cells => cells.map(c => getComputedStyle(c).direction)")) == {direction}
    assert page.errors == []
