"""Training labels are practice everywhere: out of the auto-merge, the per-article agreement chart, the
reviewers' progress and the coverage analyses."""

import json

import pytest

from annotator import services
from claims.reports.analyses import analyse_project
from curation.models import Decision
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def practised(team):
    """Anna and Ben label the team's article and a training article alike, naming a speaker and a source."""
    training = DocumentFactory(project=team.project, text="Practice one. Practice two.", title="Practice")
    services.set_document_design(document=training, training=True)
    for document, speaker in ((team.document, "The mayor"), (training, "A trainer")):
        for who in ("annotator", "annotator2"):
            for sentence in document.sentences.all():
                services.label_sentence(
                    sentence=sentence,
                    annotator=team.users[who],
                    label_name="quote",
                    speaker=speaker,
                    sources=[services.SourceInput(url=f"https://{speaker.split()[-1].lower()}.example.org/")],
                )
    return training


def test_the_auto_merge_neither_decides_nor_counts_training_sentences(team, practised):
    url = f"/api/v1/projects/{team.project.pk}/decisions/auto/"
    outcome = team.client("curator").post(url, {"min_labels": 2, "min_share": 1, "dry_run": False}, format="json")
    real = team.document.sentences.count()
    assert (outcome.json()["sentences"], outcome.json()["decided"]) == (real, real)
    assert not Decision.objects.filter(sentence__document=practised).exists()


def test_the_per_article_agreement_chart_leaves_training_articles_out(team, practised):
    rows = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/agreement/articles/").json()
    assert [row["id"] for row in rows] == [team.document.pk]


def test_a_reviewers_progress_counts_no_training_sentence(team, practised, client):
    client.force_login(team.users["annotator"])
    page = client.get(f"/projects/{team.project.pk}/")
    real = team.document.sentences.count()
    assert page.context["progress"] == {"total": real, "labelled": real}
    annotate = client.get(f"/documents/{practised.pk}/")
    assert annotate.context["page_data"]["project_labelled_elsewhere"] == real


def test_the_coverage_analyses_count_no_training_speaker_or_source(team, practised):
    result, _, _ = analyse_project(team.project, by="outlet", basis="labels", resamples=0)
    text = json.dumps(result)
    assert "A trainer" not in text
    assert "trainer.example.org" not in text
    assert "The mayor" in text
