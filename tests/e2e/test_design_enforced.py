"""The study design as a reviewer who fails training meets it, by key at 1,280 px and by touch at 390 px, and a
lead who lets them through on the project page."""

import pytest
from playwright.sync_api import expect

from annotator import services
from annotator.models import Annotation, AnnotationEvent
from tests.factories import DocumentFactory

from .conftest import DESKTOP, PHONE, log_in
from .helpers import study, violations, wait_until_drawn

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHORT = "The council met on Monday. It voted to reopen the bridge."


def training_study():
    """A project whose gate asks for every reference label; a training article with two of them (claim, claim)."""
    project, document, users = study(title="Bridge to reopen")
    training = DocumentFactory(project=project, text=SHORT, title="Practice")
    services.set_document_design(document=training, training=True)
    for sentence in training.sentences.order_by("index"):
        services.set_reference(sentence=sentence, label_name="claim", explanation="A fact of record.")
    services.update_project(project=project, training_threshold=1.0)
    return project, document, training, users


def press_or_tap(page, touch: bool, key: str, button: str) -> None:
    if touch:
        page.get_by_role("button", name=button).tap()
    else:
        page.keyboard.press(key)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop-keys", "phone-touch"])
def test_a_reviewer_who_fails_training_can_label_nothing_else_by_any_link_or_key(new_page, viewport):
    project, document, _, _ = training_study()
    touch = viewport == PHONE
    page = new_page(viewport, has_touch=touch)
    log_in(page, "anna")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("button", name="Continue labelling").click()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("h1")).to_have_text("Practice")
    # A wrong first answer, then the right one after the reference is shown: the gate keeps the first.
    press_or_tap(page, touch, "3", "3 opinion")
    expect(page.locator("#training-panel")).to_contain_text("You said opinion; the reference is claim.")
    press_or_tap(page, touch, "1", "1 claim")
    expect(page.locator("#training-panel")).to_contain_text("Right.")
    if touch:
        page.locator("#sentences .sentence").first.tap()
    else:
        page.keyboard.press("Home")
    press_or_tap(page, touch, "1", "1 claim")
    expect(page.locator("#save-text")).to_have_text("All changes saved")

    # The project page offers no Label on real articles and says why; Continue labelling says the figures.
    page.goto(f"/projects/{project.pk}/")
    wait_until_drawn(page)
    row = page.locator(f"tr[data-document='{document.pk}']")
    expect(row.get_by_role("link", name="Label")).to_have_count(0)
    expect(row).to_contain_text("Training first")
    expect(page.locator("#held-in-training")).to_contain_text("You are in training")
    assert violations(page) == []
    page.get_by_role("button", name="Continue labelling").click()
    expect(page.locator("body")).to_contain_text("1 of 2 training sentences")

    # The article opened directly is read-only and says why; every key and button leaves it unlabelled.
    page.goto(f"/documents/{document.pk}/")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#read-only")).to_contain_text("You are in training")
    for button in page.locator(".label-button, #open-sources, #undo").all():
        expect(button).to_be_disabled()
    if touch:
        page.locator("#sentences .sentence").nth(1).tap()
        page.get_by_role("button", name="Keys").tap()
        page.keyboard.press("Escape")
    else:
        for key in ["1", "2", "3", "j", "Delete", "k", "Backspace", "s", "u", "n", "End", "Home", "1"]:
            page.keyboard.press(key)
    expect(page.locator("#sources-panel")).to_be_hidden()
    expect(page.locator("#save-text")).to_have_text("All changes saved")
    expect(page.locator("#sentences .sentence.labelled")).to_have_count(0)
    assert violations(page) == []
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#sentences .sentence.labelled")).to_have_count(0)
    assert not Annotation.objects.filter(sentence__document=document).exists()
    assert page.errors == []


def test_a_lead_lets_a_held_reviewer_through_on_the_project_page(new_page):
    project, document, training, users = training_study()
    first, second = training.sentences.order_by("index")
    services.label_sentence(sentence=first, annotator=users["anna"], label_name="opinion")
    services.reveal_reference(sentence=first, reviewer=users["anna"])
    services.label_sentence(sentence=first, annotator=users["anna"], label_name="claim")
    services.label_sentence(sentence=second, annotator=users["anna"], label_name="claim")
    page = new_page()
    log_in(page, "lead")
    page.goto(f"/projects/{project.pk}/")
    wait_until_drawn(page)
    held = page.locator("tr[data-training='anna']")
    expect(held).to_contain_text("1 of 2")
    expect(held.locator(".standing")).to_have_text("held in training")
    assert violations(page) == []
    page.get_by_role("button", name="Let anna through").click()
    expect(page.locator("tr[data-training='anna'] .standing")).to_have_text("let through by a lead")
    event = AnnotationEvent.objects.get(action="let_through")
    assert (event.annotator.username, event.actor.username, event.data["agreed"]) == ("anna", "lead", 1)

    reviewer = new_page()
    log_in(reviewer, "anna")
    reviewer.goto(f"/projects/{project.pk}/")
    reviewer.locator(f"tr[data-document='{document.pk}']").get_by_role("link", name="Label").click()
    reviewer.wait_for_selector("body[data-ready=true]")
    expect(reviewer.locator("#read-only")).to_have_count(0)
    reviewer.keyboard.press("1")
    expect(reviewer.locator("#save-text")).to_have_text("All changes saved")
    assert Annotation.objects.filter(sentence__document=document, annotator=users["anna"]).count() == 1

    page.get_by_role("button", name="Send anna back to training").click()
    expect(page.locator("tr[data-training='anna'] .standing")).to_have_text("sent back to training")
    reviewer.reload()
    reviewer.wait_for_selector("body[data-ready=true]")
    expect(reviewer.locator("#read-only")).to_contain_text("You are in training")
    assert page.errors == []
    assert reviewer.errors == []
