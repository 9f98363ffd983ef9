"""The raw SQL of claims: the label reads of the reports (binary COPY), marking reports stale, sources as JSON text.

Each statement is here because a bench proved the ORM slower for it: the reports read every label
of a project (`bench/recompute.py`), a label save marks its reports stale (`bench/label_throughput.py`),
and the exports write every label's sources (`bench/export_speed.py`). The label reads by binary COPY
against the ORM's `values_list` into NumPy arrays, A/B in `bench/sql_statements.py` (2026-12-07, two
runs, 5 interleaved rounds each, 2 cores at load ~15): PROJECT_LABELS (80,000 labels) 2.4 and 3.1 times
as fast, DOCUMENT_LABELS (one article of 404 labels) 1.13 and 2.05 times. Tables and columns are
written as the migrations name them; `tests/claims/test_sql.py` has PostgreSQL plan every statement
against the migrated schema, so a statement that no longer matches it fails there.
"""

import datetime
import io
from collections import namedtuple

import numpy as np
from django.db import DatabaseError, connection, transaction

from claims.models import AgreementReport
from lede import prepared

# (sentence, annotator, label, updated) of every label of the project's study articles, or with
# `calibration` of its calibration set: labels on training articles are practice, never agreement. A
# semi-join on the project's sentences rather than a join, so PostgreSQL hashes only the project's
# sentence ids and streams the annotations past them.
PROJECT_LABELS = """
SELECT a.sentence_id, a.annotator_id::bigint AS annotator_id, a.label_id, a.updated
FROM annotator_annotation a
WHERE a.sentence_id IN (
    SELECT s.id FROM annotator_sentence s WHERE s.document_id IN (
        SELECT d.id FROM annotator_document d
        WHERE d.project_id = %(project)s AND d.training = false AND (d.calibration OR NOT %(calibration)s)
    )
)
"""

# The same of one article (none if it is a training article).
DOCUMENT_LABELS = """
SELECT a.sentence_id, a.annotator_id::bigint AS annotator_id, a.label_id, a.updated
FROM annotator_annotation a
JOIN annotator_sentence s ON s.id = a.sentence_id
JOIN annotator_document d ON d.id = s.document_id
WHERE s.document_id = %(document)s AND d.training = false
"""

# (document, sentence, annotator, label, updated) of every label of `documents`.
DOCUMENTS_LABELS = """
SELECT s.document_id, a.sentence_id, a.annotator_id::bigint AS annotator_id, a.label_id, a.updated
FROM annotator_annotation a
JOIN annotator_sentence s ON s.id = a.sentence_id
WHERE s.document_id = ANY(%(documents)s)
"""

# Moves `requested_at` of the project's report and of the `documents`' reports (with `agreement`),
# and of its stored analyses (with `analyses`; those on `basis` only unless it is null), to `now`,
# and lists all of them. Every reviewer of a project writes the same report rows after each save, so
# a report already pending with a request newer than `recent` (half a debounce window ago) is left
# as it is: no write, no row lock, no WAL flush. A running report is always moved: the run sees the
# newer request when it finishes and leaves the report pending.
MARK_STALE = """
WITH agreement AS (
    SELECT id, status, requested_at FROM claims_agreementreport
    WHERE %(agreement)s AND project_id = %(project)s AND (document_id IS NULL OR document_id = ANY(%(documents)s))
), agreement_moved AS (
    UPDATE claims_agreementreport r
    SET requested_at = %(now)s, status = CASE WHEN r.status = %(running)s THEN r.status ELSE %(pending)s END
    FROM agreement
    WHERE r.id = agreement.id AND NOT (
        agreement.status = %(pending)s AND agreement.requested_at IS NOT NULL AND agreement.requested_at >= %(recent)s
    )
), analysis AS (
    SELECT id, status, requested_at FROM claims_analysisreport
    WHERE %(analyses)s AND project_id = %(project)s AND (%(basis)s::varchar IS NULL OR basis = %(basis)s::varchar)
), analysis_moved AS (
    UPDATE claims_analysisreport r
    SET requested_at = %(now)s, status = CASE WHEN r.status = %(running)s THEN r.status ELSE %(pending)s END
    FROM analysis
    WHERE r.id = analysis.id AND NOT (
        analysis.status = %(pending)s AND analysis.requested_at IS NOT NULL AND analysis.requested_at >= %(recent)s
    )
)
SELECT 'agreement' AS kind, id FROM agreement UNION ALL SELECT 'analysis' AS kind, id FROM analysis
"""

