"""A project whose articles a model can learn: checkable claims and opinions, decided by a curator."""

import pytest

from annotator import services as annotator_services
from annotator.models import Role
from curation import services as curation_services
from tests.factories import DocumentFactory, ProjectFactory, UserFactory, add_member

CLAIMS = [
    "The council voted 5 to 2 on Monday to close the bridge.",
    "The budget rose by 12 percent in 2023.",
    "Police reported 40 arrests during the weekend.",
    "The company employs 3,000 workers in the region.",
    "The report was published on 4 March.",
]
OPINIONS = [
    "This is a disgraceful decision by a cowardly council.",
    "Frankly, the plan is a terrible idea.",
    "Nobody sensible could support such nonsense.",
    "It is an outrageous waste of money.",
    "The mayor should be ashamed of himself.",
]


@pytest.fixture
def study(db):
    """Six articles of ten sentences (five claims, five opinions), every sentence decided by the curator,
    a calibration article, and two reviewers."""
    owner = UserFactory(username="lena")
    project = ProjectFactory(owner=owner, name="Model study")
    curator = add_member(project, Role.CURATOR, "cora")
    reviewers = [add_member(project, Role.ANNOTATOR, name) for name in ("rita", "ravi")]
    articles = []
    for number in range(6):
        sentences = [f"{text[:-1]} in case {number}." for text in CLAIMS + OPINIONS]
        document = DocumentFactory(project=project, title=f"Article {number}", text=" ".join(sentences))
        articles.append(document)
        for sentence in document.sentences.order_by("index"):
            label = "claim" if sentence.index < len(CLAIMS) else "opinion"
            curation_services.decide(sentence=sentence, curator=curator, label_name=label)
    calibration = DocumentFactory(project=project, title="Calibration", text=" ".join(CLAIMS + OPINIONS))
    annotator_services.set_document_design(document=calibration, calibration=True)
    return {
        "project": project,
        "owner": owner,
        "curator": curator,
        "reviewers": reviewers,
        "articles": articles,
        "calibration": calibration,
    }
