"""The curator screen's rows, the curation settings and the reviewers' feedback over the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotator import services
from curation import services as curation_services

from ..factories import DocumentFactory, add_member

pytestmark = pytest.mark.django_db


def rows_and_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.json(), len(captured)


def test_curation_rows_cost_the_same_queries_whatever_the_article_size(team):
    small = DocumentFactory(project=team.project, text="One is here. Two is there.")
    large = DocumentFactory(project=team.project, text=" ".join(f"Sentence {n} is new." for n in range(60)))
    counts = []
    for document in (small, large):
        for sentence in document.sentences.all():
            for who in ("annotator", "annotator2"):
                services.label_sentence(
                    sentence=sentence,
                    annotator=team.users[who],
                    label_name="claim",
                    sources=[services.SourceInput(url="https://e.org/a")],
                )
            curation_services.decide(sentence=sentence, curator=team.users["curator"], label_name="claim")
        body, queries = rows_and_queries(team.client("curator"), f"/api/v1/documents/{document.pk}/curation/")
        assert all(len(row["labels"]) == 2 and row["decision"]["label"] == "claim" for row in body["rows"])
        counts.append(queries)
    assert counts[0] == counts[1]
    _, decisions_small = rows_and_queries(team.client("viewer"), f"/api/v1/documents/{small.pk}/decisions/")
    _, decisions_large = rows_and_queries(team.client("viewer"), f"/api/v1/documents/{large.pk}/decisions/")
    assert decisions_small == decisions_large


def test_each_row_carries_its_plurality_and_none_on_a_tie(team):
    first, second, third = team.document.sentences.order_by("index")[:3]
    for sentence, labels in ((first, ("claim", "claim", "quote")), (second, ("claim", "quote"))):
        for who, name in zip(("owner", "annotator", "annotator2"), labels, strict=False):
            services.label_sentence(sentence=sentence, annotator=team.users[who], label_name=name)
    rows = team.client("curator").get(f"/api/v1/documents/{team.document.pk}/curation/").json()["rows"]
    by_sentence = {row["sentence"]: row["plurality"] for row in rows}
    assert by_sentence[first.pk] == {"label": "claim", "count": 2, "labels": 3}
    assert by_sentence[second.pk] == {"label": None, "count": 1, "labels": 2}
    assert by_sentence[third.pk] == {"label": None, "count": 0, "labels": 0}


def test_since_answers_only_the_sentences_changed(team):
    first, second = team.document.sentences.order_by("index")[:2]
    services.label_sentence(sentence=first, annotator=team.users["annotator"], label_name="claim")
    body = team.client("curator").get(f"/api/v1/documents/{team.document.pk}/curation/").json()
    later = timezone.now() + timezone.timedelta(seconds=30)
    url = f"/api/v1/documents/{team.document.pk}/curation/"
    assert team.client("curator").get(url, {"since": later.isoformat()}).json()["rows"] == []
    services.label_sentence(sentence=second, annotator=team.users["annotator"], label_name="quote")
    changed = team.client("curator").get(url, {"since": body["changed"]}).json()["rows"]
    assert [row["sentence"] for row in changed] == [first.pk, second.pk]  # the first within the overlap
    assert team.client("curator").get(url, {"since": "yesterday"}).status_code == 400


def test_owners_edit_categories_and_feedback_others_read(team):
    url = f"/api/v1/projects/{team.project.pk}/curation/"
    assert team.client("viewer").get(url).json() == {
        "categories": ["guideline gap", "misreading", "ambiguous text"],
        "feedback": False,
    }
    assert team.client("curator").patch(url, {"feedback": True}, format="json").status_code == 403
    bad = team.client("owner").patch(url, {"categories": ["a", "a"]}, format="json")
    assert bad.status_code == 400
    assert "categories" in bad.json()
    response = team.client("owner").patch(url, {"categories": ["scope", "sarcasm"]}, format="json")
    assert response.json()["categories"] == ["scope", "sarcasm"]


def test_reviewers_see_decisions_where_they_differed_only_once_feedback_is_open(team):
    first, second = team.document.sentences.order_by("index")[:2]
    anna = team.users["annotator"]
    services.label_sentence(sentence=first, annotator=anna, label_name="opinion")
    services.label_sentence(sentence=second, annotator=anna, label_name="claim")
    for sentence in (first, second):
        curation_services.decide(
            sentence=sentence, curator=team.users["curator"], label_name="claim", rationale="Checkable."
        )
    outsider_reviewer = add_member(team.project, "annotator", "dora")
    url = f"/api/v1/documents/{team.document.pk}/decisions/"
    assert team.client("annotator").get(url).json()["results"] == []
    assert team.client("annotator").get(f"/api/v1/sentences/{first.pk}/decision/").status_code == 404
    curation_services.update_settings(project=team.project, feedback=True)
    results = team.client("annotator").get(url).json()["results"]
    assert [(row["sentence"], row["label"], row["rationale"]) for row in results] == [(first.pk, "claim", "Checkable.")]
    assert team.client("annotator").get(f"/api/v1/sentences/{second.pk}/decision/").status_code == 404
    dora = team.client("annotator")
    dora.force_authenticate(outsider_reviewer)
    assert dora.get(url).json()["results"] == []
