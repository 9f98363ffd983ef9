"""The analysis on the gold basis: the curators' decided labels, speakers and sources, kept fresh by decisions."""

import numpy as np
import pytest
from django.conf import settings

from annotator.services import SourceInput
from claims.models import AnalysisReport
from curation import services as curation
from tests.claims.test_analysis_api import analysis

pytestmark = pytest.mark.django_db

# Decisions per article (Left Daily: articles 0 and 1, Right Times: 2 and 3), sentence by sentence:
# (label or None for unresolved, speaker, source urls); article 3 and sentence 3 of article 1 stay undecided.
DECISIONS = [
    [
        ("claim", "", ["https://www.reuters.com/a", "https://apnews.com/b"]),
        ("opinion", "", []),
        ("quote", "the governor", []),
        (None, "", []),
    ],
    [("claim", "", []), ("claim", "", ["https://reuters.com/c"]), ("quote", "the governor", [])],
    [("opinion", "", []), ("quote", "a voter", [])],
    [],
]


def articles(team):
    return list(team.project.documents.exclude(pk=team.document.pk).order_by("pk"))


@pytest.fixture
def decided(covered, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for document, decisions in zip(articles(covered), DECISIONS, strict=True):
            for sentence, (label, speaker, urls) in zip(document.sentences.order_by("index"), decisions, strict=False):
                curation.decide(
                    sentence=sentence,
                    curator=covered.users["curator"],
                    label_name=label,
                    speaker=speaker,
                    sources=[SourceInput(url=url) for url in urls],
                )
    return covered


def expected_share(per_article: list[list[str]], wanted: str, rng, resamples: int):
    """The share of `wanted` among the decided labels of a group's articles, and its 95% interval from
    resampling the articles as `claims.analysis` documents it."""
    hits = np.array([sum(label == wanted for label in labels) for labels in per_article], float)
    counts = np.array([len(labels) for labels in per_article], float)
    drawn = rng.integers(0, len(hits), size=(resamples, len(hits)))
    replicates = hits[drawn].sum(axis=1) / counts[drawn].sum(axis=1)
    return hits.sum() / counts.sum(), np.quantile(replicates, [0.025, 0.975]).tolist()


def test_gold_counts_decided_labels_with_the_decisions_speakers_and_sources(
    decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        analysis(decided, basis="gold")

    body = analysis(decided, basis="gold").json()

    assert (body["status"], body["basis"]) == ("ready", "gold")
    assert body["n"] == {"articles": 3, "sentences": 8, "decisions": 8}
    left, right = body["groups"]
    assert (left["name"], left["articles"], right["name"], right["articles"]) == ("Left Daily", 2, "Right Times", 1)
    labels = [[label for label, _, _ in decisions if label] for decisions in DECISIONS]
    rng = np.random.default_rng(0)
    resamples = settings.AGREEMENT_BOOTSTRAP_RESAMPLES
    for group, per_article in ((left, labels[:2]), (right, labels[2:3])):
        claim = expected_share(per_article, "claim", rng, resamples)
        assert group["shares"]["claim"]["estimate"] == pytest.approx(claim[0])
        # One or two articles an outlet: far under the minimum for an interval that holds.
        assert group["shares"]["claim"]["ci95"] is None
        assert group["interval"]["reason"] == "too_few_articles"
    assert left["shares"]["quote"]["estimate"] == pytest.approx(2 / 6)
    assert left["claims"]["with_source"]["estimate"] == pytest.approx(2 / 3)
    assert left["claims"]["sources_per_claim"]["estimate"] == pytest.approx(3 / 3)
    assert left["claims"]["top_domains"] == [
        {"domain": "reuters.com", "claims": 2.0},
        {"domain": "apnews.com", "claims": 1.0},
    ]
    assert left["quotes"]["most_quoted"] == [{"speaker": "the governor", "quotes": 2.0}]
    assert right["quotes"]["most_quoted"] == [{"speaker": "a voter", "quotes": 1.0}]


def test_the_default_basis_stays_gold_where_decided_and_plurality_elsewhere_as_decisions_come(
    covered, django_capture_on_commit_callbacks
):
    def read(**query):
        with django_capture_on_commit_callbacks(execute=True):
            analysis(covered, **query)
        return analysis(covered, **query).json()

    before = read()
    assert (before["basis"], before["mix"]["decided"]) == ("combined", 0)
    sentence = articles(covered)[0].sentences.first()
    curation.decide(sentence=sentence, curator=covered.users["curator"], label_name=None)
    assert read()["basis"] == "combined"
    assert analysis(covered, basis="gold").status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        curation.decide(sentence=sentence, curator=covered.users["curator"], label_name="claim")

    after = read()
    assert after["basis"] == "combined"
    # Every labelled sentence still counts: the decided one by its decision, the others by their plurality.
    assert after["n"]["sentences"] == before["n"]["sentences"] == read(basis="plurality")["n"]["sentences"]
    assert read(basis="gold")["n"]["sentences"] == 1
    assert after["mix"]["decided"] == 1
    assert after["mix"]["decided"] + after["mix"]["plurality"] + after["mix"]["tied"] == after["n"]["sentences"]
    assert after["n"]["decisions"] == 1


def test_a_decision_marks_the_gold_analysis_stale_and_recomputes_it(decided, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        analysis(decided, basis="gold")
        analysis(decided, basis="plurality")
    sentence = articles(decided)[3].sentences.first()
    with django_capture_on_commit_callbacks(execute=False) as announced:
        curation.decide(sentence=sentence, curator=decided.users["curator"], label_name="opinion")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        for announce in announced:
            announce()

    assert analysis(decided, basis="gold").json()["stale"] is True
    assert analysis(decided, basis="plurality").json()["stale"] is False
    for run in queued:
        run()
    body = analysis(decided, basis="gold").json()
    assert body["current"] is True
    assert body["groups"][1]["articles"] == 2
    assert AnalysisReport.objects.get(project=decided.project, basis="gold").computations == 2


def test_undeciding_takes_the_sentence_out_of_the_gold_analysis(decided, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        analysis(decided, basis="gold")
    with django_capture_on_commit_callbacks(execute=True):
        curation.undecide(sentence=articles(decided)[2].sentences.get(index=1), actor=decided.users["curator"])

    right = analysis(decided, basis="gold").json()["groups"][1]

    assert right["shares"]["opinion"]["estimate"] == 1.0
    assert right["quotes"]["most_quoted"] == []
