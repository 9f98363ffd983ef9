"""The project's disagreement categories: bad lists are refused naming `categories`; decisions keep their text."""

import pytest

from curation import services as curation_services
from curation.models import CurationSettings, Decision

pytestmark = pytest.mark.django_db

DEFAULTS = ["guideline gap", "misreading", "ambiguous text"]
TWICE = "'scope' is listed twice; each category may be listed once."


def url(team) -> str:
    return f"/api/v1/projects/{team.project.pk}/curation/"


@pytest.mark.parametrize(
    ("categories", "errors"),
    [
        (["scope", "  "], {"categories": {"1": ["A category is 1 to 100 characters."]}}),
        (["scope", "sarcasm", "scope"], {"categories": {"2": [TWICE]}}),
        (["scope", " scope "], {"categories": {"1": [TWICE]}}),
        (["x" * 101], {"categories": {"0": ["Ensure this field has no more than 100 characters."]}}),
        ([f"c{n}" for n in range(31)], {"categories": ["Ensure this field has no more than 30 elements."]}),
        ("scope", {"categories": ['Expected a list of items but got type "str".']}),
        ([None], {"categories": {"0": ["This field may not be null."]}}),
    ],
    ids=["empty", "duplicate", "duplicate-after-trimming", "too-long", "too-many", "not-a-list", "null"],
)
def test_a_bad_list_is_a_400_naming_the_category_and_changes_nothing(team, categories, errors):
    response = team.client("owner").patch(url(team), {"categories": categories, "feedback": True}, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert CurationSettings.for_project(team.project).categories == DEFAULTS
    assert CurationSettings.for_project(team.project).feedback is False


def test_thirty_categories_of_a_hundred_characters_are_kept_trimmed_in_order(team):
    names = [f"{n:02d}" + "x" * 98 for n in range(30)][::-1]
    response = team.client("owner").patch(url(team), {"categories": [f" {name} " for name in names]}, format="json")
    assert response.status_code == 200
    assert response.json()["categories"] == names
    assert CurationSettings.for_project(team.project).categories == names


def test_renaming_or_removing_a_category_leaves_decisions_with_their_text(team):
    first, second, third = team.document.sentences.order_by("index")[:3]
    curator = team.users["curator"]
    curation_services.decide(sentence=first, curator=curator, label_name="claim", category="misreading")
    curation_services.decide(sentence=second, curator=curator, label_name="quote", category="ambiguous text")
    response = team.client("owner").patch(url(team), {"categories": ["misread quote", "guideline gap"]}, format="json")
    assert response.status_code == 200

    decisions = team.client("viewer").get(f"/api/v1/documents/{team.document.pk}/decisions/").json()
    assert {d["sentence"]: d["category"] for d in decisions["results"]} == {
        first.pk: "misreading",
        second.pk: "ambiguous text",
    }

    def decide(sentence, category):
        body = {"label": "claim", "category": category}
        return team.client("curator").put(f"/api/v1/sentences/{sentence.pk}/decision/", body, format="json")

    assert decide(first, "misreading").status_code == 200
    assert Decision.objects.get(sentence=first).category == "misreading"
    taken = decide(third, "misreading")
    assert taken.status_code == 400
    assert list(taken.json()) == ["category"]
    assert not Decision.objects.filter(sentence=third).exists()
    assert decide(third, "misread quote").status_code == 201
    assert Decision.objects.get(sentence=third).category == "misread quote"
