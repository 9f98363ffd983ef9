"""The whole story of a study in the browser, with nothing set up behind the app's back but the lead's account.

The lead creates a project on its page, invites two reviewers by link, uploads the sample article
with its outlet and date; the reviewers make their accounts from the links and label with the
keyboard (a source and a speaker included); the lead reads the agreement and downloads
`annotations.csv` from the exports page, which holds exactly what the reviewers did.
"""

import csv
import io
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import DEMO_ARTICLE_PATH, UserFactory

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def create_project(lead, name: str) -> int:
    lead.goto("/")
    lead.get_by_role("link", name="New project").click()
    lead.wait_for_selector("body[data-ready=true]")
    lead.get_by_label("Name", exact=True).click()
    lead.keyboard.type(name)
    lead.get_by_role("button", name="Create project").click()
    lead.wait_for_url("**/projects/*/manage/")
    expect(lead.get_by_role("heading", name=f"Manage {name}")).to_be_visible()
    return int(lead.url.rstrip("/").split("/")[-2])


def invitation_link(lead) -> str:
    """A one-use annotator link, made and copied on the Manage page."""
    form = lead.locator("#invitation-form")
    form.get_by_label("Role").select_option("annotator")
    form.get_by_label("People who may join with it").fill("1")
    lead.get_by_role("button", name="Create invitation link").click()
    expect(lead.locator("#invitation-status")).to_contain_text("New annotator link made")
    lead.get_by_role("button", name="Copy the annotator link").first.click()
    expect(lead.locator("#invitation-status")).to_have_text("Link copied.")
    return lead.evaluate("navigator.clipboard.readText()")


def join(page, link: str, username: str) -> None:
    page.goto(link)
    page.get_by_label("Choose a username").fill(username)
    page.get_by_label("Choose a password").fill(f"{username}-reads-the-news")
    page.get_by_label("Password again").fill(f"{username}-reads-the-news")
    page.get_by_role("button", name="Create my account and join").click()
    expect(page.locator(".messages")).to_contain_text("you joined as annotator")


def label_with_the_keyboard(page, keys: list[str]) -> None:
    page.get_by_role("button", name="Continue labelling").click()
    page.wait_for_selector("body[data-ready=true]")
    for key in keys:
        page.keyboard.press(key)
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")


def open_sources_of_previous_sentence(page, steps: int) -> None:
    for _ in range(steps):
        page.keyboard.press("k")
    page.keyboard.press("s")
    expect(page.locator("#source-url")).to_be_focused()


def test_a_lead_runs_a_study_from_an_empty_instance_to_the_exported_labels(new_page, screenshot):
    UserFactory(username="lead")
    lead = new_page()
    lead.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(lead, "lead")
    project_id = create_project(lead, "Mosul coverage")
    links = [invitation_link(lead), invitation_link(lead)]
    assert links[0] != links[1]

    lead.set_input_files("#article-file", str(DEMO_ARTICLE_PATH))
    lead.fill("#file-outlet", "World Socialist Web Site")
    lead.fill("#file-published", "2016-10-24")
    lead.get_by_role("button", name="Upload article").click()
    expect(lead.locator("#import-status")).to_contain_text("Imported “Mosul offensive intensifies")

    ana = new_page()
    join(ana, links[0], "ana")
    label_with_the_keyboard(ana, ["1", "1", "3", "2"])
    open_sources_of_previous_sentence(ana, 4)
    ana.keyboard.type("https://www.defense.gov/News/")
    ana.keyboard.press("Tab")
    ana.keyboard.type("Pentagon release")
    ana.keyboard.press("Enter")
    expect(ana.locator("#sources-list li")).to_have_count(1)
    expect(ana.locator("#save-state")).to_have_attribute("data-state", "saved")
    assert ana.errors == []

    ben = new_page()
    join(ben, links[1], "ben")
    label_with_the_keyboard(ben, ["1", "3", "3", "2"])
    open_sources_of_previous_sentence(ben, 1)
    for _ in range(3):
        ben.keyboard.press("Tab")
    expect(ben.locator("#speaker")).to_be_focused()
    ben.keyboard.type("Haider al-Abadi")
    ben.keyboard.press("Enter")
    expect(ben.locator("#save-state")).to_have_attribute("data-state", "saved")
    assert ben.errors == []

    lead.goto(f"/projects/{project_id}/")
    expect(lead.locator("table.documents")).to_contain_text("World Socialist Web Site")
    lead.get_by_role("link", name="Agreement").first.click()
    expect(lead.locator("#freshness")).to_have_attribute("data-status", "ready")
    expect(lead.locator("#freshness")).to_contain_text("over 8 labels")
    expect(lead.locator("#alpha")).not_to_have_text("n/a")
    screenshot(lead, "whole-study-agreement")

    lead.goto(f"/projects/{project_id}/")
    lead.get_by_role("link", name="Exports").click()
    with lead.expect_download() as download_info:
        lead.get_by_role("button", name="Download annotations.csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8"))))
    by_reviewer = {
        name: [(row["index"], row["label"]) for row in rows if row["annotator"] == name] for name in ("ana", "ben")
    }
    assert by_reviewer == {
        "ana": [("0", "claim"), ("1", "claim"), ("2", "opinion"), ("3", "quote")],
        "ben": [("0", "claim"), ("1", "opinion"), ("2", "opinion"), ("3", "quote")],
    }
    first_of_ana = next(row for row in rows if row["annotator"] == "ana" and row["index"] == "0")
    assert json.loads(first_of_ana["sources"]) == [
        {"url": "https://www.defense.gov/News/", "title": "Pentagon release", "note": ""}
    ]
    quote_of_ben = next(row for row in rows if row["annotator"] == "ben" and row["index"] == "3")
    assert quote_of_ben["speaker"] == "Haider al-Abadi"
    assert {row["outlet"] for row in rows} == {"World Socialist Web Site"}
    assert {row["published"] for row in rows} == {"2016-10-24"}
    assert lead.errors == []
