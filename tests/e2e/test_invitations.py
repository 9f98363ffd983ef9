"""Invitation links in a real browser: a lead makes and copies one; a newcomer opens it, makes an account, labels."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from annotator.models import Annotation, Invitation
from tests.factories import UserFactory

from .conftest import PHONE, log_in
from .helpers import study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "quiet-harbour-lamp"


def make_link(page, project_id: int, *, role: str = "annotator", max_uses: str = "") -> str:
    """Create an invitation on the Manage page and copy its link with the Copy button; return the link."""
    page.goto(f"/projects/{project_id}/manage/")
    form = page.locator("#invitation-form")
    form.get_by_label("Role").select_option(role)
    form.get_by_label("People who may join with it").fill(max_uses)
    page.get_by_role("button", name="Create invitation link").click()
    expect(page.locator("#invitation-status")).to_contain_text(f"New {role} link made")
    page.get_by_role("button", name=f"Copy the {role} link").first.click()
    expect(page.locator("#invitation-status")).to_have_text("Link copied.")
    return page.evaluate("navigator.clipboard.readText()")


def test_a_newcomer_joins_by_a_copied_link_and_labels_on_a_phone(new_page, screenshot):
    project, _, _ = study()
    lead = new_page()
    lead.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(lead, "lead")
    link = make_link(lead, project.pk, max_uses="1")
    invitation = Invitation.objects.get()
    assert link.endswith(f"/join/{invitation.token}/")
    expect(lead.locator(".invitation")).to_contain_text("0 of 1 used")
    screenshot(lead, "invitations-manage")

    newcomer = new_page(PHONE)
    newcomer.goto(link)
    expect(newcomer.locator("h1")).to_have_text("Join Bridge study")
    expect(newcomer.locator("#join-role")).to_contain_text("annotator")
    newcomer.get_by_label("Choose a username").fill("nora")
    newcomer.get_by_label("Choose a password").fill("12345678")
    newcomer.get_by_label("Password again").fill("12345678")
    newcomer.get_by_role("button", name="Create my account and join").click()
    expect(newcomer.locator("#password-errors")).to_contain_text("entirely numeric")
    expect(newcomer.get_by_label("Choose a username")).to_have_value("nora")
    assert newcomer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(newcomer, "join-phone")

    newcomer.get_by_label("Choose a password").fill(PASSPHRASE)
    newcomer.get_by_label("Password again").fill(PASSPHRASE)
    newcomer.get_by_role("button", name="Create my account and join").click()
    newcomer.wait_for_url(f"**/projects/{project.pk}/")
    expect(newcomer.locator(".messages")).to_contain_text("you joined as annotator")
    newcomer.get_by_role("button", name="Continue labelling").click()
    newcomer.wait_for_selector("body[data-ready=true]")
    newcomer.keyboard.press("1")
    expect(newcomer.locator("#save-state")).to_have_attribute("data-state", "saved")
    assert Annotation.objects.filter(annotator__username="nora", label__name="claim").count() == 1
    assert newcomer.errors == []

    lead.reload()
    expect(lead.locator(".invitation")).to_contain_text("used up")
    assert lead.errors == []

    latecomer = new_page()
    response = latecomer.goto(link)
    assert response.status == 410
    expect(latecomer.locator("#closed-reason")).to_contain_text("used as many times as it allows")


def test_a_revoked_or_expired_link_shows_a_page_that_says_so(new_page):
    project, _, _ = study()
    lead = new_page()
    lead.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(lead, "lead")
    revoked_link = make_link(lead, project.pk, role="viewer")
    lead.get_by_role("button", name="Revoke the viewer link").click()
    expect(lead.locator("#invitation-status")).to_contain_text("Link revoked")
    expect(lead.locator(".invitation")).to_contain_text("revoked")
    expired_link = make_link(lead, project.pk, role="curator")
    Invitation.objects.filter(role="curator").update(expires=timezone.now() - timedelta(minutes=1))

    visitor = new_page(PHONE)
    for link, reason in ((revoked_link, "revoked"), (expired_link, "expired")):
        response = visitor.goto(link)
        assert response.status == 410
        expect(visitor.locator("h1")).to_have_text("This link does not let you join")
        expect(visitor.locator("#closed-reason")).to_contain_text(reason)


def test_a_logged_in_reviewer_joins_with_one_click(new_page):
    project, _, _ = study()
    UserFactory(username="mia")
    lead = new_page()
    lead.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(lead, "lead")
    link = make_link(lead, project.pk, role="viewer")

    reviewer = new_page()
    log_in(reviewer, "mia")
    reviewer.goto(link)
    reviewer.get_by_role("button", name="Join Bridge study as viewer").click()
    reviewer.wait_for_url(f"**/projects/{project.pk}/")
    reviewer.goto(link)
    expect(reviewer.locator("#join-state")).to_contain_text("already a member of this project, as viewer")
