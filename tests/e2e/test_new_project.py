"""A lead creates a project on /projects/new/ by typing and clicking, and sees what is wrong when it cannot be."""

import pytest
from playwright.sync_api import expect

from annotator.models import Project
from tests.factories import UserFactory

from .conftest import DESKTOP, PHONE, log_in
from .helpers import violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def scheme(project: Project) -> list[tuple[str, str, str, str]]:
    return [(label.name, label.key, label.color, label.description) for label in project.labels.order_by("order")]


def open_new_project_page(new_page):
    UserFactory(username="lead")
    page = new_page()
    log_in(page, "lead")
    page.goto("/")
    page.get_by_role("link", name="New project").click()
    page.wait_for_selector("body[data-ready=true]")
    return page


def type_into(page, label: str, text: str) -> None:
    """Click a field, select what it holds and type over it, as a person does."""
    field = page.get_by_label(label, exact=True)
    field.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def test_lead_creates_a_project_with_the_default_scheme_and_lands_on_it(new_page):
    page = open_new_project_page(new_page)
    type_into(page, "Name", "Election coverage")
    type_into(page, "Description (optional)", "Claims in the campaign's last week.")
    page.get_by_role("button", name="Create project").click()

    page.wait_for_url("**/projects/*/manage/")
    project = Project.objects.get()
    assert page.url.endswith(f"/projects/{project.pk}/manage/")
    expect(page.get_by_role("heading", name="Manage Election coverage")).to_be_visible()
    assert (project.name, project.description, project.scale, project.blind) == (
        "Election coverage",
        "Claims in the campaign's last week.",
        "nominal",
        True,
    )
    assert [(name, key) for name, key, _, _ in scheme(project)] == [("claim", "1"), ("quote", "2"), ("opinion", "3")]
    assert page.errors == []


def test_lead_creates_a_project_with_a_scheme_of_their_own(new_page):
    page = open_new_project_page(new_page)
    type_into(page, "Name", "Speculation study")
    page.get_by_label("Scale").select_option("ordinal")
    page.get_by_label("Blind: annotators see only their own labels").uncheck()

    type_into(page, "Label 1 name", "fact")
    type_into(page, "Label 1 key", "f")
    page.get_by_label("Label 1 color").fill("#8c564b")
    type_into(page, "Label 1 description", "Checkable against a record.")
    page.get_by_role("button", name="Remove label 3").click()
    page.get_by_role("button", name="Add a label").click()
    expect(page.get_by_label("Label 4 name")).to_be_focused()
    page.keyboard.type("speculation")
    page.keyboard.press("Tab")
    page.keyboard.type("p")
    page.get_by_label("Label 4 color").fill("#9467bd")
    type_into(page, "Label 4 description", "A guess about the future.")
    page.get_by_role("button", name="Move label 4 up").click()
    expect(page.get_by_role("button", name="Move label 4 up")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Create project").click()

    page.wait_for_url("**/projects/*/manage/")
    project = Project.objects.get()
    assert page.url.endswith(f"/projects/{project.pk}/manage/")
    assert (project.scale, project.blind) == ("ordinal", False)
    assert scheme(project) == [
        ("speculation", "p", "#9467bd", "A guess about the future."),
        ("fact", "f", "#8c564b", "Checkable against a record."),
        ("quote", "2", "#2ca02c", "Words attributed to a speaker."),
    ]
    expect(page.locator(".label-chip")).to_have_text(["speculation", "fact", "quote"])
    assert page.errors == []


def test_a_key_used_twice_is_shown_beside_that_key_and_nothing_is_created(new_page):
    page = open_new_project_page(new_page)
    type_into(page, "Name", "Twice")
    type_into(page, "Label 2 key", "1")
    page.get_by_role("button", name="Create project").click()

    key = page.get_by_label("Label 2 key", exact=True)
    expect(key).to_have_attribute("aria-invalid", "true")
    expect(key).to_have_accessible_description("The key '1' is used by two labels.")
    expect(key).to_be_focused()
    expect(page.locator("#label-2-key + .field-error")).to_be_visible()
    expect(page.locator("#form-error")).to_be_empty()
    assert page.url.endswith("/projects/new/")
    assert not Project.objects.exists()

    type_into(page, "Label 2 key", "2")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url("**/projects/*/manage/")
    assert Project.objects.get().name == "Twice"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_a_key_that_a_screen_uses_is_refused_beside_it_and_the_page_says_which_keys_are_free(new_page, viewport):
    UserFactory(username="lead")
    page = new_page(viewport)
    log_in(page, "lead")
    page.goto("/projects/new/")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#free-keys")).to_contain_text("Free keys: 0 1 2 3 4 5 6 7 8 9 b c d e f h i l")
    expect(page.locator("#free-keys")).to_contain_text("Taken by the screens' shortcuts: ? a g j k n r s u x")
    type_into(page, "Name", "Guidelines study")
    type_into(page, "Label 3 key", "g")
    page.get_by_role("button", name="Create project").click()

    key = page.get_by_label("Label 3 key", exact=True)
    expect(key).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#label-3-key + .field-error")).to_contain_text(
        "g is the key for “the project's guidelines and what each label means” on the annotation screen"
    )
    expect(page.locator("#label-3-key + .field-error")).to_be_in_viewport()
    assert not Project.objects.exists()
    assert violations(page) == []

    type_into(page, "Label 3 key", "o")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url("**/projects/*/manage/")
    assert [label.key for label in Project.objects.get().labels.order_by("order")] == ["1", "2", "o"]


def test_a_project_without_a_name_is_refused_beside_the_name(new_page):
    page = open_new_project_page(new_page)
    page.get_by_role("button", name="Create project").click()

    name = page.get_by_label("Name", exact=True)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description("This field may not be blank.")
    assert not Project.objects.exists()


def test_lead_creates_a_project_that_keeps_quotations_whole(new_page):
    page = open_new_project_page(new_page)
    type_into(page, "Name", "Quotes study")
    page.get_by_label("Keep a quotation that spans sentences as one unit").check()
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url("**/projects/*/manage/")
    assert Project.objects.get().whole_quotations is True
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_label("Keep a quotation that spans sentences as one unit")).to_be_checked()
