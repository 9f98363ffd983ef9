"""Fixtures shared by the tests of `claims`."""

import pytest

from annotator import services
from tests.factories import DocumentFactory


@pytest.fixture
def covered(team, django_capture_on_commit_callbacks):
    """Two outlets rated left and right, two articles each, labelled by two reviewers with sources and speakers
    (the team's own article stays unlabelled, so it is in no group)."""
    services.create_outlet(project=team.project, name="Left Daily", domain="left.example", leaning="left")
    services.create_outlet(project=team.project, name="Right Times", leaning="right")
    articles = [
        DocumentFactory(project=team.project, url="https://left.example/a", published="2024-01-05", topics=["bridges"]),
        DocumentFactory(project=team.project, outlet="Left Daily", published="2024-02-01"),
        DocumentFactory(
            project=team.project, outlet="right times", published="2024-01-20", topics=["bridges", "budget"]
        ),
        DocumentFactory(project=team.project, outlet="Right Times"),
    ]
    given = {
        "annotator": ["claim", "opinion", "quote", "claim"],
        "annotator2": ["claim", "claim", "quote", "opinion"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        for document in articles:
            for sentence, *names in zip(document.sentences.order_by("index"), *given.values(), strict=True):
                for who, name in zip(given, names, strict=True):
                    services.label_sentence(
                        sentence=sentence,
                        annotator=team.users[who],
                        label_name=name,
                        sources=[services.SourceInput(url="https://www.data.gov/x")] if name == "claim" else (),
                        speaker="the mayor" if name == "quote" else "",
                    )
    return team
