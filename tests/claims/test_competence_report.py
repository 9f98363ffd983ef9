"""The project report's coder competence and time drift, stored posteriors, the curator's sort, model consensus."""

import datetime

import pytest

from annotator.models import Annotation, Sentence
from claims import reports
from curation.models import Decision, Provenance, SentencePosterior
from tests.factories import AnnotationFactory, DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def labelled(team):
    """Four sentences: Anna and Carl agree on each; Ben agrees on the first two and says `opinion` on the rest,
    a week after his first two labels."""
    sentences = list(Sentence.objects.filter(document=team.document).order_by("index")[:4])
    truth = ["claim", "quote", "claim", "quote"]
    for sentence, label in zip(sentences, truth, strict=True):
        AnnotationFactory(sentence=sentence, annotator=team.users["annotator"], label=label)
        AnnotationFactory(sentence=sentence, annotator=team.users["curator"], label=label)
    for index, sentence in enumerate(sentences):
        AnnotationFactory(
            sentence=sentence, annotator=team.users["annotator2"], label=truth[index] if index < 2 else "opinion"
        )
    later = datetime.datetime(2026, 12, 8, 10, tzinfo=datetime.UTC)
    earlier = later - datetime.timedelta(days=7)
    ben = Annotation.objects.filter(annotator=team.users["annotator2"])
    ben.filter(sentence__in=sentences[:2]).update(updated=earlier)
    ben.filter(sentence__in=sentences[2:]).update(updated=later)
    Annotation.objects.exclude(annotator=team.users["annotator2"]).update(updated=earlier)
    reports.compute_project_now(team.project)
    return sentences


def project_report(team) -> dict:
    response = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/agreement/")
    assert response.status_code == 200
    return response.json()


def test_the_report_shows_each_reviewers_competence_and_their_drift_by_week(team, labelled):
    report = project_report(team)
    reviewers = {row["reviewer"]: row for row in report["reviewers"]}

    assert reviewers["ben"]["competence"]["mace"] < reviewers["anna"]["competence"]["mace"]
    assert reviewers["anna"]["competence"]["mace_ci95"] is None  # one article: withheld
    assert report["competence"]["ci95_reason"] == "too_few_articles"
    confusion = reviewers["ben"]["competence"]["confusion"]  # rows: true category, columns: Ben's label
    assert len(confusion) == 3
    assert [(week["week"], week["agreement"]) for week in reviewers["ben"]["by_week"]] == [
        ("2026-11-30", 1.0),
        ("2026-12-07", 0.0),
    ]
    assert [tenth["agreement"] for tenth in reviewers["ben"]["by_tenth"]] == [1.0, 1.0, 0.0, 0.0]
    assert "by_batch" not in reviewers["ben"]


def test_the_curator_screen_sorts_by_the_models_uncertainty(team, labelled):
    SentencePosterior.objects.filter(sentence=labelled[0]).delete()  # as if labelled after the report ran
    response = team.client("curator").get(f"/api/v1/documents/{team.document.pk}/curation/", {"sort": "uncertainty"})
    assert response.status_code == 200
    rows = response.json()["rows"]
    doubts = [row["posterior"]["uncertainty"] if row["posterior"] else -1 for row in rows]
    assert doubts == sorted(doubts, reverse=True)
    assert rows[0]["sentence"] in {labelled[2].pk, labelled[3].pk}  # where Ben disagreed
    assert rows[-1]["sentence"] == labelled[0].pk  # a sentence without a posterior comes last
    assert rows[-1]["posterior"] is None


def test_an_unknown_sort_is_a_400_naming_it(team, labelled):
    response = team.client("curator").get(f"/api/v1/documents/{team.document.pk}/curation/", {"sort": "whim"})
    assert response.status_code == 400
    assert "sort" in response.json()


def test_a_curator_takes_the_model_consensus_only_by_choosing_it(team, labelled):
    assert not Decision.objects.filter(provenance=Provenance.MODEL).exists()  # never automatic
    sentence = labelled[2]
    response = team.client("curator").put(
        f"/api/v1/sentences/{sentence.pk}/decision/", {"provenance": "model"}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert (response.json()["provenance"], response.json()["label"]) == ("model", "claim")
    posterior = SentencePosterior.objects.get(sentence=sentence)
    assert response.json()["rule"]["probability"] == pytest.approx(1 - posterior.uncertainty)


def test_model_consensus_without_a_posterior_is_a_400_naming_provenance(team, labelled):
    unlabelled = DocumentFactory(project=team.project).sentences.first()
    response = team.client("curator").put(
        f"/api/v1/sentences/{unlabelled.pk}/decision/", {"provenance": "model"}, format="json"
    )
    assert response.status_code == 400
    assert "provenance" in response.json()
    assert not Decision.objects.filter(sentence=unlabelled).exists()


def test_model_consensus_with_a_label_is_a_400_naming_label(team, labelled):
    response = team.client("curator").put(
        f"/api/v1/sentences/{labelled[0].pk}/decision/", {"provenance": "model", "label": "quote"}, format="json"
    )
    assert response.status_code == 400
    assert "label" in response.json()
