"""A curator in a real browser: deciding sentences from the keyboard, refreshing as labels arrive, the auto-merge."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotator import services
from annotator.models import Role
from claims import reports
from curation.models import Decision

from ..factories import add_member
from .conftest import PHONE, log_in
from .helpers import study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def labelled_study():
    """s0 unanimous claim, s1 quote 2 of 3, s2 a claim/opinion tie; the other sentences have no labels."""
    project, document, users = study(title="Bridge to reopen")
    sentences = list(document.sentences.order_by("index"))
    for sentence, by in zip(
        sentences,
        [
            {"anna": "claim", "ben": "claim", "lead": "claim"},
            {"anna": "quote", "ben": "opinion", "lead": "quote"},
            {"anna": "claim", "ben": "opinion"},
        ],
        strict=False,
    ):
        for who, name in by.items():
            services.label_sentence(sentence=sentence, annotator=users[who], label_name=name)
    services.label_sentence(
        sentence=sentences[1],
        annotator=users["anna"],
        label_name="quote",
        speaker="the mayor",
        note="said at the council",
        sources=[services.SourceInput(url="https://example.org/minutes", title="Council minutes")],
    )
    return project, document, users, sentences


def row(page, sentence):
    return page.locator(f'#curate-body tr[data-sentence="{sentence.pk}"]')


def open_curate(page, username: str, document):
    """Sign `page` in as `username` and open `document`'s curator screen, ready for keys."""
    log_in(page, username)
    page.goto(f"/documents/{document.pk}/curate/")
    page.wait_for_selector("body[data-ready=true]")
    return page


def test_curator_decides_from_the_keyboard_and_sees_labels_arrive(new_page, screenshot):
    project, document, users, sentences = labelled_study()
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/")
    expect(page.locator(f'tr[data-document="{document.pk}"] .decisions')).to_have_text(
        f"0 decided · 0 unresolved · {len(sentences)} open"
    )
    page.get_by_role("link", name="Curate").click()
    page.wait_for_selector("body[data-ready=true]")
    # Most contested first: the tie, then the 2-of-3, then the rest.
    expect(page.locator("#curate-body tr").first).to_have_attribute("data-sentence", str(sentences[2].pk))
    expect(row(page, sentences[1])).to_contain_text("speaker: the mayor")
    expect(row(page, sentences[1])).to_contain_text("note: said at the council")
    expect(row(page, sentences[1]).get_by_role("link", name="Council minutes")).to_be_visible()

    page.keyboard.press("a")  # a tie has no plurality to accept
    expect(page.locator("#decision-error")).to_contain_text("no plurality")
    page.keyboard.press("x")
    expect(row(page, sentences[2])).to_have_attribute("data-state", "unresolved")
    expect(row(page, sentences[1])).to_have_class("sentence-row open disagree current")
    page.keyboard.press("a")
    expect(row(page, sentences[1])).to_have_attribute("data-state", "decided")
    expect(row(page, sentences[1]).locator(".decision")).to_contain_text("quote adjudicated by lead")
    page.keyboard.press("k")
    page.keyboard.press("r")
    expect(page.locator("#decision-dialog")).to_be_visible()
    page.keyboard.type("The mayor's words are quoted.")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("mis")  # the category select, chosen by typing
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#decision-dialog")).to_be_hidden()
    expect(row(page, sentences[1]).locator(".rationale")).to_have_text("misreading: The mayor's words are quoted.")
    page.keyboard.press("j")
    page.keyboard.press("3")  # the label key decides "opinion"
    expect(row(page, sentences[0]).locator(".decision")).to_contain_text("opinion")
    page.keyboard.press("k")
    page.keyboard.press("Delete")
    expect(row(page, sentences[0])).to_have_attribute("data-state", "open")

    decisions = {d.sentence_id: d for d in Decision.objects.select_related("label")}
    assert decisions[sentences[2].pk].provenance == "unresolved"
    assert (decisions[sentences[1].pk].label.name, decisions[sentences[1].pk].category) == ("quote", "misreading")
    assert decisions[sentences[1].pk].rationale == "The mayor's words are quoted."
    assert sentences[0].pk not in decisions

    services.label_sentence(sentence=sentences[4], annotator=users["ben"], label_name="opinion")
    expect(row(page, sentences[4])).to_contain_text("ben", timeout=15_000)
    expect(page.locator("#summary")).to_contain_text("1 decided, 1 unresolved")
    screenshot(page, "curator")
    page.goto(f"/projects/{project.pk}/")
    expect(page.locator(f'tr[data-document="{document.pk}"] .decisions')).to_have_text(
        f"1 decided · 1 unresolved · {len(sentences) - 2} open"
    )
    assert page.errors == []


