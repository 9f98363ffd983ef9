"""The statements of every label save are prepared once per database connection, unless a pooler forbids it."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from annotator import services
from annotator.models import Annotation

# A transaction of its own per request, as in production, so that the reports are marked after the commit.
pytestmark = pytest.mark.django_db(transaction=True)


def prepared_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def save(team, sentence, label):
    """A reviewer's save signed in with an API token, as the annotation screen does."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {services.issue_token(user=team.users['annotator'])[0]}")
    response = client.put(f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": label})
    assert response.status_code in (200, 201), response.content


def test_a_connection_prepares_the_saves_statements_once_and_reuses_them(team):
    first, second, third = team.document.sentences.order_by("index")[:3]
    connection.close()  # a new connection, as a new server process opens: earlier tests prepared on the old one
    before = prepared_statements()
    save(team, first, "claim")
    after_one = prepared_statements()
    assert len(after_one - before) >= 4  # the token check, the sentence and role, the upsert, the reports' marking
    save(team, second, "quote")
    save(team, first, "opinion")  # a replacement adds the sources' delete, once
    save(team, third, "claim")
    save(team, second, "claim")
    assert len(prepared_statements() - after_one) == 1
    stored = dict(
        Annotation.objects.filter(annotator=team.users["annotator"]).values_list("sentence_id", "label__name")
    )
    assert stored == {first.pk: "opinion", second.pk: "claim", third.pk: "claim"}


def test_behind_a_transaction_pooler_nothing_is_prepared(team, settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    first, second = team.document.sentences.order_by("index")[:2]
    before = prepared_statements()
    save(team, first, "claim")
    save(team, first, "quote")
    save(team, second, "opinion")
    assert prepared_statements() == before
    assert Annotation.objects.filter(annotator=team.users["annotator"]).count() == 2
