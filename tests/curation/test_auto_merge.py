"""The auto-merge: previewed with counts, recorded as `unanimous` or `majority` with its rule, never over a decision."""

import random
from collections import Counter

import pytest

from annotator import services
from annotator.models import Role
from curation.models import Decision, DecisionEvent
from curation.services import snapshot

from ..factories import DocumentFactory, add_member

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


def plurality(names: list[str]) -> tuple[str | None, int]:
    """The label most reviewers chose (None on a tie) and how many chose it, counted here independently."""
    counts = Counter(names).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return None, counts[0][1] if counts else 0
    return counts[0]


@pytest.fixture
def five_reviewers(team):
    """30 sentences, each labelled by up to five reviewers at random (some by none)."""
    reviewers = [add_member(team.project, Role.ANNOTATOR) for _ in range(5)]
    document = DocumentFactory(project=team.project, text=" ".join(f"Sentence {n} is said." for n in range(30)))
    chosen = random.Random(7)
    given = {}
    for sentence in document.sentences.order_by("index"):
        given[sentence.pk] = []
        for reviewer in reviewers:
            if chosen.random() < 0.75:
                name = chosen.choice(["claim", "claim", "quote", "opinion"])
                services.label_sentence(sentence=sentence, annotator=reviewer, label_name=name)
                given[sentence.pk].append(name)
    return document, given


@pytest.mark.parametrize(
    ("min_labels", "min_share"), [(1, 0.0), (2, 0.5), (3, 0.6), (3, 2 / 3), (4, 0.75), (2, 1.0), (6, 0.5)]
)
def test_merge_decides_what_an_independent_count_of_the_plurality_accepts(team, five_reviewers, min_labels, min_share):
    document, given = five_reviewers
    expected = {}
    for sentence_id, names in given.items():
        label, top = plurality(names)
        if label is not None and len(names) >= min_labels and top >= min_share * len(names):
            expected[sentence_id] = (label, "unanimous" if top == len(names) else "majority", len(names), top)
    rule = {"min_labels": min_labels, "min_share": min_share, "document": document.pk}
    preview = merge(team, **rule, dry_run=True).json()
    assert preview["decided"] == len(expected)
    assert preview["unanimous"] == sum(1 for *_, kind, _, _ in expected.values() if kind == "unanimous")
    assert preview["by_label"] == dict(Counter(label for label, *_ in expected.values()))
    assert merge(team, **rule).json() == {**preview, "dry_run": False}
    decided = {d.sentence_id: d for d in Decision.objects.select_related("label").filter(sentence__document=document)}
    assert decided.keys() == expected.keys()
    for sentence_id, (label, kind, labels, top) in expected.items():
        decision = decided[sentence_id]
        assert (decision.label.name, decision.provenance, decision.labels) == (label, kind, labels)
        assert decision.share == pytest.approx(top / labels)
        assert decision.rule == (None if kind == "unanimous" else {"min_labels": min_labels, "min_share": min_share})


def test_merge_history_records_each_decision_as_a_curators_decision_is_recorded(team, labelled):
    merge(team, min_labels=2, min_share=0.6)
    events = DecisionEvent.objects.select_related("actor").order_by("sentence__index")
    assert len(events) == 2
    for event in events:
        decision = Decision.objects.select_related("label").get(sentence=event.sentence_id)
        assert event.data == snapshot(decision, ())
        assert (event.action, event.actor, event.project) == ("decided", team.users["curator"], team.project)
        assert event.at == decision.decided_at
