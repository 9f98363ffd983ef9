"""A lead keeps the project's outlets and leanings on their page, and names an article's outlet and topics on import."""

import pytest
from playwright.sync_api import expect

from annotator.models import Document, Outlet, Role
from tests.factories import add_member, label_document

from .conftest import PHONE, log_in
from .helpers import study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_outlets(page, project) -> None:
    """From the project's page through Manage, as a lead would."""
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("link", name="Outlets").click()
    page.wait_for_selector("body[data-ready=true]")


def test_owner_sets_leanings_and_keeps_the_list_of_outlets(new_page, screenshot):
    project, document, users = study()
    label_document(document, users["anna"], ["opinion"])
    page = new_page()
    log_in(page, "lead")
    open_outlets(page, project)
    expect(page.get_by_label("Name of The Courier")).to_have_value("The Courier")

    page.get_by_label("Leanings, in the order analyses show them").fill("left, centre, right")
    page.get_by_role("button", name="Save leanings").click()
    expect(page.locator("#leanings-status")).to_have_text("Leanings saved.")

    add = page.locator("#outlet-form")
    add.get_by_label("Name").fill("The Herald")
    add.get_by_label("Web domain").fill("nonsense")
    page.get_by_role("button", name="Add outlet").click()
    expect(page.locator("#outlet-error")).to_contain_text("domain: 'nonsense' is not a web domain")
    assert not Outlet.objects.filter(name="The Herald").exists()
    add.get_by_label("Web domain").fill("https://www.herald.example/politics")
    add.get_by_label("Country").fill("UK")
    add.get_by_label("Leaning").select_option("left")
    add.get_by_label("Source of the rating").fill("AllSides 2024")
    page.get_by_role("button", name="Add outlet").click()
    expect(page.locator("#outlets-status")).to_have_text("Added The Herald.")
    expect(page.get_by_label("Web domain of The Herald")).to_have_value("herald.example")

    page.get_by_label("Leaning of The Courier").select_option("right")
    page.get_by_role("button", name="Save The Courier").click()
    expect(page.locator("#outlets-status")).to_have_text("Saved The Courier.")
    assert Outlet.objects.get(project=project, name="The Courier").leaning == "right"

    page.get_by_label("Leanings, in the order analyses show them").fill("left, centre")
    page.get_by_role("button", name="Save leanings").click()
    expect(page.locator("#leanings-error")).to_have_text(
        "leanings: Outlets are rated right: change their leaning first."
    )
    screenshot(page, "outlets", full_page=True)

    page.get_by_role("button", name="Delete The Herald").click()
    expect(page.locator("#outlets-status")).to_contain_text("Deleted The Herald")
    expect(page.get_by_label("Name of The Herald")).to_have_count(0)

    page.get_by_role("link", name="Coverage").click()
    page.get_by_label("Group by").select_option("leaning")
    expect(page.locator("#figures tr").nth(1).locator("th")).to_have_text("right")
    assert page.errors == []


def test_curator_edits_outlets_but_not_the_leanings(new_page):
    project, _, _ = study()
    add_member(project, Role.CURATOR, "cora")
    page = new_page(PHONE)
    log_in(page, "cora")
    open_outlets(page, project)
    expect(page.get_by_label("Leanings, in the order analyses show them")).to_have_attribute("readonly", "")
    expect(page.get_by_role("button", name="Save leanings")).to_have_count(0)
    page.get_by_label("Country of The Courier").fill("Ireland")
    page.get_by_role("button", name="Save The Courier").click()
    expect(page.locator("#outlets-status")).to_have_text("Saved The Courier.")
    assert Outlet.objects.get(project=project, name="The Courier").country == "Ireland"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_lead_names_the_outlet_and_topics_of_pasted_and_uploaded_articles(new_page, tmp_path):
    project, _, _ = study()
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Manage").click()
    expect(page.locator("#outlet-names option[value='The Courier']")).to_have_count(1)

    paste = page.locator("#paste-form")
    paste.get_by_label("Title").fill("Ferry returns")
    paste.get_by_label("Outlet").fill("the courier")
    paste.get_by_label("Topics").fill("transport, local ,")
    paste.get_by_label("Text").fill("The ferry returns in May. Fares stay the same.")
    paste.get_by_role("button", name="Import article").click()
    expect(page.locator("#import-status")).to_contain_text("Imported “Ferry returns”")
    ferry = Document.objects.get(project=project, title="Ferry returns")
    assert (ferry.outlet, ferry.topics) == ("The Courier", ["transport", "local"])

    upload = tmp_path / "tunnel.md"
    upload.write_text("# Tunnel plans\n\nA tunnel is planned. It will cost more.")
    form = page.locator("#file-form")
    form.get_by_label("File").set_input_files(str(upload))
    form.get_by_label("Outlet").fill("The Herald")
    form.get_by_label("Topics").fill("transport, budget")
    form.get_by_role("button", name="Upload article").click()
    expect(page.locator("#import-status")).to_contain_text("Imported “Tunnel plans”")
    tunnel = Document.objects.get(project=project, title="Tunnel plans")
    assert (tunnel.outlet, tunnel.topics) == ("The Herald", ["transport", "budget"])
    assert Outlet.objects.filter(project=project, name="The Herald").exists()

    paste.get_by_label("Topics").fill("x" * 101)
    paste.get_by_label("Text").fill("A sentence.")
    paste.get_by_role("button", name="Import article").click()
    expect(page.locator("#import-error")).to_contain_text("topics")
    assert not Document.objects.filter(project=project, text="A sentence.").exists()
    assert page.errors == []
