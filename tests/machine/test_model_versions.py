"""A lead trains the project's model, and reads its versions and cards."""

import numpy as np
import pytest
from rest_framework.test import APIClient

from machine import classifier, selectors, services
from machine.models import ModelVersion

pytestmark = pytest.mark.django_db


def client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def train(study, django_capture_on_commit_callbacks, basis="gold"):
    with django_capture_on_commit_callbacks(execute=True):
        response = client(study["owner"]).post(
            f"/api/v1/projects/{study['project'].pk}/models/", {"basis": basis}, format="json"
        )
    assert response.status_code == 202, response.content
    return response


def test_a_lead_trains_a_model_and_reads_its_card(study, django_capture_on_commit_callbacks):
    response = train(study, django_capture_on_commit_callbacks)
    assert response.data["status_url"].endswith(f"/api/v1/projects/{study['project'].pk}/models/1/")
    listed = client(study["owner"]).get(f"/api/v1/projects/{study['project'].pk}/models/").data
    assert [(v["version"], v["status"]) for v in listed] == [(1, "ready")]
    card = listed[0]["card"]
    assert card["training_n"] == 60
    assert {row["label"]: row["training_n"] for row in card["labels"]} == {"claim": 30, "quote": 0, "opinion": 30}
    assert card["accuracy"] > 0.9
    assert card["macro_f1"] > 0.6
    claim = card["labels"][0]
    assert claim["precision_ci95"][0] <= claim["precision"] <= claim["precision_ci95"][1]
    assert card["alpha_against_gold"] > 0.8
    assert card["features"] == classifier.FEATURES
    assert card["lede_version"]
    assert card["date"]
    status = client(study["owner"]).get(response.data["status_url"])
    assert status.data["status"] == "ready"


def test_a_plurality_model_learns_from_the_reviewers_labels(study, django_capture_on_commit_callbacks):
    from tests.factories import label_document

    for document in study["articles"]:
        label_document(document, study["reviewers"][0], ["claim"] * 5 + ["opinion"] * 5)
    train(study, django_capture_on_commit_callbacks, basis="plurality")
    version = ModelVersion.objects.get(project=study["project"])
    assert version.status == "ready"
    assert version.basis == "plurality"
    assert version.card["training_n"] == 60


def test_an_unknown_basis_is_refused_and_nothing_is_queued(study):
    response = client(study["owner"]).post(
        f"/api/v1/projects/{study['project'].pk}/models/", {"basis": "vibes"}, format="json"
    )
    assert response.status_code == 400
    assert "basis" in response.data
    assert not ModelVersion.objects.exists()


def test_a_reviewer_cannot_train_a_model(study):
    response = client(study["reviewers"][0]).post(f"/api/v1/projects/{study['project'].pk}/models/", {}, format="json")
    assert response.status_code == 403
    assert not ModelVersion.objects.exists()


def test_a_project_without_enough_gold_fails_with_a_reason(db, django_capture_on_commit_callbacks):
    from tests.factories import DocumentFactory, ProjectFactory, UserFactory

    owner = UserFactory()
    project = ProjectFactory(owner=owner)
    DocumentFactory(project=project)
    with django_capture_on_commit_callbacks(execute=True):
        client(owner).post(f"/api/v1/projects/{project.pk}/models/", {"basis": "gold"}, format="json")
    version = ModelVersion.objects.get(project=project)
    assert version.status == "failed"
    assert "at least" in version.error


def test_the_cards_accuracy_counts_only_sentences_no_suggestion_touched(study):
    project = study["project"]
    data = selectors.training_set(project, "gold")
    categories = ["claim", "quote", "opinion"]
    labels = np.array([categories.index(name) for name in data.labels])
    # Exposed: the first article's sentences.
    first = data.articles[0]
    exposed = {sid for sid, article in zip(data.sentence_ids, data.articles, strict=True) if article == first}
    card = services.model_card(data, labels, categories, exposed, "gold")
    folds = classifier.cross_validate(data.texts, labels, np.array(data.articles))
    by_hand = [
        predicted == truth
        for sid, predicted, truth in zip(data.sentence_ids, folds.predicted, labels, strict=True)
        if sid not in exposed
    ]
    assert card["evaluated_n"] == len(by_hand) == 50
    assert card["left_out_exposed"] == 10
    assert card["accuracy"] == pytest.approx(sum(by_hand) / len(by_hand))


def test_a_new_version_is_trained_after_the_set_number_of_new_decisions(study, django_capture_on_commit_callbacks):
    from curation import services as curation_services

    project = study["project"]
    train(study, django_capture_on_commit_callbacks)
    project.retrain_after = 3
    project.save()
    calibration = list(study["calibration"].sentences.order_by("index"))
    with django_capture_on_commit_callbacks(execute=True):
        for sentence in calibration[:2]:
            curation_services.decide(sentence=sentence, curator=study["curator"], label_name="claim")
    assert ModelVersion.objects.filter(project=project).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        curation_services.decide(sentence=calibration[2], curator=study["curator"], label_name="claim")
    assert list(ModelVersion.objects.filter(project=project).values_list("version", "status")) == [
        (2, "ready"),
        (1, "ready"),
    ]
