"""soft_labels.csv and reviewers.csv: each sentence's label distribution, and the reviewers who gave it."""

import csv
import io
import json

import pytest

from annotator.models import Sentence
from claims import reports
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/projects/{}/export/{}"


def fetch(client, project, name, **params):
    response = client.get(EXPORT.format(project.pk, name), params)
    assert response.status_code == 200, getattr(response, "data", response)
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def split_sentence(team):
    """The first sentence: Anna and the curator say claim, Ben says quote; the second: Anna alone says opinion."""
    first, second = Sentence.objects.filter(document=team.document).order_by("index")[:2]
    AnnotationFactory(sentence=first, annotator=team.users["annotator"], label="claim")
    AnnotationFactory(sentence=first, annotator=team.users["curator"], label="claim")
    AnnotationFactory(sentence=first, annotator=team.users["annotator2"], label="quote")
    AnnotationFactory(sentence=second, annotator=team.users["annotator"], label="opinion")
    return first, second


def test_soft_labels_give_each_sentences_counts_shares_and_who_said_what(team, split_sentence):
    first, second = split_sentence
    rows = fetch(team.client("viewer"), team.project, "soft_labels.csv")

    assert [int(row["sentence"]) for row in rows] == [first.pk, second.pk]
    row = rows[0]
    assert (row["labels"], row["count:claim"], row["count:quote"], row["count:opinion"]) == ("3", "2", "1", "0")
    assert float(row["share:claim"]) == pytest.approx(2 / 3, abs=1e-6)
    assert float(row["entropy"]) == pytest.approx(0.918296, abs=1e-6)
    assert json.loads(row["reviewer_labels"]) == {"anna": "claim", "ben": "quote", "carl": "claim"}
    assert (rows[1]["count:opinion"], rows[1]["entropy"]) == ("1", "0.0")


def test_soft_labels_follow_the_export_filters_and_pseudonyms(team, split_sentence):
    rows = fetch(team.client("owner"), team.project, "soft_labels.csv", annotator="ben")
    assert len(rows) == 1
    assert (rows[0]["labels"], rows[0]["count:quote"]) == ("1", "1")
    hidden = fetch(team.client("owner"), team.project, "soft_labels.csv", pseudonymize="1")
    assert sorted(json.loads(hidden[0]["reviewer_labels"])) == ["annotator-1", "annotator-2", "annotator-3"]


def test_reviewers_csv_lists_each_reviewer_with_role_labels_and_competence(team, split_sentence):
    reports.compute_project_now(team.project)
    rows = fetch(team.client("owner"), team.project, "reviewers.csv")
    assert [(row["reviewer"], row["role"], row["labels"]) for row in rows] == [
        ("anna", "annotator", "2"),
        ("ben", "annotator", "1"),
        ("carl", "curator", "1"),
    ]
    assert all(0.0 <= float(row["competence"]) <= 1.0 for row in rows)
    assert rows[0]["competence_low"] == ""  # one article: the interval is withheld


@pytest.mark.parametrize(("who", "expected"), [("annotator", 403), ("outsider", 404), ("curator", 200)])
def test_reviewers_csv_is_scoped_like_every_export(team, split_sentence, who, expected):
    assert team.client(who).get(EXPORT.format(team.project.pk, "reviewers.csv")).status_code == expected


def test_reviewers_csv_refuses_a_filter_it_cannot_honour(team, split_sentence):
    response = team.client("owner").get(EXPORT.format(team.project.pk, "reviewers.csv"), {"label": "claim"})
    assert response.status_code == 400
    assert "label" in response.json()
