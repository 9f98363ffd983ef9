"""A lead sets a study's design through its pages; reviewers continue labelling what it assigns them."""

import pytest
from playwright.sync_api import expect

from annotator import services
from annotator.models import Assignment, Document, Project, ReferenceLabel
from curation import services as curation_services
from tests.factories import DocumentFactory

from .conftest import DESKTOP, PHONE, log_in
from .helpers import study
from .test_accessibility import violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHORT = "The council met on Monday. It voted to reopen the bridge."


def add_article(project, title: str):
    return DocumentFactory(project=project, text=SHORT, title=title)


def continue_into(page, title: str) -> None:
    """Press the page's Continue labelling and wait for the article `title` to open."""
    page.get_by_role("button", name="Continue labelling").click()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("h1")).to_have_text(title)


def label_both_sentences(page) -> None:
    """Label the short article's two sentences from the keyboard and wait until both are saved."""
    page.keyboard.press("1")
    page.keyboard.press("1")
    expect(page.locator("#save-text")).to_have_text("All changes saved")


def expect_nothing_left(page) -> None:
    """Continue labelling once all is done: the reviewer is told there is nothing left."""
    page.get_by_role("button", name="Continue labelling").click()
    expect(page.locator(".messages").first).to_contain_text("You have labelled every sentence assigned to you")


def test_lead_sets_the_design_flags_articles_and_assigns_by_hand(new_page):
    project, document, _ = study(title="Bridge to reopen")
    add_article(project, "Council vote")
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Settings").click()

    page.get_by_label("Reviewers per article").fill("0")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-error")).to_contain_text("overlap")
    assert Project.objects.get(pk=project.pk).overlap is None

    page.get_by_label("Reviewers per article").fill("1")
    page.get_by_label("Take back untouched articles after (hours)").fill("48")
    page.get_by_label("Training accuracy required (%)").fill("80")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-status")).to_have_text("Settings saved.")
    project.refresh_from_db()
    assert (project.overlap, project.reclaim_after.days, project.training_threshold) == (1, 2, 0.8)

    page.goto(f"/projects/{project.pk}/")
    page.get_by_label("Use of Council vote").select_option("calibration")
    expect(page.locator("#use-status")).to_have_text("“Council vote” is now calibration.")
    assert Document.objects.get(title="Council vote").calibration

    page.get_by_role("button", name="Assign Bridge to reopen").click()
    expect(page.locator("#assign-list")).to_contain_text("No one yet.")
    page.get_by_label("Reviewer").select_option("anna")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#assign-list")).to_contain_text("anna")
    page.get_by_label("Reviewer").select_option("ben")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#assign-error")).to_contain_text("overlap")
    page.get_by_role("button", name="Unassign anna").click()
    expect(page.locator("#assign-list")).to_contain_text("No one yet.")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#assign-list")).to_contain_text("ben (0 of 6 labelled, by lead)")
    page.get_by_role("button", name="Close").click()
    page.wait_for_load_state("load")
    expect(page.locator("table.design")).to_contain_text("ben")
    expect(page.locator(f"tr[data-document='{document.pk}'] .assigned-cell")).to_have_text("1 assigned, 0 done")
    assert list(Assignment.objects.values_list("reviewer__username", flat=True)) == ["ben"]
    assert page.errors == []


def test_reviewer_continues_with_calibration_then_what_is_left(new_page):
    project, document, users = study(title="Bridge to reopen")
    calibration = add_article(project, "Council vote")
    services.set_document_design(document=calibration, calibration=True)
    services.update_project(project=project, overlap=1)
    services.assign(document=document, reviewer_username="ben", assigned_by=users["lead"])
    page = new_page(PHONE)
    log_in(page, "anna")
    continue_into(page, "Council vote")
    label_both_sentences(page)
    page.goto("/")
    expect(page.locator(".assigned")).to_have_text("Your articles: 1 assigned, 1 done, 0 remaining")
    expect_nothing_left(page)
    assert page.errors == []


def test_reviewer_in_training_sees_the_reference_after_each_answer_and_is_held_back(new_page):
    project, document, _ = study(title="Bridge to reopen")
    training = add_article(project, "Practice")
    services.set_document_design(document=training, training=True)
    first, second = training.sentences.order_by("index")
    services.set_reference(sentence=first, label_name="claim", explanation="It can be checked in the minutes.")
    services.set_reference(sentence=second, label_name="claim", explanation="A vote is a fact.")
    services.update_project(project=project, training_threshold=1.0)
    page = new_page()
    log_in(page, "anna")
    page.goto(f"/projects/{project.pk}/")
    continue_into(page, "Practice")
    page.keyboard.press("1")
    expect(page.locator("#training-panel")).to_contain_text("Right. It can be checked in the minutes.")
    page.keyboard.press("3")
    expect(page.locator("#training-panel")).to_contain_text(
        "You said opinion; the reference is claim. A vote is a fact."
    )
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("button", name="Continue labelling").click()
    expect(page.locator("body")).to_contain_text("1 of 2 training sentences")
    assert not Assignment.objects.filter(document=document).exists()
    assert page.errors == []


