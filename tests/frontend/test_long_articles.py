"""A 2,000-sentence article with five reviewers costs the curator and a reviewer the same queries as a short one."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotator import services
from annotator.models import Role
from curation import services as curation_services
from tests.factories import ProjectFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db

REVIEWERS = [f"reviewer{n}" for n in range(5)]
LABELS = ["claim", "quote", "opinion"]


@pytest.fixture
def study(db):
    """One project, a 10-sentence and a 2,000-sentence article, every sentence labelled by five reviewers.

    Written by the study import (in bulk): labelling 10,000 sentences one by one would take minutes.
    A source on every seventh label; a curator decides every hundredth sentence of each article.
    """
    owner = UserFactory(username="lead")
    project = ProjectFactory(owner=owner)
    curator = add_member(project, Role.CURATOR, "cora")
    documents, labels = [], []
    for key, size in (("short", 10), ("long", 2000)):
        units = [(f"{key}-{n}", f"Sentence {n} of the {key} article says so.") for n in range(size)]
        documents.append(services.StudyDocument(key=key, units=units))
        for n, (unit, _) in enumerate(units):
            for r, reviewer in enumerate(REVIEWERS):
                sources = [services.SourceInput(url=f"https://example.org/{unit}")] if (n + r) % 7 == 0 else []
                labels.append(
                    services.StudyLabel(unit=unit, annotator=reviewer, label=LABELS[(n + r) % 3], sources=sources)
                )
    short, long = services.import_study(
        project=project, imported_by=owner, documents=documents, labels=labels, new_accounts=REVIEWERS
    )
    for document in (short, long):
        for sentence in document.sentences.order_by("index")[::100]:
            curation_services.decide(sentence=sentence, curator=curator, label_name="quote")
    return project, short, long, curator


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


def test_the_curator_screen_and_its_rows_cost_the_same_queries_for_10_and_2000_sentences(study):
    _, short, long, curator = study
    client = signed_in(curator)
    _, page_short = queries(client, f"/documents/{short.pk}/curate/")
    _, page_long = queries(client, f"/documents/{long.pk}/curate/")
    assert page_short == page_long
    _, api_short = queries(client, f"/api/v1/documents/{short.pk}/curation/")
    rows_long, api_long = queries(client, f"/api/v1/documents/{long.pk}/curation/")
    assert api_short == api_long
    rows = rows_long.json()["rows"]
    assert len(rows) == 2000
    assert all(len(row["labels"]) == 5 for row in rows)
    assert sum(1 for row in rows if row["decision"]) == 20
    assert sum(len(label["sources"]) for row in rows for label in row["labels"]) == sum(
        1 for n in range(2000) for r in range(5) if (n + r) % 7 == 0
    )


def test_the_annotation_screen_costs_the_same_queries_for_10_and_2000_sentences(study, django_assert_num_queries):
    _, short, long, _ = study
    client = signed_in(get_user_model().objects.get(username="reviewer0"))
    _, count_short = queries(client, f"/documents/{short.pk}/")
    response, count_long = queries(client, f"/documents/{long.pk}/")
    assert count_short == count_long
    body = response.content.decode()
    assert body.count('class="sentence labelled"') == 2000
    assert "Sentence 1999 of the long article says so." in body
    with django_assert_num_queries(count_long):
        client.get(f"/documents/{long.pk}/")
