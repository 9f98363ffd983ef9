"""Every page works under the strict Content-Security-Policy: Chromium reports no violation on any of them."""

import pytest
from playwright.sync_api import expect

from annotator import services
from tests.factories import label_document

from .conftest import log_in
from .helpers import lead_pages, study, training_article, wait_until_drawn

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Collects what Chromium refuses, from before the page's own parsing starts.
LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} at ${where}`);
});
"""


def watched(page):
    """The page, with `page.csp_console` filled by every CSP message Chromium logs."""
    page.add_init_script(LISTEN)
    page.csp_console = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.csp_console.append(message.text),
    )
    return page


def visit(page, url) -> list[str]:
    """Open `url`, let its scripts draw it, and return the violations reported (none expected)."""
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    wait_until_drawn(page)
    reported = page.evaluate("window.cspViolations") + page.csp_console
    page.csp_console = []
    return reported


def test_no_page_reports_a_csp_violation_for_any_role(new_page):
    project, document, users = study(title="Bridge to reopen")
    label_document(document, users["anna"], ["claim", "quote", "opinion", "quote"])
    label_document(document, users["ben"], ["claim", "opinion", "opinion", "quote"])
    invitation = services.create_invitation(project=project, created_by=users["lead"], role="annotator")
    training = training_article(project)
    found = {}

    page = watched(new_page())
    for name, url in {"login": "/accounts/login/", "join-new-account": f"/join/{invitation.token}/"}.items():
        found[f"visitor {name}"] = visit(page, url)
    log_in(page, "lead")
    pages = lead_pages(project, document, training, invitation)
    for name, url in pages.items():
        found[f"lead {name}"] = visit(page, url)
    found["lead api-docs"] = visit(page, "/api/v1/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    found["lead api-docs drawn"] = page.evaluate("window.cspViolations") + page.csp_console

    reviewer = watched(new_page())
    log_in(reviewer, "anna")
    for name, url in {
        "home": "/",
        "project": f"/projects/{project.pk}/",
        "annotate": f"/documents/{document.pk}/",
        "training": f"/documents/{training.pk}/",
    }.items():
        found[f"anna {name}"] = visit(reviewer, url)

    assert {name: reported for name, reported in found.items() if reported} == {}


def test_label_colours_and_progress_bars_are_drawn_without_style_attributes(new_page):
    project, document, users = study(title="Bridge to reopen")
    label_document(document, users["anna"], ["claim", "quote"])
    claim = project.labels.get(name="claim")
    page = watched(new_page())
    log_in(page, "anna")

    page.goto(f"/projects/{project.pk}/")
    bar = page.locator(".progress .bar").first
    share = bar.evaluate("b => b.firstElementChild.getBoundingClientRect().width / b.getBoundingClientRect().width")
    assert 0 < share < 1
    page.goto(f"/documents/{document.pk}/")
    wait_until_drawn(page)
    button = page.locator(".label-button", has_text="claim")
    assert button.evaluate("node => getComputedStyle(node).getPropertyValue('--label-color')").strip() == claim.color
    assert page.evaluate("window.cspViolations") + page.csp_console == []
