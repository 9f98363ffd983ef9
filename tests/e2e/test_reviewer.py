"""A reviewer in a real browser: labels with the keyboard, attaches sources, survives reloads, drops and logouts."""

import pytest
from playwright.sync_api import expect

from annotator import services
from annotator.models import Annotation
from tests.factories import PASSWORD, label_document

from .conftest import PHONE, log_in, open_annotation_screen
from .helpers import study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def chips(page) -> list[str]:
    return page.locator("#sentences .sentence .chip").all_text_contents()


def saved(page):
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    expect(page.locator("#save-text")).to_have_text("All changes saved")


def own_labels(document, username) -> list[str | None]:
    labels = dict(
        Annotation.objects.filter(sentence__document=document, annotator__username=username).values_list(
            "sentence__index", "label__name"
        )
    )
    return [labels.get(i) for i in range(document.sentences.count())]


def test_reviewer_labels_an_article_with_the_keyboard_attaches_a_source_and_finds_it_after_reload(new_page, screenshot):
    _, document, _ = study(title="Bridge to reopen")
    page = new_page()
    log_in(page, "anna")
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()
    screenshot(page, "home")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Continue labelling":
            break
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#progress")).to_contain_text("Article 0/")

    for key in ["1", "2", "3", "1"]:
        page.keyboard.press(key)
    page.keyboard.press("u")
    page.keyboard.press("k")
    page.keyboard.press("s")
    expect(page.locator("#source-url")).to_be_focused()
    page.keyboard.type("javascript:alert(1)")
    page.keyboard.press("Enter")
    expect(page.locator("#source-error")).to_contain_text("Only http and https URLs")
    page.keyboard.press("Control+a")
    page.keyboard.type("https://example.org/report")
    page.keyboard.press("Tab")
    page.keyboard.type("City report")
    page.keyboard.press("Tab")
    page.keyboard.type("Page 4 gives the cost.")
    page.keyboard.press("Tab")
    page.keyboard.type("The mayor")
    page.keyboard.press("Enter")
    expect(page.locator("#sources-list li")).to_have_count(1)
    saved(page)
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    expect(page.locator("#progress")).to_contain_text("Article 3/")
    saved(page)
    screenshot(page, "annotate-desktop")

    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert chips(page)[:4] == ["claim", "quote", "opinion · 1 src", ""]
    expect(page.locator("#progress")).to_contain_text("Article 3/")
    page.keyboard.press("k")
    page.keyboard.press("s")
    expect(page.locator("#sources-list")).to_contain_text("City report")
    expect(page.locator("#speaker")).to_have_value("The mayor")
    assert own_labels(document, "anna")[:4] == ["claim", "quote", "opinion", None]
    annotation = Annotation.objects.get(sentence__document=document, sentence__index=2, annotator__username="anna")
    assert [(s.url, s.title, s.note) for s in annotation.sources.all()] == [
        ("https://example.org/report", "City report", "Page 4 gives the cost.")
    ]
    assert annotation.speaker == "The mayor"
    assert page.errors == []


def test_annotation_screen_fits_a_phone_and_labels_by_touch(new_page, screenshot):
    _, document, _ = study(title="Bridge to reopen")
    page = new_page(PHONE)
    log_in(page, "anna")
    open_annotation_screen(page, document.pk)
    page.get_by_role("button", name="2 quote").click()
    saved(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    expect(page.get_by_role("button", name="2 quote")).to_be_in_viewport()
    screenshot(page, "annotate-phone")
    assert own_labels(document, "anna")[0] == "quote"


def test_second_reviewer_cannot_see_the_first_reviewers_labels(new_page):
    _, document, users = study(title="Bridge to reopen")
    label_document(document, users["anna"], ["claim", "claim", "quote"])
    page = new_page()
    log_in(page, "ben")
    open_annotation_screen(page, document.pk)
    expect(page.locator("#progress")).to_contain_text("Article 0/")
    assert all(chip == "" for chip in chips(page))
    assert page.locator(".sentence.labelled").count() == 0
    seen = page.evaluate(
        f"fetch('/api/v1/documents/{document.pk}/annotations/').then(r => r.json()).then(d => d.count)"
    )
    assert seen == 0
    response = page.goto(f"/documents/{document.pk}/curate/")
    assert response.status == 403


def test_failed_saves_are_kept_across_a_reload_and_sent_when_the_network_returns(new_page):
    _, document, _ = study(title="Bridge to reopen")
    page = new_page()
    log_in(page, "anna")
    open_annotation_screen(page, document.pk)
    page.route("**/api/v1/sentences/**", lambda route: route.abort("internetdisconnected"))
    page.keyboard.press("1")
    page.keyboard.press("2")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "failed")
    expect(page.locator("#save-state")).to_contain_text("retrying")

    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert chips(page)[:2] == ["claim", "quote"]
    assert own_labels(document, "anna")[:2] == [None, None]
    expect(page.get_by_role("button", name="Retry now")).to_be_visible()
    page.unroute("**/api/v1/sentences/**")
    saved(page)  # by the queue's own retry, within its backoff
    assert own_labels(document, "anna")[:2] == ["claim", "quote"]