def reference_rows(document) -> list[tuple[int, str, str]]:
    return [
        (reference.sentence.index + 1, reference.label.name, reference.explanation)
        for reference in ReferenceLabel.objects.filter(sentence__document=document).order_by("sentence__index")
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_lead_sets_reference_labels_from_decisions_a_file_and_by_hand(new_page, tmp_path, viewport):
    project, _, users = study(title="Bridge to reopen")
    training = add_article(project, "Practice")
    services.set_document_design(document=training, training=True)
    first, _ = training.sentences.order_by("index")
    curation_services.decide(sentence=first, curator=users["lead"], label_name="claim", rationale="The minutes say so.")
    page = new_page(viewport)
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Reference labels of Practice").click()
    expect(page.locator("h1")).to_have_text("Reference labels of “Practice”")

    page.get_by_role("button", name="Use the decided labels").click()
    expect(page.locator("#decisions-status")).to_have_text("1 reference label taken from the decisions.")
    expect(page.get_by_label("Reference label of sentence 1")).to_have_value("claim")
    expect(page.get_by_label("Explanation of sentence 1")).to_have_value("The minutes say so.")
    assert reference_rows(training) == [(1, "claim", "The minutes say so.")]

    bad = tmp_path / "bad.csv"
    bad.write_text("sentence,label,explanation\n2,verdict,Made up.\n")
    page.get_by_label("CSV or JSONL file").set_input_files(bad)
    page.get_by_role("button", name="Import references").click()
    expect(page.locator("#import-error")).to_contain_text("Line 2: 'verdict' is not a label here")
    assert reference_rows(training) == [(1, "claim", "The minutes say so.")]
    good = tmp_path / "references.csv"
    good.write_text("sentence,label,explanation\n2,opinion,A vote is a fact.\n")
    page.get_by_label("CSV or JSONL file").set_input_files(good)
    page.get_by_role("button", name="Import references").click()
    expect(page.locator("#import-status")).to_have_text("Imported: 2 of 2 sentences now have a reference label.")
    expect(page.get_by_label("Reference label of sentence 2")).to_have_value("opinion")

    page.get_by_label("Reference label of sentence 2").select_option("claim")
    page.get_by_label("Explanation of sentence 2").fill("The vote happened: it can be checked.")
    page.get_by_role("button", name="Save sentence 2").click()
    expect(page.locator(f"#reference-{training.sentences.get(index=1).pk}-status")).to_have_text("Saved.")
    assert reference_rows(training) == [
        (1, "claim", "The minutes say so."),
        (2, "claim", "The vote happened: it can be checked."),
    ]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
    assert violations(page) == []
    page.get_by_role("link", name="Curate").click()
    page.get_by_role("link", name="Reference labels").click()
    expect(page.get_by_label("Explanation of sentence 2")).to_have_value("The vote happened: it can be checked.")
    assert page.errors == []


def test_reviewer_continues_labelling_from_the_project_page_into_each_assigned_article(new_page):
    project, document, users = study(title="Bridge to reopen")
    second = add_article(project, "Council vote")
    services.update_project(project=project, overlap=1)
    services.assign(document=document, reviewer_username="ben", assigned_by=users["lead"])
    page = new_page()
    log_in(page, "anna")
    page.goto(f"/projects/{project.pk}/")
    continue_into(page, "Council vote")
    assert list(Assignment.objects.filter(reviewer=users["anna"]).values_list("document_id", flat=True)) == [second.pk]
    label_both_sentences(page)
    page.goto(f"/projects/{project.pk}/")
    expect_nothing_left(page)
    assert page.errors == []


def test_training_feedback_in_a_blind_project_shows_the_reference_and_nobody_elses_labels(new_page):
    project, _, users = study(title="Bridge to reopen")
    training = add_article(project, "Practice")
    services.set_document_design(document=training, training=True)
    first, second = training.sentences.order_by("index")
    services.set_reference(sentence=first, label_name="claim", explanation="It can be checked in the minutes.")
    for sentence in (first, second):
        services.label_sentence(sentence=sentence, annotator=users["ben"], label_name="quote", note="ben-was-here")
    curation_services.decide(sentence=second, curator=users["lead"], label_name="opinion", rationale="Lead-only note.")
    page = new_page()
    log_in(page, "anna")
    page.goto(f"/projects/{project.pk}/")
    continue_into(page, "Practice")
    page.keyboard.press("3")
    expect(page.locator("#training-panel")).to_contain_text(
        "You said opinion; the reference is claim. It can be checked in the minutes."
    )
    page.keyboard.press("1")
    expect(page.locator("#save-text")).to_have_text("All changes saved")
    expect(page.locator("#training-panel li")).to_have_count(1)
    body = page.locator("body").inner_text()
    assert "ben-was-here" not in body
    assert "Lead-only note." not in body
    expect(page.get_by_text("ben", exact=True)).to_have_count(0)
    assert page.errors == []
