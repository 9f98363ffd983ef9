"""A lead switches the model's suggestions on; a reviewer takes one by key (or by tapping it) and ignores another."""

import pytest
from playwright.sync_api import expect

from annotator import services as annotator_services
from annotator.models import Annotation, Role
from curation import services as curation_services
from machine import services as machine_services
from tests.factories import DocumentFactory, ProjectFactory, UserFactory, add_member
from tests.machine.conftest import CLAIMS, OPINIONS

from .conftest import DESKTOP, PHONE, log_in, open_annotation_screen
from .helpers import violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def trained_project():
    """An article for the reviewer (first: Lede gives articles in import order), four decided ones, a ready model."""
    lead = UserFactory(username="lead")
    project = ProjectFactory(owner=lead, name="Model study")
    anna = add_member(project, Role.ANNOTATOR, "anna")
    fresh = DocumentFactory(project=project, text=" ".join([CLAIMS[0], OPINIONS[0], CLAIMS[1]]))
    for number in range(4):
        text = " ".join(f"{sentence[:-1]} in case {number}." for sentence in CLAIMS + OPINIONS)
        document = DocumentFactory(project=project, text=text)
        for sentence in document.sentences.order_by("index"):
            label = "claim" if sentence.index < len(CLAIMS) else "opinion"
            curation_services.decide(sentence=sentence, curator=lead, label_name=label)
    version = machine_services.request_model(project=project, basis="gold", requested_by=lead)
    machine_services.run_training(version.pk)
    return project, fresh, anna


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_a_lead_switches_suggestions_on_and_a_reviewer_takes_one_and_ignores_another(new_page, viewport):
    project, fresh, anna = trained_project()
    lead_page = new_page(viewport)
    log_in(lead_page, "lead")
    lead_page.goto(f"/projects/{project.pk}/")
    lead_page.get_by_role("link", name="Manage").click()
    lead_page.get_by_role("link", name="Model", exact=True).click()
    lead_page.wait_for_selector("body[data-ready=true]")
    expect(lead_page.locator("#versions tr")).to_have_count(1)
    lead_page.get_by_label("Suggestions", exact=True).select_option("on")
    lead_page.get_by_label("Share of each reviewer's articles without suggestions").fill("0")
    lead_page.get_by_role("button", name="Save").click()
    expect(lead_page.locator("#suggestions-saved")).to_have_text("Saved: suggestions on, 0% of articles without.")
    assert violations(lead_page) == []

    assignment = annotator_services.next_assignment(project=project, reviewer=anna)
    assert assignment.document.pk == fresh.pk
    page = new_page(viewport)
    log_in(page, "anna")
    open_annotation_screen(page, fresh.pk)
    hints = page.locator(".sentence .suggestion")
    expect(hints).to_have_count(3)
    expect(hints.first).to_contain_text("model: claim")
    expect(page.locator("#suggestion-status")).to_contain_text("press a to take one")
    assert not Annotation.objects.filter(annotator=anna).exists()  # shown, never saved by itself
    assert violations(page) == []

    first, second = fresh.sentences.order_by("index")[:2]
    if viewport is PHONE:
        hints.first.click()  # by touch: tapping the hint takes it
    else:
        page.keyboard.press("a")
    expect(page.locator(f".sentence[data-id='{first.pk}']")).to_have_attribute("data-label", "claim")
    # The second sentence's suggestion says opinion; the reviewer reads it and labels it a quote.
    expect(hints.nth(1)).to_contain_text("model: opinion")
    page.keyboard.press("2")
    expect(page.locator(f".sentence[data-id='{second.pk}']")).to_have_attribute("data-label", "quote")
    expect(page.locator("#save-text")).to_have_text("All changes saved")
    saved = dict(Annotation.objects.filter(annotator=anna).values_list("sentence_id", "label__name"))
    assert saved == {first.pk: "claim", second.pk: "quote"}
    assert page.errors == []