def log_in_through_the_dialog(page, username: str):
    """Follow the session dialog's link and log in as `username` in the tab it opens; return that tab."""
    with page.context.expect_page() as opened:
        page.locator("#login-link").click()
    login_tab = opened.value
    login_tab.wait_for_load_state()
    login_tab.fill("#id_username", username)
    login_tab.fill("#id_password", PASSWORD)
    login_tab.keyboard.press("Enter")
    expect(login_tab.get_by_role("heading", name="You are logged in again")).to_be_visible()
    return login_tab


def test_an_expired_session_asks_for_a_login_and_then_saves_what_was_kept(new_page):
    _, document, _ = study(title="Bridge to reopen")
    page = new_page()
    log_in(page, "anna")
    open_annotation_screen(page, document.pk)
    page.context.clear_cookies()
    page.keyboard.press("3")
    dialog = page.locator("#login-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("1 change")
    assert own_labels(document, "anna")[0] is None

    log_in_through_the_dialog(page, "anna")
    expect(dialog).to_be_hidden()
    saved(page)
    assert own_labels(document, "anna")[0] == "opinion"


def test_a_login_as_another_reviewer_never_sends_the_first_ones_change_nor_shows_their_labels(new_page):
    _, document, users = study(title="Bridge shared by two")
    services.label_sentence(sentence=document.sentences.get(index=0), annotator=users["anna"], label_name="claim")
    page = new_page()
    log_in(page, "anna")
    open_annotation_screen(page, document.pk)
    expect(page.locator("#sentences .sentence").first.locator(".chip")).to_have_text("claim")
    page.context.clear_cookies()
    page.locator("#sentences .sentence").nth(1).click()
    page.keyboard.press("3")
    expect(page.locator("#login-dialog")).to_contain_text("1 change")

    login_tab = log_in_through_the_dialog(page, "ben")

    expect(page.locator(".who")).to_have_text("ben")  # the tab reloaded as ben's
    expect(page.locator("#login-dialog")).to_be_hidden()
    expect(page.locator("#save-text")).to_have_text("1 change waits for anna: sign in as them to send them.")
    assert not any(chips(page))
    assert own_labels(document, "ben") == [None] * document.sentences.count()
    assert own_labels(document, "anna")[1] is None

    log_in(login_tab, "anna")  # anna again, in the same browser: her kept change goes out as hers
    open_annotation_screen(login_tab, document.pk)
    saved(login_tab)
    assert own_labels(document, "anna")[:2] == ["claim", "opinion"]


@pytest.mark.parametrize("web_locks", [True, False], ids=["web-locks", "plain-http-without-web-locks"])
def test_two_tabs_offline_keep_each_others_saves_and_the_tab_left_open_sends_both(new_page, web_locks):
    """Each tab queues its own changes; a tab that is closed with saves still queued leaves them to one still open."""
    _, document, _ = study(title="Bridge to reopen")
    first = new_page()
    if not web_locks:  # as on a page served over plain http from another host (not a secure context)
        first.context.add_init_script("Object.defineProperty(Navigator.prototype, 'locks', {get: () => undefined})")
    log_in(first, "anna")
    open_annotation_screen(first, document.pk)
    second = first.context.new_page()
    open_annotation_screen(second, document.pk)

    first.context.set_offline(True)
    first.bring_to_front()
    first.keyboard.press("1")
    second.bring_to_front()
    second.keyboard.press("j")
    second.keyboard.press("2")
    expect(first.locator("#save-state")).to_have_attribute("data-state", "failed")
    expect(second.locator("#save-state")).to_have_attribute("data-state", "failed")
    first.close()
    # The tab left open takes over the closed tab's change and shows it as the reviewer made it.
    expect(second.locator("#sentences .sentence .chip").first).to_have_text("claim")
    # Nothing of the open tab's arrives while offline. The closed tab's change may: a retry that fires as
    # its page closes can leave after Chromium's per-page offline emulation has ended (seen under load).
    assert own_labels(document, "anna")[:2] in ([None, None], ["claim", None])

    second.context.set_offline(False)
    saved(second)
    assert own_labels(document, "anna")[:2] == ["claim", "quote"]
    second.reload()
    second.wait_for_selector("body[data-ready=true]")
    assert chips(second)[:2] == ["claim", "quote"]
