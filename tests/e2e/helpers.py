"""Data set-up shared by the browser tests (through the services, as the API would)."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from annotator import services
from annotator.models import Role
from tests.factories import SAMPLE_ARTICLE, DocumentFactory, ProjectFactory, UserFactory, add_member

# The sample article as a markdown page: a title line, its two paragraphs and a third.
ARTICLE = (
    f"Bridge to reopen\n\n{SAMPLE_ARTICLE}\n\n"
    "Traffic is expected to return to normal by June. Residents remain sceptical.\n\n"
    "Copyright 2024 The Courier. All rights reserved."
)


def study(*, blind: bool = True, text: str = ARTICLE, **metadata):
    """A project with an owner `lead` and annotators `anna` and `ben`, holding one article."""
    lead = UserFactory(username="lead")
    project = ProjectFactory(owner=lead, name="Bridge study", blind=blind)
    anna = add_member(project, Role.ANNOTATOR, "anna")
    ben = add_member(project, Role.ANNOTATOR, "ben")
    document = DocumentFactory(project=project, text=text, format="markdown", outlet="The Courier", **metadata)
    return project, document, {"lead": lead, "anna": anna, "ben": ben}


def training_article(project):
    """A two-sentence practice article of `project` whose first sentence has a reference label."""
    training = services.import_document(
        project=project,
        created_by=None,
        article=services.ArticleInput(text="Taxes rose. She said no.", title="Practice"),
    )
    services.set_document_design(document=training, training=True)
    services.set_reference(sentence=training.sentences.first(), label_name="claim", explanation="It can be checked.")
    return training


def violations(page) -> list[str]:
    """What axe-core finds to fix on the page: one line per rule broken, its id, what it says, and the first
    elements that break it."""
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']} {[node['target'] for node in v['nodes'][:3]]}" for v in found]


def wait_until_drawn(page) -> None:
    """Pages fill themselves from the API: check them once their scripts are done."""
    page.wait_for_load_state("networkidle")
    if page.locator("body.annotate, #curate-table").count():
        page.wait_for_selector("body[data-ready=true]")
    if page.locator("#freshness").count():
        expect(page.locator("#freshness")).to_have_attribute("data-status", "ready")
    if page.locator("#documents-chart").count():
        expect(page.locator("#documents-chart svg")).to_be_visible()


def open_settings(page, project) -> None:
    """The project's settings page, reached from the project's page as a lead would."""
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Settings").click()
    page.wait_for_selector("body[data-ready=true]")


def save_settings(page) -> None:
    """Save the settings form and wait until the page says they are saved."""
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#settings-status")).to_have_text("Settings saved.")


def lead_pages(project, document, training, invitation) -> dict[str, str]:
    """Every page a lead opens in a project, by name: the pages the accessibility and CSP walks visit."""
    return {
        "home": "/",
        "new-project": "/projects/new/",
        "project": f"/projects/{project.pk}/",
        "manage": f"/projects/{project.pk}/manage/",
        "settings": f"/projects/{project.pk}/settings/",
        "exports": f"/projects/{project.pk}/exports/",
        "annotate": f"/documents/{document.pk}/",
        "curate": f"/documents/{document.pk}/curate/",
        "reference": f"/documents/{training.pk}/reference/",
        "agreement": f"/projects/{project.pk}/agreement/",
        "coverage": f"/projects/{project.pk}/analysis/",
        "outlets": f"/projects/{project.pk}/outlets/",
        "session-resumed": "/session/resumed/",
        "join-logged-in": f"/join/{invitation.token}/",
        "password-change": "/accounts/password_change/",
    }
