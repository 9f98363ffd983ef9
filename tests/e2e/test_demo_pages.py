"""The demo as a newcomer first sees it: every screen shows the demo's data (and README's pictures come from here)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from annotator.management.commands.load_demo import DEMO_PASSWORD, DEMO_PROJECT
from annotator.models import Project

from .conftest import PHONE, log_in, open_annotation_screen

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_demo_shows_data_on_every_screen_at_first_look(new_page, screenshot):
    call_command("load_demo", stdout=None)
    project = Project.objects.get(name=DEMO_PROJECT)
    document = project.documents.get()

    lead = new_page()
    log_in(lead, "lead", DEMO_PASSWORD)
    expect(lead.get_by_role("heading", name="Your projects")).to_be_visible()
    expect(lead.locator("main")).to_contain_text(DEMO_PROJECT)
    screenshot(lead, "demo-home")

    lead.goto(f"/projects/{project.pk}/agreement/")
    expect(lead.locator("#freshness")).to_have_attribute("data-status", "ready")
    expect(lead.locator("#alpha")).not_to_have_text("n/a")
    expect(lead.locator("#kappa-chart svg text").filter(has_text="ana").first).to_be_visible()
    screenshot(lead, "demo-agreement", full_page=True)

    lead.goto(f"/documents/{document.pk}/curate/")
    lead.wait_for_selector("body[data-ready=true]")
    expect(lead.locator("#curate-body tr").first).to_contain_text("ana")
    screenshot(lead, "demo-curator")
    assert lead.errors == []

    ana = new_page()
    log_in(ana, "ana", DEMO_PASSWORD)
    open_annotation_screen(ana, document.pk)
    expect(ana.locator("#sentences .sentence .chip").first).to_have_text("claim")
    screenshot(ana, "demo-annotate-desktop")

    phone = new_page(PHONE)
    log_in(phone, "ben", DEMO_PASSWORD)
    open_annotation_screen(phone, document.pk)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "demo-annotate-phone")
    assert ana.errors == []
    assert phone.errors == []
