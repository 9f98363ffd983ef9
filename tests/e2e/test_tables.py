"""A lead imports articles from a table (CSV) on the Manage page and sees them with their outlets and dates; a wrong
row is named and nothing is imported; a pasted article's outcome is in view, titled by its first line."""

import datetime

import pytest
from playwright.sync_api import expect

from annotator.models import Document

from .conftest import DESKTOP, PHONE, log_in
from .helpers import study, violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OUTLETS = ("The Herald", "The Courier", "The Gazette")


def fifty_articles_csv() -> str:
    rows = ["title,outlet,published,topics,text"]
    for n in range(50):
        date = datetime.date(2024, 1 + n % 12, 1 + n % 28).isoformat()
        text = f'"The council voted on plan {n} on Monday, officials said. ""It is fair,"" the mayor said."'
        rows.append(f"Plan {n},{OUTLETS[n % 3]},{date},council;budget,{text}")
    return "\n".join(rows) + "\n"


def open_manage(page, project) -> None:
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Manage").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_lead_imports_a_csv_of_50_articles_with_outlets_and_dates_and_sees_them(new_page, tmp_path, viewport):
    project, _, _ = study(title="First")
    table = tmp_path / "articles.csv"
    table.write_text(fifty_articles_csv(), encoding="utf-8")
    page = new_page(viewport)
    log_in(page, "lead")
    open_manage(page, project)
    expect(page.locator("#bulk-help")).to_contain_text("a text column")

    page.get_by_label("File of articles").set_input_files(str(table))
    page.get_by_role("button", name="Import all").click()

    expect(page.locator("#import-status")).to_have_text("Imported 50 articles.")
    expect(page.locator("#import-status")).to_be_in_viewport()
    assert violations(page) == []
    page.goto(f"/projects/{project.pk}/")
    plan = page.locator("tr", has=page.get_by_role("rowheader", name="Plan 7", exact=True))
    expect(plan).to_contain_text("The Courier")
    expect(plan).to_contain_text("2024-08-08")
    imported = Document.objects.filter(project=project).exclude(title="First")
    assert imported.count() == 50
    assert set(imported.values_list("outlet", flat=True)) == set(OUTLETS)
    assert imported.get(title="Plan 7").topics == ["council", "budget"]
    assert page.errors == []


def test_a_csv_with_a_bad_date_names_its_row_and_column_and_imports_nothing(new_page, tmp_path):
    project, _, _ = study(title="First")
    table = tmp_path / "articles.csv"
    table.write_text("title,published,text\nOne,2024-05-01,The council met.\nTwo,May 2024,The mayor spoke.\n")
    page = new_page()
    log_in(page, "lead")
    open_manage(page, project)

    page.get_by_label("File of articles").set_input_files(str(table))
    page.get_by_role("button", name="Import all").click()

    expect(page.locator("#import-error")).to_contain_text(
        "Row 3, column 'published': 'May 2024' is not a date in the form YYYY-MM-DD."
    )
    expect(page.locator("#import-error")).to_be_in_viewport()
    assert Document.objects.filter(project=project).count() == 1


def test_a_csv_chosen_as_one_article_is_refused_not_taken_as_one_article(new_page, tmp_path):
    project, _, _ = study(title="First")
    table = tmp_path / "articles.csv"
    table.write_text("title,outlet,text\nBridge,Gazette,The bridge reopened.\n")
    page = new_page()
    log_in(page, "lead")
    open_manage(page, project)

    page.get_by_label("File", exact=True).set_input_files(str(table))
    page.get_by_role("button", name="Upload article").click()

    expect(page.locator("#import-error")).to_contain_text("'articles.csv' is a list of articles, not one article")
    assert Document.objects.filter(project=project).count() == 1


def test_a_pasted_article_without_a_title_takes_its_first_line_and_its_outcome_is_in_view(new_page):
    project, _, _ = study(title="First")
    page = new_page()
    log_in(page, "lead")
    open_manage(page, project)

    page.get_by_label("Text", exact=True).fill("The council met on Monday.\nThe mayor spoke after the vote.")
    page.get_by_role("button", name="Import article").click()

    status = page.locator("#import-status")
    expect(status).to_have_text("Imported “The council met on Monday.” as plain text: 2 sentences.")
    expect(status).to_be_in_viewport()
    expect(status).to_be_focused()
    assert Document.objects.latest("pk").title == "The council met on Monday."
    page.goto(f"/projects/{project.pk}/")
    expect(page.get_by_role("rowheader", name="The council met on Monday.")).to_be_visible()
