"""Data set-up shared by the browser tests (through the services, as the API would)."""

from annotator import services
from annotator.models import Role
from tests.factories import ProjectFactory, UserFactory, add_member, import_article

ARTICLE = (
    "Bridge to reopen\n\n"
    "Officials said the bridge would reopen on Monday. Critics called the plan reckless.\n\n"
    "\u201cWe will not wait any longer,\u201d the mayor said. The repairs cost $1.5 million.\n\n"
    "Traffic is expected to return to normal by June. Residents remain sceptical.\n\n"
    "Copyright 2024 The Courier. All rights reserved."
)


def study(*, blind: bool = True, text: str = ARTICLE, **metadata):
    """A project with an owner `lead` and annotators `anna` and `ben`, holding one article."""
    lead = UserFactory(username="lead")
    project = ProjectFactory(owner=lead, name="Bridge study", blind=blind)
    anna = add_member(project, Role.ANNOTATOR, "anna")
    ben = add_member(project, Role.ANNOTATOR, "ben")
    document = import_article(project, text=text, format="markdown", outlet="The Courier", **metadata)
    return project, document, {"lead": lead, "anna": anna, "ben": ben}


def label_all(document, user, names):
    for sentence, name in zip(document.sentences.order_by("index"), names, strict=False):
        services.label_sentence(sentence=sentence, annotator=user, label_name=name)
