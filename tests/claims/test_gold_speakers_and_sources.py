"""Gold reached by the auto-merge carries the speaker and sources the reviewers agreed on, to every channel:
gold.csv, the Web Annotation export and the Coverage analysis on its gold basis."""

import json

import pytest

from curation.models import Decision

from .test_analysis_api import analysis
from .test_exports_gold import fetch, read_csv

pytestmark = pytest.mark.django_db

DATA_GOV = "https://www.data.gov/x"


@pytest.fixture
def merged(covered, django_capture_on_commit_callbacks):
    """`covered`'s labels auto-merged: in each article the first sentence is a unanimous claim citing data.gov
    (both reviewers), the third a unanimous quote of "the mayor" (both); the other two are ties, left open."""
    with django_capture_on_commit_callbacks(execute=True):
        response = covered.client("curator").post(
            f"/api/v1/projects/{covered.project.pk}/decisions/auto/", {"min_labels": 2}, format="json"
        )
    assert response.json()["decided"] == 8
    return covered


def test_gold_csv_carries_the_merged_speaker_and_sources(merged):
    rows = read_csv(fetch(merged.client("viewer"), merged.project, "gold.csv"))
    assert len(rows) == 8
    by_label = {}
    for row in rows:
        by_label.setdefault(row["label"], set()).add((row["speaker"], row["sources"]))
    assert by_label["claim"] == {("", json.dumps([{"url": DATA_GOV, "title": "", "note": ""}]))}
    assert by_label["quote"] == {("the mayor", "[]")}


def test_web_annotation_gold_carries_the_merged_speaker_and_sources(merged):
    document = json.loads(fetch(merged.client("viewer"), merged.project, "webannotation.jsonld"))
    gold_id = f"urn:lede:project:{merged.project.pk}:gold"
    gold = [item for item in document["first"]["items"] if item["creator"]["id"] == gold_id]
    assert len(gold) == 8
    for item in gold:
        purposes = {(body["purpose"], body.get("value") or body["source"]["id"]) for body in item["body"]}
        label = item["body"][0]["value"]
        if label == "claim":
            assert ("linking", DATA_GOV) in purposes, item["body"]
        else:
            assert ("identifying", "the mayor") in purposes, item["body"]


def test_coverage_on_the_gold_basis_counts_the_merged_speakers_and_sources(merged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        analysis(merged, basis="gold")
    body = analysis(merged, basis="gold").json()

    assert (body["status"], body["basis"], body["n"]["decisions"]) == ("ready", "gold", 8)
    for group in body["groups"]:
        assert group["claims"]["with_source"]["estimate"] == pytest.approx(1.0)
        assert group["claims"]["top_domains"][0]["domain"] == "data.gov"
        assert group["quotes"]["speakers"]["estimate"] == pytest.approx(1.0)
        assert group["quotes"]["most_quoted"][0]["speaker"] == "the mayor"
    assert Decision.objects.filter(speaker="the mayor").count() == 4