# The sources of each label (the outer query's `annotator_annotation` row), or of each decision, as one
# JSON array text in position order (NULL without any), spelled as `json.dumps(list_of_dicts,
# ensure_ascii=False)` spells it: the ORM's aggregates give `jsonb`, which reorders the keys and
# spaces JSON its own way. `to_json` quotes each string exactly as Python's JSON encoder does.
LABEL_SOURCES_JSON = """
SELECT '[' || string_agg(
    '{"url": ' || to_json(s.url)::text || ', "title": ' || to_json(s.title)::text
        || ', "note": ' || to_json(s.note)::text || '}',
    ', ' ORDER BY s.position, s.id) || ']'
FROM annotator_source s WHERE s.annotation_id = annotator_annotation.id
"""

DECISION_SOURCES_JSON = """
SELECT '[' || string_agg(
    '{"url": ' || to_json(s.url)::text || ', "title": ' || to_json(s.title)::text
        || ', "note": ' || to_json(s.note)::text || '}',
    ', ' ORDER BY s.position, s.id) || ']'
FROM curation_decisionsource s WHERE s.decision_id = curation_decision.id
"""

Marked = namedtuple("Marked", "agreement analyses")

_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00"
_POSTGRES_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC).timestamp()


def mark_stale(
    *,
    project_id: int,
    now: datetime.datetime,
    recent: datetime.datetime,
    agreement: bool,
    documents: list[int],
    analyses: bool,
    basis: str | None,
) -> Marked:
    """Run `MARK_STALE`; the ids it lists, sorted, by kind.

    A prepared statement (`lede.prepared`): it runs after every label save, and its text does not
    depend on how many documents there are (they are one array parameter).
    """
    status = AgreementReport.Status
    params = {
        "project": project_id,
        "now": now,
        "recent": recent,
        "agreement": agreement,
        "documents": documents,
        "analyses": analyses,
        "basis": basis,
        "running": status.RUNNING,
        "pending": status.PENDING,
    }
    with connection.cursor() as cursor:
        prepared.execute(cursor, MARK_STALE, params)
        rows = cursor.fetchall()
    return Marked(
        agreement=sorted(pk for kind, pk in rows if kind == "agreement"),
        analyses=sorted(pk for kind, pk in rows if kind == "analysis"),
    )


def copy_columns(statement: str, params: dict, columns: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The rows of `statement` through PostgreSQL's binary COPY, as one int64 array per column of `columns`.

    COPY takes no parameters, so the statement is spelled with them by the driver first. Every
    column must be 8 bytes wide and never NULL (ids cast to bigint; a timestamptz is microseconds
    since 2000-01-01 UTC, `posix_seconds` turns it into POSIX time), so the rows are fixed-width and
    NumPy views the whole stream at once, without a Python object per row.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        # Enough memory for the sentence-id hash of a large project, for this transaction only.
        raw.execute("SET LOCAL work_mem = '64MB'")
        query = raw.mogrify(statement, params).decode()
        buffer = io.BytesIO()
        raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT binary)", buffer)
    payload = buffer.getbuffer()
    if bytes(payload[:11]) != _COPY_HEADER:
        raise DatabaseError("Unexpected COPY header from PostgreSQL.")
    start = 19 + int.from_bytes(payload[15:19], "big")
    fields = [("fields", ">i2")]
    for name in columns:
        fields += [(f"len_{name}", ">i4"), (name, ">i8")]
    row = np.dtype(fields)
    rows = np.frombuffer(payload, dtype=row, count=(len(payload) - start - 2) // row.itemsize, offset=start)
    found = {name: rows[name].astype(np.int64) for name in columns}
    del rows, payload
    return found


def posix_seconds(microseconds):
    """A timestamptz as binary COPY writes it (microseconds since 2000-01-01 UTC) in POSIX seconds."""
    return microseconds / 1e6 + _POSTGRES_EPOCH
