"""A lead in a real browser: agreement that follows the reviewers, the curator comparison, and hostile input."""

import json
import re

import pytest
from playwright.sync_api import expect

from annotator import services
from annotator.models import Document
from tests.factories import AnnotationFactory, DocumentFactory, label_document

from .conftest import PHONE, log_in, open_annotation_screen
from .helpers import ARTICLE, study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=1;alert(1)">'


def label_with_keys(page, document_id: int, keys: str) -> None:
    open_annotation_screen(page, document_id)
    for key in keys:
        page.keyboard.press(key)
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")


def test_lead_sees_the_agreement_page_update_after_both_reviewers_have_labelled(new_page, screenshot):
    project, document, _ = study(title="Bridge to reopen")
    lead = new_page()
    log_in(lead, "lead")
    lead.goto(f"/projects/{project.pk}/agreement/")
    expect(lead.locator("#freshness")).to_contain_text("over 0 labels")
    expect(lead.locator("#alpha")).to_have_text("n/a")
    # A null figure says why, not only that it is missing.
    expect(lead.locator("#coefficients")).to_contain_text("n/a: no sentence has two labels yet")

    anna, ben = new_page(), new_page()
    log_in(anna, "anna")
    log_in(ben, "ben")
    n = document.sentences.count()
    keys = ("123" * n)[:n]
    label_with_keys(anna, document.pk, keys)
    label_with_keys(ben, document.pk, keys[:-1] + ("2" if keys[-1] != "2" else "1"))

    lead.reload()
    expect(lead.locator("#freshness")).to_contain_text(f"over {2 * n} labels")
    expect(lead.locator("#freshness")).to_have_attribute("data-status", "ready")
    alpha = lead.locator("#alpha").text_content()
    assert alpha != "n/a"
    assert 0.5 < float(alpha) < 1
    expect(lead.locator("#kappa-chart svg")).to_have_attribute("aria-label", "Cohen's kappa by reviewer pair")
    expect(lead.locator("#kappa-chart svg text").filter(has_text="anna").first).to_be_visible()
    expect(lead.locator("#confusion-chart rect")).to_have_count(9)
    expect(lead.locator("#labels-chart")).to_contain_text("claim")
    # Each reviewer's competence (no interval from one article) and their agreement by week of their own labels.
    expect(lead.locator("#reviewers")).to_contain_text("Competence (MACE)")
    expect(lead.locator("#reviewers")).to_contain_text("(no interval)")
    expect(lead.locator("#competence-note")).to_contain_text("Intervals withheld under 20 articles (1 now)")
    # One article: the figures come with their sentences, and no interval says why and what would give one.
    expect(lead.locator("#coefficients")).to_contain_text("Gwet's AC1 (identity)")
    expect(lead.locator("#coefficients")).to_contain_text(f"{n} of {n} sentences")
    expect(lead.locator("#alpha-detail")).to_contain_text(
        "1 article with a sentence labelled twice; label 19 more articles"
    )
    # Krippendorff's sample size for alpha .800: the sentences still missing, beside the articles.
    expect(lead.locator("#alpha-detail")).to_contain_text(re.compile(r"and \d+ more sentences with two labels"))
    expect(lead.locator("#reviewers tr").filter(has_text="anna")).to_contain_text(
        f"{n - 1 and round(100 * (n - 1) / n)}%"
    )
    expect(lead.locator("#reviewers tr").filter(has_text="ben")).to_contain_text(str(n))
    expect(lead.locator("#documents-chart")).to_contain_text("Bridge to reopen")
    screenshot(lead, "agreement", full_page=True)
    computed = lead.evaluate("document.body.dataset.computedAt")
    lead.get_by_role("button", name="Recompute now").click()
    expect(lead.locator("body")).not_to_have_attribute("data-computed-at", computed)
    expect(lead.locator("#freshness")).to_contain_text(f"over {2 * n} labels")

    lead.goto(f"/documents/{document.pk}/curate/")
    lead.wait_for_selector("body[data-ready=true]")
    expect(lead.locator("#summary")).to_contain_text(f"{n} sentences: 0 decided, 0 unresolved, {n} open")
    first = lead.locator("#curate-body tr").first
    expect(first).to_have_class("sentence-row open disagree current")
    expect(first).to_contain_text("tie 1/2")
    screenshot(lead, "curator")
    assert lead.errors == anna.errors == ben.errors == []


