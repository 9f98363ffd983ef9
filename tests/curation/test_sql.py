"""Every raw statement of `curation.sql` still matches the migrated schema: PostgreSQL plans each one."""

import json

import pytest
from django.db import connection
from django.utils import timezone

from curation import sql

pytestmark = pytest.mark.django_db

PARAMS = {
    "project": 1,
    "min_labels": 2,
    "min_share": 0.5,
    "unanimous": "unanimous",
    "majority": "majority",
    "rule": json.dumps({"min_labels": 2, "min_share": 0.5}),
    "actor": None,
    "now": timezone.now(),
    "action": "decided",
}


@pytest.mark.parametrize("name", ["COUNT_ACCEPTED", "INSERT_ACCEPTED"])
@pytest.mark.parametrize("document", [None, 1])
def test_the_statement_is_planned_against_the_schema(name, document):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + getattr(sql, name), PARAMS | {"document": document})
        assert cursor.fetchall()


def test_the_agreement_rule_alone_is_planned_against_the_schema():
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql.AGREED_ON, {"sentence": 1, "label": 1})
        assert cursor.fetchall()


def test_the_plurality_is_planned_against_the_schema():
    from annotator.models import Annotation

    query, params = Annotation.objects.values_list("sentence_id", "label_id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN WITH labels AS (" + query + ")," + sql.PLURALITY_OF, params)
        assert cursor.fetchall()
