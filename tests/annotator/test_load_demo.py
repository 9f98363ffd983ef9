"""`manage.py load_demo`: three reviewers' labels on the sample article, so every screen has data; safe to run twice."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from annotator import services
from annotator.models import Annotation, AnnotationEvent, Document, Membership, Project, Source

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def as_lead() -> APIClient:
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="lead"))
    return client


def counts() -> dict:
    models = (get_user_model(), Project, Membership, Document, Annotation, Source, AnnotationEvent)
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_holds_labels_from_three_reviewers_with_sources_and_speakers():
    load_demo()

    labels = Annotation.objects.select_related("annotator", "label")
    assert {annotation.annotator.username for annotation in labels} == {"ana", "ben", "cleo"}
    assert {annotation.label.name for annotation in labels} == {"claim", "quote", "opinion"}
    assert Source.objects.filter(annotation__label__name="claim").exists()
    assert labels.filter(label__name="quote").exclude(speaker="").exists()
    assert not labels.exclude(label__name="quote").exclude(speaker="").exists()
    assert AnnotationEvent.objects.count() == labels.count()  # written through the service, with history


def test_running_the_demo_twice_changes_nothing():
    load_demo()
    before = counts()

    out = load_demo()

    assert counts() == before
    assert "Added" not in out
    assert "password: lede-demo-2026" in out


def test_a_reviewer_s_own_change_to_a_demo_label_survives_another_run():
    load_demo()
    annotation = Annotation.objects.filter(annotator__username="ana", label__name="claim").first()
    services.label_sentence(sentence=annotation.sentence, annotator=annotation.annotator, label_name="opinion")

    load_demo()

    annotation.refresh_from_db()
    assert annotation.label.name == "opinion"


def test_the_demo_s_agreement_has_figures_and_contested_sentences(django_capture_on_commit_callbacks):
    load_demo()
    project = Project.objects.get()
    document = project.documents.get()

    with django_capture_on_commit_callbacks(execute=True):
        as_lead().get(f"/api/v1/projects/{project.pk}/agreement/")
        as_lead().get(f"/api/v1/documents/{document.pk}/agreement/")
    summary = as_lead().get(f"/api/v1/projects/{project.pk}/agreement/").json()
    rows = as_lead().get(f"/api/v1/documents/{document.pk}/agreement/?ordering=-contested").json()["sentences"]

    assert summary["status"] == "ready"
    assert 0 < summary["alpha"] < 1
    assert summary["annotators"] == 3
    assert rows[0]["plurality_share"] < 1
    assert any(row["plurality_share"] == 1 for row in rows)
