"""axe-core finds nothing to fix on any page a person reaches, on a desktop and on a 390 px phone."""

import pytest
from playwright.sync_api import expect

from annotator import services
from tests.factories import label_document

from .conftest import DESKTOP, PHONE, log_in
from .helpers import lead_pages, study, training_article, violations, wait_until_drawn

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_has_no_axe_violations(new_page, screenshot, viewport):
    project, document, users = study(title="Bridge to reopen")
    label_document(document, users["anna"], ["claim", "quote", "opinion", "quote"])
    label_document(document, users["ben"], ["claim", "opinion", "opinion", "quote"])
    label_document(document, users["lead"], ["quote", "claim"])
    services.label_sentence(
        sentence=document.sentences.get(index=1),
        annotator=users["lead"],
        label_name="claim",
        speaker="the mayor",
        sources=[services.SourceInput(url="https://example.org/minutes", title="Council minutes")],
    )
    invitation = services.create_invitation(project=project, created_by=users["lead"], role="annotator")
    training = training_article(project)
    services.update_project(project=project, overlap=2)
    services.assign(document=document, reviewer_username="anna", assigned_by=users["lead"])
    page = new_page(viewport)
    found = {}
    for name, url in {"login": "/accounts/login/", "join-new-account": f"/join/{invitation.token}/"}.items():
        page.goto(url)
        found[name] = violations(page)
    log_in(page, "lead")
    pages = lead_pages(project, document, training, invitation)
    for name, url in pages.items():
        page.goto(url)
        wait_until_drawn(page)
        found[name] = violations(page)
        screenshot(page, f"a11y-{name}-{viewport['width']}", full_page=True)
    page.goto(f"/documents/{document.pk}/")
    wait_until_drawn(page)
    page.keyboard.press("j")
    page.keyboard.press("s")
    expect(page.locator("#sources-panel")).to_be_visible()
    found["annotate-sources"] = violations(page)
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    expect(page.locator("#keys-dialog")).to_be_visible()
    found["annotate-keys"] = violations(page)
    page.keyboard.press("Escape")
    page.keyboard.press("g")
    expect(page.locator("#guidelines-dialog")).to_be_visible()
    found["annotate-guidelines"] = violations(page)
    page.keyboard.press("Escape")

    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("button", name="Assign Bridge to reopen").click()
    expect(page.locator("#assign-list")).to_contain_text("anna")
    found["project-assign"] = violations(page)
    page.goto(f"/documents/{training.pk}/")
    wait_until_drawn(page)
    page.keyboard.press("1")
    expect(page.locator("#training-panel")).to_contain_text("Right.")
    found["annotate-training"] = violations(page)

    page.goto(f"/documents/{document.pk}/curate/")
    wait_until_drawn(page)
    page.keyboard.press("x")
    expect(page.locator("#curate-body tr[data-state=unresolved]")).to_have_count(1)
    found["curate-decided"] = violations(page)
    page.keyboard.press("r")
    expect(page.locator("#decision-dialog")).to_be_visible()
    found["curate-rationale"] = violations(page)
    page.keyboard.press("Escape")
    expect(page.locator("#decision-dialog")).to_be_hidden()
    page.keyboard.press("?")
    expect(page.locator("#keys-dialog")).to_be_visible()
    found["curate-keys"] = violations(page)
    page.keyboard.press("Escape")
    expect(page.locator("#keys-dialog")).to_be_hidden()
    page.get_by_role("button", name="Auto-merge…").click()
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#merge-preview")).to_contain_text("Would decide")
    found["curate-merge"] = violations(page)

    assert {name: lines for name, lines in found.items() if lines} == {}
    assert page.errors == []
