"""A decision PUT racing a DELETE of the same sentence answers 200, 201 or 409 and never 500 (on PostgreSQL)."""

import threading

import pytest
from django.db import connection

from curation.api import views
from curation.models import Decision

from ..annotator.test_concurrency import run_at_once

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def url(sentence) -> str:
    return f"/api/v1/sentences/{sentence.pk}/decision/"


def test_a_delete_landing_between_the_save_and_its_answer_makes_the_put_a_409(team, sentence, monkeypatch):
    """The DELETE runs on its own connection after the PUT's decision is committed, before the PUT reads it back."""
    deleted = []
    decide = views.services.decide

    def decide_then_let_a_delete_in(**kwargs):
        outcome = decide(**kwargs)

        def delete():
            try:
                deleted.append(team.client("owner").delete(url(sentence)).status_code)
            finally:
                connection.close()

        other = threading.Thread(target=delete)
        other.start()
        other.join(timeout=60)
        return outcome

    monkeypatch.setattr(views.services, "decide", decide_then_let_a_delete_in)
    response = team.client("curator").put(url(sentence), {"label": "claim"}, format="json")

    assert deleted == [204]
    assert response.status_code == 409
    assert "removed" in response.json()["label"][0]
    assert not Decision.objects.filter(sentence=sentence).exists()


def test_puts_and_deletes_at_once_answer_only_what_each_case_calls_for(team, sentence):
    answers = []

    def put():
        response = team.client("curator").put(url(sentence), {"label": "claim"}, format="json")
        answers.append(("PUT", response.status_code))

    def delete():
        answers.append(("DELETE", team.client("owner").delete(url(sentence)).status_code))

    for _ in range(5):
        run_at_once(put, delete, put, delete)
    assert {status for method, status in answers if method == "PUT"} <= {200, 201, 409}
    assert {status for method, status in answers if method == "DELETE"} <= {204, 404}
