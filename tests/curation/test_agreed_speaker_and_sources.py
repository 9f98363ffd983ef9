"""A decision's speaker and sources: given by the curator, or those the reviewers who gave its label agree on."""

import pytest

from annotator import services
from annotator.models import Role
from curation.models import Decision, DecisionEvent

from ..factories import DocumentFactory, add_member

pytestmark = pytest.mark.django_db

TEXT = "One is here. Two is there. Three is near. Four is far."
MINUTES = "https://city.example/minutes"
RADIO = "https://radio.example/interview"
BLOG = "https://blog.example/post"


@pytest.fixture
def reviewers(team):
    """anna and ben of the team, and two more annotators: four reviewers."""
    return {
        "anna": team.users["annotator"],
        "ben": team.users["annotator2"],
        "cleo": add_member(team.project, Role.ANNOTATOR, "cleo"),
        "dan": add_member(team.project, Role.ANNOTATOR, "dan"),
    }


def give(sentence, reviewers, labels: dict) -> None:
    """`labels`: reviewer -> (label, speaker, [source urls]) on `sentence`."""
    for who, (name, speaker, urls) in labels.items():
        services.label_sentence(
            sentence=sentence,
            annotator=reviewers[who],
            label_name=name,
            speaker=speaker,
            sources=[services.SourceInput(url=url, title=f"{who}'s {url.split('/')[2]}") for url in urls],
        )


@pytest.fixture
def sentences(team, reviewers):
    """Four sentences, each labelled quote by most reviewers, with speakers and sources that agree or not."""
    document = DocumentFactory(project=team.project, text=TEXT)
    found = list(document.sentences.order_by("index"))
    # 0: three of three name the mayor (case and spaces aside); minutes cited by all, radio by one of three.
    give(found[0], reviewers, {
        "anna": ("quote", "The Mayor", [MINUTES, RADIO]),
        "ben": ("quote", "the  mayor ", [MINUTES]),
        "cleo": ("quote", "THE MAYOR", [MINUTES]),
    })  # fmt: skip
    # 1: the quote reviewers split 2-2 on the speaker; radio cited by two of four (half: kept).
    give(found[1], reviewers, {
        "anna": ("quote", "the mayor", [RADIO]),
        "ben": ("quote", "the mayor", []),
        "cleo": ("quote", "the governor", [RADIO]),
        "dan": ("quote", "the governor", []),
    })  # fmt: skip
    # 2: two of three quote reviewers name the governor and cite the minutes;
    # the opinion reviewer names the mayor and cites a blog.
    give(found[2], reviewers, {
        "anna": ("quote", "the governor", [MINUTES]),
        "ben": ("quote", "the governor", [MINUTES]),
        "cleo": ("quote", "", []),
        "dan": ("opinion", "the mayor", [BLOG]),
    })  # fmt: skip
    # 3: one speaker named by one of three quote reviewers, one source cited by one of three: neither kept.
    give(found[3], reviewers, {
        "anna": ("quote", "a voter", [BLOG]),
        "ben": ("quote", "", []),
        "cleo": ("quote", "", []),
    })  # fmt: skip
    return found


def put(team, sentence, body, who="curator"):
    return team.client(who).put(f"/api/v1/sentences/{sentence.pk}/decision/", body, format="json")


def urls(decision: dict) -> list[str]:
    return [source["url"] for source in decision["sources"]]


EXPECTED = [
    ("The Mayor", [MINUTES]),
    ("", [RADIO]),
    ("the governor", [MINUTES]),
    ("", []),
]


def test_a_decision_without_speaker_or_sources_keeps_what_the_reviewers_of_its_label_agree_on(team, sentences):
    found = [put(team, sentence, {"label": "quote"}).json() for sentence in sentences]
    assert [(decision["speaker"], urls(decision)) for decision in found] == EXPECTED
    # The first citation gives the title; a source cited once by each keeps one entry.
    assert found[0]["sources"] == [{"url": MINUTES, "title": "anna's city.example", "note": ""}]


def test_the_reviewers_of_another_label_do_not_count(team, sentences):
    decision = put(team, sentences[2], {"label": "opinion"}).json()
    assert (decision["speaker"], urls(decision)) == ("the mayor", [BLOG])


def test_the_curator_gives_speaker_and_sources_of_their_own(team, sentences):
    body = {
        "label": "quote",
        "speaker": "  the deputy mayor ",
        "sources": [{"url": BLOG, "title": "Blog", "note": "second paragraph"}],
    }
    response = put(team, sentences[0], body)
    assert response.status_code == 201
    assert (response.json()["speaker"], response.json()["sources"]) == (
        "the deputy mayor",
        [{"url": BLOG, "title": "Blog", "note": "second paragraph"}],
    )
    event = DecisionEvent.objects.get(sentence=sentences[0])
    assert (event.data["speaker"], event.data["sources"][0]["url"]) == ("the deputy mayor", BLOG)
    # Given empty, they stay empty: the curator can drop what the reviewers agreed on.
    emptied = put(team, sentences[0], {"label": "quote", "speaker": "", "sources": []}).json()
    assert (emptied["speaker"], emptied["sources"]) == ("", [])


