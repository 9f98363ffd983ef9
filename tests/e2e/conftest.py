"""Real-browser fixtures: Debian's chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's guard against database
calls from async contexts is relaxed here (the calls are ordinary synchronous test code).
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.factories import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LEDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# README's pictures are refreshed on request (LEDE_SCREENSHOTS=docs/screenshots); otherwise a test run
# still takes them (the pages must render) but leaves the checkout untouched.
SCREENSHOTS = os.environ.get("LEDE_SCREENSHOTS")


@pytest.fixture(autouse=True)
def eager_celery(settings):
    """Reports recompute in the live server's process, at once."""
    from lede.celery_app import app

    settings.AGREEMENT_DEBOUNCE_SECONDS = 0
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt install chromium); e2e tests need a real browser.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(viewport=DESKTOP, **options) -> a page in a fresh context (its own cookies and localStorage);
    `options` go to the context (e.g. has_touch=True for a phone used by touch)."""
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = browser.new_context(viewport=viewport, base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(tmp_path):
    """Save a PNG of the page: in $LEDE_SCREENSHOTS when set (README shows docs/screenshots/), else in tmp_path."""
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path

    def take(page, name: str, *, full_page: bool = False):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)

    return take


def log_in(page, username: str, password: str = PASSWORD, *, next_url: str = "") -> None:
    """Log in through the form using the keyboard only."""
    page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
    page.bring_to_front()
    # `autofocus` is skipped in a page that is not in front; focus as a reviewer arriving by Tab would.
    page.locator("#id_username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def open_annotation_screen(page, document_id: int) -> None:
    page.goto(f"/documents/{document_id}/")
    page.wait_for_selector("body[data-ready=true]")