def test_auto_merge_is_previewed_then_run_and_refuses_a_bad_rule(new_page):
    _, document, _, sentences = labelled_study()
    page = open_curate(new_page(), "lead", document)
    page.get_by_role("button", name="Auto-merge…").click()
    page.get_by_label("At least this share agreeing (0 to 1)").fill("1.5")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#merge-error")).to_contain_text("min_share")
    expect(page.get_by_role("button", name="Merge", exact=True)).to_be_disabled()
    page.get_by_label("At least this share agreeing (0 to 1)").fill("0.6")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#merge-preview")).to_contain_text("Would decide 2 of")
    assert not Decision.objects.exists()
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page.locator("#merge-preview")).to_contain_text("Decided 2 of")
    page.get_by_role("button", name="Close").click()
    expect(row(page, sentences[0]).locator(".decision")).to_contain_text("unanimous")
    expect(row(page, sentences[1]).locator(".decision")).to_contain_text("majority")
    assert {d.provenance for d in Decision.objects.all()} == {"unanimous", "majority"}
    assert page.errors == []


def test_viewers_read_the_screen_without_deciding_and_it_fits_a_phone(new_page):
    project, document, _, sentences = labelled_study()
    add_member(project, Role.VIEWER, "vera")
    services_decided = Decision.objects.count()
    page = open_curate(new_page(PHONE), "vera", document)
    expect(page.get_by_role("button", name="Auto-merge…")).to_have_count(0)
    page.keyboard.press("x")
    page.keyboard.press("a")
    expect(row(page, sentences[2])).to_have_attribute("data-state", "open")
    assert Decision.objects.count() == services_decided
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.errors == []


def test_curator_downloads_the_gold_standard_from_the_exports_page(new_page):
    project, document, _users, sentences = labelled_study()
    page = open_curate(new_page(), "lead", document)
    page.keyboard.press("x")  # the tie, listed first, stays unresolved
    expect(row(page, sentences[2])).to_have_attribute("data-state", "unresolved")
    page.keyboard.press("a")  # the 2-of-3 sentence: its plurality becomes the gold
    expect(row(page, sentences[1])).to_have_attribute("data-state", "decided")

    page.set_viewport_size(PHONE)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Exports").click()
    expect(page.get_by_role("button", name="Download gold.csv")).to_be_visible()
    page.check("text=Pseudonymize reviewers")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download gold.csv").click()
    download = download_info.value
    assert download.suggested_filename == f"lede-project-{project.pk}-gold.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    # Lead labelled third, after Anna and Ben: annotator-3 in every pseudonymized file.
    assert [(int(r["sentence"]), r["label"], r["provenance"], r["agreeing_share"], r["decided_by"]) for r in rows] == [
        (sentences[1].pk, "quote", "adjudicated", "0.666667", "annotator-3"),
        (sentences[2].pk, "", "unresolved", "", "annotator-3"),
    ]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert page.errors == []


def test_curator_sorts_by_the_models_uncertainty_and_takes_its_consensus_by_choice(new_page):
    project, document, _, sentences = labelled_study()
    reports.compute_project_now(project)
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/documents/{document.pk}/curate/")
    page.wait_for_selector("body[data-ready=true]")
    page.get_by_label("Order").select_option("uncertain")
    # The tie (s2) is the sentence the model is least sure of; unlabelled sentences, with no posterior, come last.
    expect(page.locator("#curate-body tr").first).to_have_attribute("data-sentence", str(sentences[2].pk))
    assert not Decision.objects.exists()  # the model never decides by itself
    row(page, sentences[2]).locator("th").click()
    page.keyboard.press("r")
    label = page.get_by_label("Label", exact=True)
    expect(label.locator("#decision-model")).to_contain_text("model consensus:")
    model_option = label.locator("#decision-model").text_content()
    label.select_option(label=model_option)
    page.locator("#decision-dialog").get_by_role("button", name="Decide", exact=True).click()
    expect(row(page, sentences[2]).locator(".decision")).to_contain_text("model")
    assert Decision.objects.get(sentence=sentences[2]).provenance == "model"
    assert page.errors == []