def test_pages_at_phone_width_do_not_scroll_sideways(new_page, screenshot):
    project, document, users = study(title="Bridge to reopen")
    label_document(document, users["anna"], ["claim", "quote"])
    page = new_page(PHONE)
    log_in(page, "lead")
    project_urls = [f"/projects/{project.pk}/{sub}" for sub in ("", "manage/", "agreement/")]
    for url in ["/", *project_urls]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], url
    screenshot(page, "agreement-phone")


def test_nothing_from_a_hostile_article_or_label_runs_in_the_browser(new_page):
    project, _, users = study(title="Harmless")
    services.update_project(
        project=project,
        name=HOSTILE,
        labels=[{"name": HOSTILE[:64], "key": "1", "color": "#aa0000"}, {"name": "claim", "key": "2"}],
    )
    hostile = DocumentFactory(
        project=project,
        created_by=users["lead"],
        text=f"{HOSTILE} says the first sentence. A second sentence follows.",
        title=HOSTILE,
        outlet=HOSTILE,
        author=HOSTILE,
    )
    first = hostile.sentences.order_by("index").first()
    AnnotationFactory(
        sentence=first,
        annotator=users["anna"],
        label=HOSTILE[:64],
        speaker=HOSTILE,
        sources=[services.SourceInput(url="https://example.org/x", title=HOSTILE, note=HOSTILE)],
    )
    dialogs = []
    for who, urls in {
        "anna": [f"/documents/{hostile.pk}/", "/"],
        "lead": [
            "/",
            f"/projects/{project.pk}/",
            f"/projects/{project.pk}/manage/",
            f"/projects/{project.pk}/agreement/",
            f"/documents/{hostile.pk}/curate/",
        ],
    }.items():
        page = new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        log_in(page, who)
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            if url.startswith("/documents/") and who == "anna":
                page.wait_for_selector("body[data-ready=true]")
                page.keyboard.press("Home")
                page.keyboard.press("s")
                expect(page.locator("#sources-list")).to_contain_text("<script>window.pwned=1</script>")
                expect(page.locator("#speaker")).to_have_value(HOSTILE)
            assert page.evaluate("window.pwned") is None, url
        expect(page.locator("body")).to_contain_text("<script>window.pwned=1</script>")
        assert page.errors == []
    assert dialogs == []
    assert Document.objects.filter(title=HOSTILE).exists()


def import_jsonl_as_lead(page, project, lines: list[str], upload):
    """Log in as the lead and start a bulk import of `lines` from the project's manage page."""
    upload.write_text("\n".join(lines), encoding="utf-8")
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/manage/")
    page.set_input_files("#bulk-file", str(upload))
    page.get_by_role("button", name="Import all").click()
    return page


def test_lead_imports_a_bulk_jsonl_file_with_a_progress_indicator(new_page, tmp_path):
    project, _, _ = study(title="First")
    lines = [f'{{"title": "Article {n}", "text": "Sentence one of {n}. Sentence two."}}' for n in range(40)]
    page = import_jsonl_as_lead(new_page(), project, lines, tmp_path / "articles.jsonl")
    expect(page.locator("#import-status")).to_have_text("Imported 40 articles.")
    assert page.locator("#upload-progress").evaluate("p => p.value") == 100
    expect(page.get_by_role("link", name="Open the imported article")).to_have_count(0)
    assert project.documents.count() == 41


@pytest.mark.worker
def test_lead_watches_a_worker_split_a_bulk_import_article_by_article(new_page, worker, tmp_path):
    project, _, _ = study(title="First")
    long_article = "\n\n".join([ARTICLE] * 15)
    lines = [json.dumps({"title": f"Article {n}", "text": long_article, "format": "markdown"}) for n in range(600)]
    page = import_jsonl_as_lead(new_page(), project, lines, tmp_path / "corpus.jsonl")

    expect(page.locator("#import-status")).to_contain_text("Splitting articles into sentences:", timeout=30_000)
    expect(page.locator("#import-status")).to_have_text("Imported 600 articles.", timeout=120_000)
    assert page.locator("#upload-progress").evaluate("p => p.value") == 100
    assert project.documents.count() == 601


def test_an_article_that_cannot_be_split_is_named_and_nothing_is_imported(new_page, tmp_path):
    project, _, _ = study(title="First")
    lines = [
        json.dumps({"title": "Fine", "text": "Sentence one. Sentence two."}),
        json.dumps({"title": "Empty page", "text": "<html><script>var a = 1;</script></html>", "format": "html"}),
    ]
    page = import_jsonl_as_lead(new_page(), project, lines, tmp_path / "articles.jsonl")

    expect(page.locator("#import-error")).to_contain_text("Article 2: text:")
    expect(page.locator("#import-status")).to_have_text("")
    assert project.documents.count() == 1