def test_the_speaker_alone_given_keeps_the_agreed_sources(team, sentences):
    decision = put(team, sentences[0], {"label": "quote", "speaker": "Jane Roe"}).json()
    assert (decision["speaker"], urls(decision)) == ("Jane Roe", [MINUTES])


def test_an_unresolved_sentence_has_neither(team, sentences):
    decision = put(team, sentences[0], {"label": None}).json()
    assert (decision["speaker"], decision["sources"]) == ("", [])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"label": "quote", "speaker": "x" * 301}, "speaker"),
        ({"label": "quote", "speaker": ["the mayor"]}, "speaker"),
        ({"label": "quote", "sources": "https://city.example"}, "sources"),
        ({"label": "quote", "sources": [{"title": "no address"}]}, "sources"),
        ({"label": "quote", "sources": [{"url": "javascript:alert(1)"}]}, "sources"),
        ({"label": "quote", "sources": [{"url": MINUTES}] * 51}, "sources"),
        ({"label": None, "speaker": "the mayor"}, "speaker"),
        ({"label": None, "sources": [{"url": MINUTES}]}, "sources"),
    ],
)
def test_bad_speaker_or_sources_is_a_400_naming_the_field_and_changes_nothing(team, sentences, body, field):
    put(team, sentences[0], {"label": "opinion", "speaker": "kept", "sources": []})
    response = put(team, sentences[0], body)
    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.json()), response.json()
    decision = Decision.objects.get(sentence=sentences[0])
    assert (decision.label.name, decision.speaker, decision.sources.count()) == ("opinion", "kept", 0)
    assert DecisionEvent.objects.filter(sentence=sentences[0]).count() == 1


def merge(team, **rule):
    body = {"min_labels": 2, "min_share": 0.5} | rule
    return team.client("curator").post(f"/api/v1/projects/{team.project.pk}/decisions/auto/", body, format="json")


def test_auto_merge_keeps_the_agreed_speaker_and_sources_as_a_curators_decision_would(team, sentences):
    assert merge(team, dry_run=True).json()["decided"] == 4
    assert not Decision.objects.exists()
    assert merge(team).json()["decided"] == 4
    merged = {
        decision.sentence_id: (decision.speaker, [source.url for source in decision.sources.all()])
        for decision in Decision.objects.prefetch_related("sources")
    }
    assert [merged[sentence.pk] for sentence in sentences] == EXPECTED
    first = Decision.objects.get(sentence=sentences[0]).sources.get()
    assert (first.title, first.position) == ("anna's city.example", 0)
    events = {event.sentence_id: event.data for event in DecisionEvent.objects.all()}
    assert events[sentences[0].pk]["speaker"] == "The Mayor"
    assert events[sentences[0].pk]["sources"] == [{"url": MINUTES, "title": "anna's city.example", "note": ""}]
    assert events[sentences[3].pk]["sources"] == []
    # The same rule, once: a curator deciding without speaker and sources gets what the merge kept.
    for sentence in sentences:
        decision = put(team, sentence, {"label": "quote"}).json()
        assert (decision["speaker"], urls(decision)) == merged[sentence.pk]


def test_auto_merge_counts_only_the_reviewers_of_the_merged_label(team, sentences):
    """Sentence 2 is quote 3 to 1: the opinion reviewer's speaker and blog are not in the gold."""
    merge(team, document=sentences[2].document_id)
    decision = Decision.objects.get(sentence=sentences[2])
    assert (decision.label.name, decision.speaker) == ("quote", "the governor")
    assert [source.url for source in decision.sources.all()] == [MINUTES]


def test_sources_keep_the_order_they_were_first_cited(team, reviewers):
    sentence = DocumentFactory(project=team.project, text="Only one.").sentences.get()
    give(sentence, reviewers, {
        "anna": ("claim", "", [RADIO, MINUTES]),
        "ben": ("claim", "", [MINUTES, BLOG, RADIO]),
        "cleo": ("claim", "", [BLOG]),
    })  # fmt: skip
    merge(team, document=sentence.document_id)
    decision = Decision.objects.get(sentence=sentence)
    assert [(s.url, s.position) for s in decision.sources.all()] == [(RADIO, 0), (MINUTES, 1), (BLOG, 2)]
