"""The auto-merge: previewed with counts, recorded as `unanimous` or `majority` with its rule, never over a decision."""

import pytest

from annotator import services
from curation.models import Decision, DecisionEvent

from ..factories import DocumentFactory

pytestmark = pytest.mark.django_db

TEXT = "One is here. Two is there. Three is near. Four is far."


@pytest.fixture
def labelled(team):
    """Four sentences: unanimous claim, 2 of 3 quote, a 1-1 tie, and one label only."""
    document = DocumentFactory(project=team.project, text=TEXT)
    sentences = list(document.sentences.order_by("index"))
    labels = [
        {"owner": "claim", "annotator": "claim", "annotator2": "claim"},
        {"owner": "quote", "annotator": "quote", "annotator2": "opinion"},
        {"annotator": "claim", "annotator2": "opinion"},
        {"annotator": "opinion"},
    ]
    for sentence, by in zip(sentences, labels, strict=True):
        for who, name in by.items():
            services.label_sentence(sentence=sentence, annotator=team.users[who], label_name=name)
    return document, sentences


def merge(team, who="curator", **body):
    return team.client(who).post(f"/api/v1/projects/{team.project.pk}/decisions/auto/", body, format="json")


def test_dry_run_counts_and_writes_nothing(team, labelled):
    response = merge(team, min_labels=2, min_share=0.6, dry_run=True)
    assert response.status_code == 200
    outcome = response.json()
    assert outcome["dry_run"] is True
    assert outcome["sentences"] == 4 + team.document.sentences.count()
    assert (outcome["decided"], outcome["unanimous"], outcome["majority"]) == (2, 1, 1)
    assert outcome["by_label"] == {"claim": 1, "quote": 1}
    assert outcome["below_rule"] == outcome["sentences"] - 2
    assert not Decision.objects.exists()


def test_merge_records_provenance_rule_and_history(team, labelled):
    document, sentences = labelled
    outcome = merge(team, min_labels=2, min_share=0.6, document=document.pk).json()
    assert outcome["sentences"] == 4
    assert outcome["decided"] == 2
    unanimous, majority = Decision.objects.order_by("sentence__index").filter(sentence__document=document)
    assert (unanimous.provenance, unanimous.label.name, unanimous.rule) == ("unanimous", "claim", None)
    assert (majority.provenance, majority.label.name) == ("majority", "quote")
    assert majority.rule == {"min_labels": 2, "min_share": 0.6}
    assert majority.share == pytest.approx(2 / 3)
    assert majority.decided_by == team.users["curator"]
    assert DecisionEvent.objects.filter(sentence=sentences[1], data__provenance="majority").count() == 1


def test_merge_never_overwrites_a_curators_decision(team, labelled):
    _, sentences = labelled
    team.client("owner").put(f"/api/v1/sentences/{sentences[1].pk}/decision/", {"label": "opinion"}, format="json")
    outcome = merge(team, min_labels=1, min_share=0.5).json()
    assert outcome["decided_before"] == 1
    assert Decision.objects.get(sentence=sentences[1]).label.name == "opinion"
    assert Decision.objects.get(sentence=sentences[3]).provenance == "unanimous"
    assert not Decision.objects.filter(sentence=sentences[2]).exists()  # a tie is left to a curator
    assert merge(team, min_labels=1, min_share=0.5).json()["decided"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [({"min_share": 1.5}, "min_share"), ({"min_labels": 0}, "min_labels"), ({"document": 999999}, "document")],
)
def test_a_bad_rule_is_a_400_naming_the_field(team, labelled, body, field):
    response = merge(team, **body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Decision.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("annotator", 403), ("outsider", 404)])
def test_only_owners_and_curators_merge(team, labelled, who, status):
    assert merge(team, who).status_code == status
    assert not Decision.objects.exists()
