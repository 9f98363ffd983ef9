"""Every raw statement of `claims.sql` still matches the migrated schema: PostgreSQL plans each one."""

import pytest
from django.db import connection
from django.utils import timezone

from claims import sql

pytestmark = pytest.mark.django_db

NOW = timezone.now()
STALE = {"project": 1, "now": NOW, "recent": NOW, "agreement": True, "documents": [1], "analyses": True}


@pytest.mark.parametrize(
    ("statement", "params"),
    [
        (sql.PROJECT_LABELS, {"project": 1, "calibration": True}),
        (sql.DOCUMENT_LABELS, {"document": 1}),
        (sql.DOCUMENTS_LABELS, {"documents": [1, 2]}),
        (sql.MARK_STALE, STALE | {"basis": "gold", "running": "running", "pending": "pending"}),
        (f"SELECT ({sql.LABEL_SOURCES_JSON}) FROM annotator_annotation", {}),
        (f"SELECT ({sql.DECISION_SOURCES_JSON}) FROM curation_decision", {}),
    ],
    ids=["project labels", "document labels", "documents' labels", "mark stale", "label sources", "decision sources"],
)
def test_the_statement_is_planned_against_the_schema(statement, params):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + statement, params or None)
        assert cursor.fetchall()
