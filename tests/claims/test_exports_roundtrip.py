"""annotations.csv round-trips: imported into a new project it gives the same labels and the same agreement."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotator.models import Annotation, Role
from annotator.services import SourceInput
from claims import reports
from tests.factories import AnnotationFactory, DocumentFactory, ProjectFactory, add_member

pytestmark = pytest.mark.django_db

ARTICLES = (
    "The council approved the budget. Critics called it reckless. Taxes will rise by 2%.\n\n"
    "\u201cWe had no choice,\u201d the mayor said. The vote was 7 to 2.",
    "Rain is expected on Friday. Forecasters said so, \u201cwith confidence.\u201d Some disagree.",
)
CHOICES = ("claim", "quote", "opinion")


def labelled_study(owner):
    project = ProjectFactory(owner=owner, name="Original")
    reviewers = [add_member(project, Role.ANNOTATOR, name) for name in ("rev-a", "rev-b", "rev-c")]
    documents = [DocumentFactory(project=project, text=text, title=f"Article {n}") for n, text in enumerate(ARTICLES)]
    position = 0
    for document in documents:
        for sentence in document.sentences.order_by("index"):
            for r, reviewer in enumerate(reviewers):
                position += 1
                if (position + r) % 5 == 0:
                    continue  # a missing label
                choice = CHOICES[(sentence.index + (r == 2) * position) % 3]
                sources = [SourceInput(url=f"https://src.example/{position}", title="Report, p. \u201c2\u201d")] * (
                    r == 0
                )
                AnnotationFactory(
                    sentence=sentence, annotator=reviewer, label=choice, sources=sources, speaker="Mayor" * (r == 1)
                )
    return project, reviewers


def as_exported(value, project):
    """`value` with the names of `project`'s import-only reviewers (`rev-a@<project id>`) as the file gave them."""
    return json.loads(json.dumps(value).replace(f"@{project.pk}", ""))


def label_set(project):
    rows = Annotation.objects.filter(sentence__document__project=project).values_list(
        "sentence__text", "annotator__username", "label__name", "speaker", "sentence__document__title"
    )
    return sorted(as_exported([text, who, label, speaker], project) for text, who, label, speaker, _ in rows)


def sources_of(project):
    rows = Annotation.objects.filter(sentence__document__project=project, sources__isnull=False).values_list(
        "sentence__text", "annotator__username", "sources__url", "sources__title"
    )
    return sorted(as_exported(list(row), project) for row in rows)


def headline(report):
    result = dict(report.result)
    return {key: result[key] for key in ("units", "annotators", "alpha", "alpha_ci95", "fleiss_kappa",
                                         "percent_agreement", "pairwise", "per_label", "confusion")}  # fmt: skip


def export_and_import(team, **import_options):
    owner = team.users["owner"]
    original, _ = labelled_study(owner)
    client = team.client("owner")
    exported = b"".join(client.get(f"/api/v1/projects/{original.pk}/export/annotations.csv").streaming_content)
    assert len(list(csv.DictReader(io.StringIO(exported.decode())))) == original_labels(original)
    copy = ProjectFactory(owner=owner, name="Re-analysis")  # the labels go to its import-only reviewers
    response = client.post(
        f"/api/v1/projects/{copy.pk}/annotations/import/",
        {"file": SimpleUploadedFile("annotations.csv", exported, content_type="text/csv"), **import_options},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["annotations"] == original_labels(original)
    return original, copy


def test_annotations_csv_imports_into_a_new_project_with_the_same_labels_and_agreement(team):
    original, copy = export_and_import(team)
    assert label_set(copy) == label_set(original)
    (original_report,) = [r for r in reports.compute_project_now(original) if r.document_id is None]
    (copy_report,) = [r for r in reports.compute_project_now(copy) if r.document_id is None]
    assert original_report.status == copy_report.status == "ready"
    assert original_report.result["alpha"] is not None
    assert as_exported(headline(copy_report), copy) == as_exported(headline(original_report), original)


def test_annotations_csv_round_trips_sources(team):
    original, copy = export_and_import(team)
    assert sources_of(copy) == sources_of(original)


def original_labels(project) -> int:
    return Annotation.objects.filter(sentence__document__project=project).count()


def test_exported_sources_column_is_the_json_the_import_reads(team):
    sentence = team.document.sentences.first()
    source = SourceInput(url="https://a.example/x?y=1,2", title='He said "yes"', note="line\nbreak")
    AnnotationFactory(sentence=sentence, annotator=team.users["annotator"], label="claim", sources=[source])
    exported = b"".join(
        team.client("owner").get(f"/api/v1/projects/{team.project.pk}/export/annotations.csv").streaming_content
    )
    (row,) = csv.DictReader(io.StringIO(exported.decode()))
    assert json.loads(row["sources"]) == [
        {"url": "https://a.example/x?y=1,2", "title": 'He said "yes"', "note": "line\nbreak"}
    ]
