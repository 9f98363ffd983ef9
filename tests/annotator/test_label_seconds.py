"""Time per label: the active seconds a reviewer spent on a sentence, saved with the label and exported."""

import csv
import io
import json

import pytest
from django.db import IntegrityError, transaction

from annotator.models import Annotation

pytestmark = pytest.mark.django_db


@pytest.fixture
def sentence(team):
    return team.document.sentences.order_by("index").first()


def put(team, sentence, who="annotator", **fields):
    return team.client(who).put(
        f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "claim", **fields}, format="json"
    )


def test_a_label_keeps_the_active_seconds_it_was_saved_with_to_a_tenth(team, sentence):
    response = put(team, sentence, seconds=12.345)
    assert response.status_code == 201
    assert response.json()["seconds"] == 12.3
    assert team.client("annotator").get(f"/api/v1/sentences/{sentence.pk}/annotation/").json()["seconds"] == 12.3


def test_a_label_saved_without_seconds_has_none_and_a_change_without_them_keeps_the_measured_time(team, sentence):
    assert put(team, sentence).json()["seconds"] is None
    assert put(team, sentence, seconds=4).json()["seconds"] == 4.0
    changed = team.save_label("annotator", sentence, "quote")
    assert (changed.json()["label"], changed.json()["seconds"]) == ("quote", 4.0)


@pytest.mark.parametrize(
    ("seconds", "message"),
    [(-1, "0 or more"), (3600.5, "up to 3600 seconds"), ("soon", "valid number"), ("NaN", "0 or more")],
    ids=["negative", "over-the-cap", "not-a-number", "nan"],
)
def test_bad_seconds_are_a_400_naming_the_field_and_save_nothing(team, sentence, seconds, message):
    response = put(team, sentence, seconds=seconds)
    assert response.status_code == 400
    assert message in " ".join(response.json()["seconds"])
    assert not Annotation.objects.filter(sentence=sentence).exists()


def test_the_database_refuses_seconds_out_of_range(team, sentence):
    team.save_label("annotator", sentence)
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.filter(sentence=sentence).update(seconds=-0.5)


def test_annotations_csv_and_jsonl_carry_the_seconds_blank_when_not_measured(team):
    first, second = team.document.sentences.order_by("index")[:2]
    put(team, first, seconds=7.5)
    put(team, second)
    rows = list(csv.DictReader(io.StringIO(team.export("viewer", "annotations.csv"))))
    assert list(rows[0])[-1] == "seconds"
    assert [row["seconds"] for row in rows] == ["7.5", ""]
    lines = [json.loads(line) for line in team.export("viewer", "annotations.jsonl").splitlines()]
    assert [line["seconds"] for line in lines] == [7.5, None]
