"""A lead's articles in a real browser: import with metadata, edit it, delete with a count, and the exports page."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotator.models import AnnotationEvent, Document
from tests.factories import label_document

from .conftest import PHONE, log_in
from .helpers import ARTICLE, study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FORMAT_CASES = json.loads((Path(__file__).parents[1] / "annotator" / "text_format_cases.json").read_text())


def fill_metadata(page, prefix: str, **values) -> None:
    for name, value in values.items():
        page.fill(f"#{prefix}-{name}", value)


def test_the_page_recognises_formats_by_the_servers_rules(new_page):
    study()
    page = new_page()
    log_in(page, "lead")
    page.goto("/")
    detected = page.evaluate(
        "async (cases) => { const { detectFormat } = await import('/static/frontend/text_format.js');"
        " return cases.map(([text]) => detectFormat(text)); }",
        FORMAT_CASES,
    )
    assert detected == [expected for _, expected in FORMAT_CASES]


def test_lead_pastes_an_article_with_all_metadata_and_sees_it_listed(new_page):
    project, _, _ = study()
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/manage/")
    fill_metadata(
        page, "paste", title="Ferry fares", outlet="The Herald", url="https://herald.example/ferry", author="Ann Lee"
    )
    page.fill("#paste-published", "2024-05-02")
    page.fill("#paste-text", "# Ferry fares\n\nFares will rise in **June**. Riders are angry.")
    expect(page.locator("#paste-format")).to_have_value("markdown")
    expect(page.locator("#paste-format-hint")).to_contain_text("Recognised as Markdown")
    page.get_by_role("button", name="Import article").click()
    expect(page.locator("#import-status")).to_contain_text("Imported “Ferry fares” as Markdown: 2 sentences.")

    page.goto(f"/projects/{project.pk}/")
    row = page.locator("tr", has_text="Ferry fares")
    expect(row).to_contain_text("The Herald")
    expect(row).to_contain_text("2024-05-02")
    document = Document.objects.get(title="Ferry fares")
    assert (document.url, document.author, document.format) == ("https://herald.example/ferry", "Ann Lee", "markdown")
    assert page.errors == []


def test_lead_uploads_a_file_with_its_metadata(new_page):
    project, _, _ = study()
    page = new_page(PHONE)
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/manage/")
    page.set_input_files("#article-file", {"name": "tram.txt", "mimeType": "text/plain", "buffer": ARTICLE.encode()})
    fill_metadata(page, "file", title="Tram works", outlet="The Courier", author="Bo Chen")
    page.fill("#file-published", "2024-06-01")
    page.get_by_role("button", name="Upload article").click()
    expect(page.locator("#import-status")).to_contain_text("Imported “Tram works” as plain text")
    document = Document.objects.get(title="Tram works")
    assert (document.outlet, document.author, str(document.published)) == ("The Courier", "Bo Chen", "2024-06-01")


def test_a_file_over_the_article_limit_is_refused_on_the_page_naming_file(new_page):
    project, _, _ = study()
    documents = Document.objects.filter(project=project).count()
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/manage/")
    page.set_input_files(
        "#article-file", {"name": "huge.txt", "mimeType": "text/plain", "buffer": b"The council met. " * 200_000}
    )
    page.get_by_role("button", name="Upload article").click()
    expect(page.locator("#import-error")).to_contain_text("file")
    expect(page.locator("#import-error")).to_contain_text("larger than 2,097,152 bytes (2 MB)")
    assert Document.objects.filter(project=project).count() == documents
    assert page.errors == []


def test_lead_edits_an_articles_metadata_and_a_bad_url_is_named(new_page):
    project, document, _ = study(title="Bridge to reopen")
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("button", name="Edit details of Bridge to reopen").click()
    expect(page.locator("#edit-outlet")).to_have_value("The Courier")
    page.fill("#edit-outlet", "The Herald")
    page.fill("#edit-url", "ftp://herald.example/bridge")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#edit-error")).to_contain_text("url")
    document.refresh_from_db()
    assert document.outlet == "The Courier"

    page.fill("#edit-url", "https://herald.example/bridge")
    page.fill("#edit-published", "2024-05-03")
    page.get_by_role("button", name="Save").click()
    row = page.locator(f"tr[data-document='{document.pk}']")
    expect(row).to_contain_text("The Herald")
    expect(row).to_contain_text("2024-05-03")
    document.refresh_from_db()
    assert document.url == "https://herald.example/bridge"
    assert page.errors == []


def test_owner_deletes_an_article_after_a_confirmation_that_counts_its_labels(new_page):
    project, document, users = study(title="Bridge to reopen")
    label_document(document, users["anna"], ["claim", "quote", "opinion"])
    label_document(document, users["ben"], ["claim", "claim"])
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("button", name="Delete Bridge to reopen").click()
    expect(page.locator("#delete-question")).to_have_text("Delete “Bridge to reopen” and its 5 labels by 2 reviewers?")
    page.locator("#delete-dialog").get_by_role("button", name="Cancel").click()
    assert Document.objects.filter(pk=document.pk).exists()

    page.get_by_role("button", name="Delete Bridge to reopen").click()
    page.locator("#delete-confirm").click()
    expect(page.locator("table.documents")).to_contain_text("No articles yet.")
    event = AnnotationEvent.objects.get(action="document_deleted")
    assert (event.data["title"], event.data["labels"], event.data["reviewers"]) == ("Bridge to reopen", 5, 2)
    assert page.errors == []


def test_viewer_downloads_annotations_csv_with_filters_from_the_exports_page(new_page):
    project, document, users = study(title="Bridge to reopen")
    label_document(document, users["anna"], ["claim", "quote"])
    label_document(document, users["ben"], ["opinion"])
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Exports").click()
    page.select_option("#export-annotator", "anna")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download annotations.csv").click()
    download = download_info.value
    assert download.suggested_filename == f"lede-project-{project.pk}-annotations.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [(row["annotator"], row["label"]) for row in rows] == [("anna", "claim"), ("anna", "quote")]

    page.check("text=Pseudonymize reviewers")
    page.select_option("#export-annotator", "")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download annotations.csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8"))))
    assert {row["annotator"] for row in rows} == {"annotator-1", "annotator-2"}
    assert page.errors == []


def test_lead_builds_the_archive_from_the_exports_page_and_downloads_it(new_page):
    project, document, users = study(title="Bridge to reopen")
    label_document(document, users["anna"], ["claim", "quote"])
    page = new_page(PHONE)
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/exports/")
    page.get_by_role("button", name="Build the archive").click()
    expect(page.locator("#archive-status")).to_have_text("The archive is ready.")
    expect(page.locator("#archive-progress")).to_have_attribute("value", "100")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the archive").click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        assert any(name.endswith("annotations.csv") for name in archive.namelist())
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert page.errors == []


def test_exports_are_safe_for_spreadsheets_unless_the_box_is_unticked(new_page):
    project, document, users = study(title="Bridge to reopen")
    label_document(document, users["anna"], ["claim"], note="=1+2")
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/exports/")
    safe = page.get_by_label("Safe for spreadsheets")
    expect(safe).to_be_checked()
    expect(page.locator("#spreadsheet-safe-help")).to_contain_text("exactly as stored")

    def notes() -> list[str]:
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download annotations.csv").click()
        text = Path(download_info.value.path()).read_text(encoding="utf-8")
        return [row["note"] for row in csv.DictReader(io.StringIO(text))]

    assert notes() == ["'=1+2"]
    safe.uncheck()
    assert notes() == ["=1+2"]
    page.get_by_role("button", name="Build the archive").click()
    expect(page.locator("#archive-status")).to_have_text("The archive is ready.")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the archive").click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        (labels,) = [name for name in archive.namelist() if name.endswith("annotations.csv")]
        rows = csv.DictReader(io.StringIO(archive.read(labels).decode()))
        assert [row["note"] for row in rows] == ["=1+2"]
    assert page.errors == []
