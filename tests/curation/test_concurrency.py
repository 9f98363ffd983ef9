"""Two curators deciding one sentence at once, each on its own connection: one decision, both in history."""

import pytest

from curation import merge, services
from curation.models import Decision, DecisionEvent
from curation.plurality import Rule

from ..annotator.test_concurrency import ROUNDS, run_at_once
from ..factories import DocumentFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sentences(team):
    text = " ".join(f"Statement {n} was made in public." for n in range(ROUNDS))
    return list(DocumentFactory(project=team.project, text=text).sentences.select_related("document__project"))


def decide(sentence, curator, label):
    return lambda: services.decide(sentence=sentence, curator=curator, label_name=label)


def test_two_curators_deciding_at_once_end_with_one_decision_and_both_in_history(team, sentences):
    owner, curator = team.users["owner"], team.users["curator"]
    for sentence in sentences:
        run_at_once(decide(sentence, owner, "claim"), decide(sentence, curator, "opinion"))
    for sentence in sentences:
        [decision] = Decision.objects.filter(sentence=sentence)
        events = list(DecisionEvent.objects.filter(sentence=sentence).order_by("id"))
        assert sorted(event.actor.username for event in events) == ["carl", "olivia"]
        assert events[-1].data["label"] == decision.label.name
        assert decision.decided_by == events[-1].actor


def test_a_curator_deciding_during_a_merge_keeps_the_decision(team, sentences):
    from annotator import services as annotator_services

    for sentence in sentences:
        for who in ("annotator", "annotator2"):
            annotator_services.label_sentence(sentence=sentence, annotator=team.users[who], label_name="claim")
    merging = lambda: merge.auto_merge(  # noqa: E731
        project=team.project, rule=Rule(), actor=team.users["owner"], dry_run=False
    )
    run_at_once(merging, *(decide(sentence, team.users["curator"], "quote") for sentence in sentences[:3]))
    for sentence in sentences[:3]:
        decision = Decision.objects.get(sentence=sentence)
        if decision.provenance == "adjudicated":
            assert decision.label.name == "quote"
        events = DecisionEvent.objects.filter(sentence=sentence).order_by("id")
        assert events.last().data["label"] == decision.label.name
    assert Decision.objects.filter(sentence__in=sentences).count() == ROUNDS
