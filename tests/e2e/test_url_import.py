"""A lead imports an article by its web address on the manage page; a refused address is explained beside the field.

Pages come from the local server of tests/web_pages.py; `LEDE_FETCH_LOOPBACK_ONLY` (lede/settings/test.py)
lets the live server and the test's worker fetch from it and from nothing else. Without a broker the
page is fetched as the request commits; the last test has a real bulk worker fetch it.
"""

import pytest
from playwright.sync_api import expect

from annotator.models import Document

from .conftest import PHONE, log_in
from .helpers import study, violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

URL_FIELD = "Web address of the article"
# A deadline, not a measurement: fetching and extracting the page may wait for a busy machine's CPU.
FETCHED_WITHIN = 30_000
# What the saved news page carries around its article (tests/annotator/data/news_page.html).
PAGE_CHROME = ("Sport", "Related stories", "Ferry fares", "Comments", "disaster from the start", "Privacy")


def fetch(page, project, url: str) -> None:
    page.goto(f"/projects/{project.pk}/manage/")
    field = page.get_by_label(URL_FIELD)
    field.click()
    page.keyboard.type(url)
    page.get_by_role("button", name="Fetch and import").click()


def test_lead_imports_a_news_page_by_its_address_and_sees_only_the_article(new_page, local_server):
    project, _, _ = study()
    page = new_page()
    log_in(page, "lead")
    fetch(page, project, f"{local_server}/news")
    expect(page.locator("#import-status")).to_have_text(
        "Imported “Bridge to reopen after two years” by Jane Doe, published 2024-03-05, in The Courier: 8 sentences.",
        timeout=FETCHED_WITHIN,
    )
    expect(page.get_by_label(URL_FIELD)).to_have_value("")

    page.get_by_role("link", name="Open the imported article").click()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridge to reopen after two years")
    byline = page.locator(".article .byline")
    expect(byline).to_contain_text("The Courier")
    expect(byline).to_contain_text("5 March 2024")
    expect(byline).to_contain_text("Jane Doe")
    sentences = page.locator("#sentences .sentence .text")
    expect(sentences.first).to_have_text(
        "Officials said on Tuesday that the Harbour Bridge would reopen to traffic on Monday, two years after "
        "cracks were found in its main span."
    )
    expect(sentences.last).to_have_text(
        "Traffic is expected to return to normal by June, according to the transport department."
    )
    for chrome in PAGE_CHROME:
        expect(page.locator("#sentences")).not_to_contain_text(chrome)
    document = Document.objects.get(title="Bridge to reopen after two years")
    assert document.url == f"{local_server}/news"
    assert page.errors == []


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("ftp://example.org/news", "Only http and https URLs are accepted, not 'ftp'."),
        ("/to-private", "'10.0.0.1' is not a public address"),
        ("/huge", "The page is larger than the limit of 5 MB."),
        ("/missing", "The server answered 404 Not Found."),
    ],
    ids=["scheme", "private-address", "too-large", "not-found"],
)
def test_a_refused_address_is_explained_beside_the_field_and_nothing_is_imported(new_page, local_server, path, message):
    project, _, _ = study()
    documents = project.documents.count()
    page = new_page()
    log_in(page, "lead")
    fetch(page, project, path if "://" in path else f"{local_server}{path}")
    field = page.get_by_label(URL_FIELD)
    expect(page.locator("#fetch-url-error")).to_contain_text(message, timeout=FETCHED_WITHIN)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(page.locator("#import-error")).to_have_text("")
    expect(page.locator("#import-status")).to_have_text("")
    assert project.documents.count() == documents
    assert page.errors == []


def test_an_empty_address_is_asked_for_and_a_corrected_one_clears_the_error(new_page, local_server):
    project, _, _ = study()
    page = new_page(PHONE)
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/manage/")
    page.get_by_role("button", name="Fetch and import").click()
    expect(page.locator("#fetch-url-error")).to_have_text("Give the web address of the article to fetch.")
    expect(page.get_by_label(URL_FIELD)).to_be_focused()
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.keyboard.type(f"{local_server}/plain")
    page.get_by_role("button", name="Fetch and import").click()
    expect(page.locator("#import-status")).to_contain_text("2 sentences", timeout=FETCHED_WITHIN)
    expect(page.locator("#fetch-url-error")).to_have_count(0)
    expect(page.get_by_label(URL_FIELD)).not_to_have_attribute("aria-invalid", "true")


@pytest.mark.worker
def test_the_bulk_worker_fetches_the_page_while_the_lead_watches_the_manage_page(new_page, local_server, worker):
    project, _, _ = study()
    page = new_page()
    log_in(page, "lead")
    fetch(page, project, f"{local_server}/slow")  # the page answers 404, after a wait
    expect(page.locator("#import-status")).to_have_text("Fetching the page…", timeout=FETCHED_WITHIN)
    expect(page.locator("#fetch-url-error")).to_have_text("The server answered 404 Not Found.", timeout=FETCHED_WITHIN)
    expect(page.get_by_label(URL_FIELD)).to_be_focused()
    expect(page.locator("#import-status")).to_have_text("")

    page.get_by_label(URL_FIELD).fill(f"{local_server}/news")
    page.keyboard.press("Enter")
    expect(page.locator("#import-status")).to_have_text(
        "Imported “Bridge to reopen after two years” by Jane Doe, published 2024-03-05, in The Courier: 8 sentences.",
        timeout=FETCHED_WITHIN,
    )
    expect(page.locator("#fetch-url-error")).to_have_count(0)
    page.get_by_role("link", name="Open the imported article").click()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bridge to reopen after two years")
    assert "annotator.tasks.import_articles" in worker.log.read_text()
    assert page.errors == []
