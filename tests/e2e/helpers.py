"""Data set-up shared by the browser tests (through the services, as the API would)."""

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
