"""What a person sees on the smaller pages: a refusal or a missing page as a page of Lede saying why, the keys a
label may take, the settings' hours as written, the outlets' buttons in view, the per-label chart's notes whole,
the coverage page computing, an icon and no request that fails."""

import datetime
import json

import pytest
from playwright.sync_api import expect

from annotator.models import Outlet, Project
from tests.factories import label_document

from .conftest import DESKTOP, PHONE, log_in
from .helpers import open_settings, study, violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_an_annotator_opening_a_leads_page_sees_a_page_of_lede_saying_why(new_page, viewport):
    project, document, _ = study()
    page = new_page(viewport)
    log_in(page, "anna")
    pages = {
        f"/projects/{project.pk}/agreement/": "Agreement reports are for the project's owners, curators and viewers.",
        f"/projects/{project.pk}/exports/": "Exports are for the project's owners, curators and viewers.",
        f"/documents/{document.pk}/curate/": "only its owners, curators and viewers see every label.",
        f"/projects/{project.pk}/manage/": "Only the project's owners and curators manage it.",
    }
    for url, reason in pages.items():
        answer = page.goto(url)
        assert answer.status == 403, url
        expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
        expect(page.locator("#error-reason")).to_contain_text(reason)
        expect(page.get_by_role("link", name="Lede", exact=True)).to_be_visible()
        expect(page.locator(".site-header")).to_contain_text("anna")
        assert violations(page) == [], url

    page.get_by_role("link", name="Your projects").click()
    expect(page.get_by_role("link", name="Bridge study")).to_be_visible()


def test_a_missing_page_is_a_page_of_lede_and_the_api_answers_json(new_page):
    study()
    page = new_page()
    log_in(page, "anna")
    answer = page.goto("/projects/999999/")
    assert answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.locator("#error-reason")).to_contain_text("not a member of")
    assert violations(page) == []

    answer = page.goto("/api/v1/no-such-thing/")
    assert (answer.status, answer.headers["content-type"]) == (404, "application/json")
    assert json.loads(page.locator("body").text_content()) == {"detail": "Not found."}


def test_every_page_has_lede_s_icon_and_asks_for_nothing_missing(new_page):
    project, document, _ = study()
    page = new_page()
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    log_in(page, "lead")
    for url in ("/", f"/projects/{project.pk}/manage/", f"/documents/{document.pk}/", "/nowhere/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    icon = page.request.get("/favicon.ico")
    assert (icon.status, icon.headers["content-type"]) == (200, "image/svg+xml")
    expect(page.locator("link[rel=icon]")).to_have_attribute("href", "/favicon.ico")
    assert [url for url in failed if not url.endswith("/nowhere/")] == []


def test_the_settings_say_which_keys_are_free_refuse_a_shortcut_and_show_hours_as_written(new_page):
    project, _, _ = study()
    Project.objects.filter(pk=project.pk).update(reclaim_after=datetime.timedelta(hours=48))
    page = new_page()
    log_in(page, "lead")
    open_settings(page, project)
    expect(page.get_by_label("Take back untouched articles after (hours)")).to_have_value("48")
    expect(page.locator("#free-keys")).to_contain_text("Free keys: 0 1 2 3 4 5 6 7 8 9 b c")

    page.get_by_label("Key of quote").fill("a")
    page.get_by_role("button", name="Save scheme").click()

    expect(page.locator("#scheme-error")).to_contain_text("accept the plurality and move on” on the curator screen")
    assert project.labels.get(name="quote").key == "2"


def test_the_keys_help_lists_the_screens_shortcuts_and_n_moves_to_the_next_unlabelled_sentence(new_page):
    _, document, users = study()
    label_document(document, users["anna"], ["claim"])
    page = new_page()
    log_in(page, "anna")
    page.goto(f"/documents/{document.pk}/")
    page.wait_for_selector("body[data-ready=true]")
    page.keyboard.press("Home")
    page.keyboard.press("n")
    expect(page.locator("#sentences .sentence.current")).to_have_attribute(
        "data-id", str(document.sentences.get(index=1).pk)
    )
    page.keyboard.press("?")
    keys = page.locator("#keys-dialog")
    expect(keys).to_contain_text("next unlabelled sentence")
    expect(keys.locator("dt", has_text="g")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("g")
    expect(page.locator("#guidelines-dialog")).to_be_visible()
    assert page.errors == []


def test_the_outlets_save_and_delete_buttons_are_in_view_at_1280_px(new_page):
    project, _, _ = study()
    Outlet.objects.update_or_create(
        project=project,
        name="The Courier",
        defaults={"domain": "courier.example", "country": "United Kingdom", "rating_source": "AllSides 2024"},
    )
    page = new_page(DESKTOP)
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/outlets/")
    page.wait_for_selector("body[data-ready=true]")
    wrap = page.locator(".table-wrap").bounding_box()
    for name in ("Save The Courier", "Delete The Courier"):
        button = page.get_by_role("button", name=name)
        expect(button).to_be_in_viewport(ratio=1)
        box = button.bounding_box()
        assert box["x"] + box["width"] <= wrap["x"] + wrap["width"], name
    assert page.locator(".table-wrap").evaluate("w => w.scrollWidth <= w.clientWidth")


def test_the_per_label_chart_shows_its_notes_whole(new_page):
    project, document, users = study()
    for who in ("anna", "ben"):
        label_document(document, users[who], ["claim", "claim", "opinion", "quote", "claim", "opinion"])
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/agreement/")
    expect(page.locator("#freshness")).to_have_attribute("data-status", "ready")
    chart = page.locator("#labels-chart svg")
    expect(chart.locator("text", has_text="(used ")).not_to_have_count(0)
    right = chart.evaluate("svg => svg.getBoundingClientRect().right")
    for text in chart.locator("text").all():
        assert text.evaluate("t => t.getBoundingClientRect().right") <= right + 0.5, text.text_content()
    expect(chart.locator("text", has_text="claim").first).to_be_visible()


def test_the_coverage_page_says_it_computes_rather_than_that_the_scheme_has_no_claim(new_page):
    project, _, _ = study()
    computing = {"status": "running", "stale": False, "computed_at": None, "by": "outlet", "basis": "combined",
                 "groups": [], "differences": [], "n": {}, "labels": 0}  # fmt: skip
    page = new_page()
    log_in(page, "lead")
    page.route(
        f"**/api/v1/projects/{project.pk}/analysis/**",
        lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(computing)),
    )
    page.goto(f"/projects/{project.pk}/analysis/")
    expect(page.locator("#claims caption")).to_have_text("Computing the claims…")
    expect(page.locator("#quotes caption")).to_have_text("Computing the quotes…")
    expect(page.locator("body")).not_to_contain_text("no label named")
