"""Time per label: the annotation screen counts the active time on each sentence and saves it with the label.

The browser's clock is Playwright's (`page.clock`): the test moves it forward as a reviewer's reading
would take, so the seconds saved are known without waiting for them.
"""

import csv
import io

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, log_in, open_annotation_screen
from .helpers import study, violations, wait_until_drawn

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def exported_seconds(page, project) -> dict[int, str]:
    """annotations.csv as the signed-in lead downloads it: each sentence's index and its seconds."""
    text = page.request.get(f"/api/v1/projects/{project.pk}/export/annotations.csv").text()
    return {int(row["index"]): row["seconds"] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}


def test_the_time_spent_reading_a_sentence_reaches_the_export_and_idle_time_does_not(new_page):
    project, document, _ = study()
    page = new_page()
    log_in(page, "anna")
    page.clock.install()
    open_annotation_screen(page, document.pk)
    page.mouse.move(200, 200)
    page.clock.fast_forward(12_000)  # twelve seconds on the first sentence
    page.keyboard.press("1")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    page.clock.fast_forward(150_000)  # on the second, the reviewer walks away for two and a half minutes
    page.keyboard.press("2")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")

    log_in(page, "lead")
    seconds = exported_seconds(page, project)
    assert 12 <= float(seconds[0]) < 30, seconds
    assert 50 < float(seconds[1]) <= 60, f"counted up to the idle limit after the last key, no further: {seconds}"

    page.goto(f"/projects/{project.pk}/agreement/")
    wait_until_drawn(page)
    row = page.locator("#pace tr", has_text="anna")
    expect(row).to_contain_text(f"{seconds[0]} s · {seconds[1]} s (+")  # each half's median: slower, then idle
    assert violations(page) == []


def test_a_label_given_by_its_button_on_a_phone_carries_its_time_too(new_page):
    project, document, _ = study()
    page = new_page(PHONE)
    log_in(page, "ben")
    page.clock.install()
    open_annotation_screen(page, document.pk)
    page.locator("#sentences .sentence").first.click()
    page.clock.fast_forward(5_000)
    page.locator(".label-button").first.click()
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")

    log_in(page, "lead")
    assert 5 <= float(exported_seconds(page, project)[0]) < 25
