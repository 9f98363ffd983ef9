"""The study's design in what leaves Lede: training labels never enter agreement or exports; calibration apart."""

import csv
import io
import json

import pytest

from annotator import services
from claims import reports
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

EXPORTS = ("annotations.csv", "annotations.jsonl", "wide.csv", "sources.csv", "webannotation.jsonld")


@pytest.fixture
def designed(team):
    """Anna and Ben label the team's article alike; on a training article and a calibration article too."""
    training = DocumentFactory(
        project=team.project, text="Practice sentence one. Practice sentence two.", title="Practice"
    )
    calibration = DocumentFactory(
        project=team.project, text="Shared sentence one. Shared sentence two.", title="Shared"
    )
    services.set_document_design(document=training, training=True)
    services.set_document_design(document=calibration, calibration=True)
    for document, names in ((team.document, ("claim", "claim")), (training, ("quote", "opinion"))):
        for who, name in zip(("annotator", "annotator2"), names, strict=True):
            for sentence in document.sentences.all():
                services.label_sentence(
                    sentence=sentence,
                    annotator=team.users[who],
                    label_name=name,
                    sources=[services.SourceInput(url=f"https://e.org/{document.pk}")],
                )
    for who, name in (("annotator", "claim"), ("annotator2", "opinion")):
        for sentence in calibration.sentences.all():
            services.label_sentence(sentence=sentence, annotator=team.users[who], label_name=name)
    return team, training, calibration


@pytest.mark.parametrize("name", EXPORTS)
def test_training_labels_never_enter_an_export(designed, name):
    team, training, _ = designed
    body = team.export("owner", name)
    assert "Practice sentence" not in body
    assert f"https://e.org/{training.pk}" not in body


def test_training_labels_never_enter_agreement(designed):
    team, training, calibration = designed
    matrix = reports.read_labels(team.project)
    training_sentences = set(training.sentences.values_list("pk", flat=True))
    assert not training_sentences & set(matrix.sentence_ids.tolist())
    assert matrix.annotation_count == 2 * (team.document.sentences.count() + calibration.sentences.count())
    assert reports.read_labels(team.project, training).annotation_count == 0


def test_the_project_report_gives_the_calibration_set_apart(designed, django_capture_on_commit_callbacks):
    team, _, calibration = designed
    reports.compute_project_now(team.project)
    body = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()
    assert body["calibration"]["units"] == calibration.sentences.count()
    assert body["calibration"]["percent_agreement"] == 0.0
    assert body["percent_agreement"] > 0.0
    wide = list(csv.DictReader(io.StringIO(team.export("owner", "wide.csv"))))
    assert {row["document"] for row in wide} == {str(team.document.pk), str(calibration.pk)}


def test_a_project_without_a_calibration_set_reports_null_for_it(team):
    reports.compute_project_now(team.project)
    body = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()
    assert body["calibration"] is None
    assert json.dumps(body)
