"""Reading the labels of a project or document into the units x coders array `claims.agreement` takes."""

import datetime
import io

import numpy as np
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from annotator.models import Annotation, Document, Label, Project, Sentence

_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00"
_POSTGRES_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC).timestamp()


class LabelMatrix:
    """The labels of a project or document as `agreement` wants them, plus what they came from."""

    def __init__(self, *, data, sentence_ids, coders, categories, values, level, annotation_count, latest_update):
        self.data = data  # (units, coders) category index, -1 where a coder did not label a unit
        self.sentence_ids = sentence_ids  # the sentence of each row of `data`
        self.coders = coders  # usernames, sorted
        self.categories = categories  # label names in the scheme's order
        self.values = values  # numeric label values on an interval scale, else None
        self.level = level
        self.annotation_count = annotation_count
        self.latest_update = latest_update


def _label_rows_sql(*, project_id: int, document_id: int | None, calibration: bool = False) -> tuple[str, list]:
    """The (sentence, annotator, label, updated) rows of a project, its calibration set, or one document.

    Labels on training articles are practice, never agreement: they are left out everywhere.
    Raw SQL because PostgreSQL's binary COPY takes the text of a query, and the generic reader
    runs the same text so both read the same rows. For a project it is a semi-join on the
    project's sentences rather than a join, so PostgreSQL hashes only the project's sentence ids
    and streams the annotations past them. Pinned by `tests/claims/test_reports.py`
    (`test_read_labels_places_each_label_at_its_sentence_and_reviewer`,
    `test_document_matrix_lists_unlabelled_sentences_in_order`), which run on both databases,
    and `tests/claims/test_study_design_reports.py`.
    """
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    annotation, sentence, document = (quote(model._meta.db_table) for model in (Annotation, Sentence, Document))
    columns = ", ".join(f"a.{column(Annotation, name)}" for name in ("sentence", "annotator", "label", "updated"))
    labelled, sentence_id, sentence_document = (
        column(Annotation, "sentence"),
        column(Sentence, "id"),
        column(Sentence, "document"),
    )
    in_study = f"d.{column(Document, 'training')} = %s"
    if document_id is not None:
        sql = (
            f"SELECT {columns} FROM {annotation} a JOIN {sentence} s ON s.{sentence_id} = a.{labelled} "
            f"JOIN {document} d ON d.{column(Document, 'id')} = s.{sentence_document} "
            f"WHERE s.{sentence_document} = %s AND {in_study}"
        )
        return sql, [document_id, False]
    calibration_only = f" AND d.{column(Document, 'calibration')} = %s" if calibration else ""
    sql = (
        f"SELECT {columns} FROM {annotation} a WHERE a.{labelled} IN "
        f"(SELECT s.{sentence_id} FROM {sentence} s WHERE s.{sentence_document} IN "
        f"(SELECT d.{column(Document, 'id')} FROM {document} d WHERE d.{column(Document, 'project')} = %s "
        f"AND {in_study}{calibration_only}))"
    )
    return sql, [project_id, False, *([True] if calibration else [])]


def _copy_row_dtype() -> np.dtype:
    """One row of PostgreSQL's binary COPY of the four columns: a field count, then (length, value) each.

    No column can be NULL, so rows are fixed-width and NumPy can view the whole stream at once.
    Integer widths follow the key types (the user id is a 4-byte AutoField unless a project swaps it).
    """

    def width(name: str) -> str:
        internal = Annotation._meta.get_field(name).target_field.get_internal_type()
        return ">i8" if internal in ("BigAutoField", "BigIntegerField") else ">i4"

    fields = [("fields", ">i2")]
    for name in ("sentence", "annotator", "label"):
        fields += [(f"len_{name}", ">i4"), (name, width(name))]
    # timestamptz in binary: microseconds since 2000-01-01 UTC.
    return np.dtype([*fields, ("len_updated", ">i4"), ("updated", ">i8")])


def _read_postgresql(sql: str, params: list) -> tuple[np.ndarray, ...] | None:
    """Stream the rows with binary COPY and view them as one NumPy record array (no Python objects).

    Raw SQL because the ORM has no COPY; `tests/claims/test_reports.py` runs on PostgreSQL
    through here and pins the matrix it gives.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        if not hasattr(raw, "copy_expert"):
            return None
        # Enough memory for the sentence-id hash of a large project, for this transaction only.
        raw.execute("SET LOCAL work_mem = '64MB'")
        query = raw.mogrify(sql, params).decode()
        buffer = io.BytesIO()
        raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT binary)", buffer)
    payload = buffer.getbuffer()
    if bytes(payload[:11]) != _COPY_HEADER:
        raise DatabaseError("Unexpected COPY header from PostgreSQL.")
    start = 19 + int.from_bytes(payload[15:19], "big")
    row = _copy_row_dtype()
    rows = np.frombuffer(payload, dtype=row, count=(len(payload) - start - 2) // row.itemsize, offset=start)
    result = (
        rows["sentence"].astype(np.int64),
        rows["annotator"].astype(np.int64),
        rows["label"].astype(np.int64),
        int(rows["updated"].max()) / 1e6 + _POSTGRES_EPOCH if len(rows) else None,
    )
    del rows, payload
    return result


def _read_generic(sql: str, params: list) -> tuple[np.ndarray, ...]:
    """The same rows through an ordinary cursor, for SQLite (the demo)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if not fetched:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, None
    sentence, annotator, label, updated = zip(*fetched, strict=True)
    latest = max(updated)
    if isinstance(latest, str):
        latest = datetime.datetime.fromisoformat(latest)
    if isinstance(latest, datetime.datetime):
        latest = (latest if latest.tzinfo else latest.replace(tzinfo=datetime.UTC)).timestamp()
    return (
        np.array(sentence, np.int64),
        np.array(annotator, np.int64),
        np.array(label, np.int64),
        latest,
    )


def read_label_rows(
    project: Project, document: Document | None = None, *, calibration: bool = False
) -> tuple[np.ndarray, ...]:
    """The (sentence, annotator, label) ids of every label of a project, its calibration set or a document
    as arrays, and the latest label update as a POSIX timestamp (None without labels)."""
    sql, params = _label_rows_sql(
        project_id=project.pk, document_id=document.pk if document else None, calibration=calibration
    )
    rows = _read_postgresql(sql, params) if connection.vendor == "postgresql" else None
    return rows or _read_generic(sql, params)


def positions(keys: np.ndarray, ordered_ids: np.ndarray) -> np.ndarray:
    """Position of each of `keys` in `ordered_ids` (which need not be sorted)."""
    order = np.argsort(ordered_ids, kind="stable")
    return order[np.searchsorted(ordered_ids, keys, sorter=order)]


def read_labels(project: Project, document: Document | None = None, *, calibration: bool = False) -> LabelMatrix:
    """Every label of the project (or of one document, or of the calibration set) as a units x coders array.

    Project: the units are the sentences with at least one label. Document: every sentence of
    the document, in order, labelled or not (the per-sentence table lists them all).
    Coders are the reviewers who labelled in that scope, sorted by username.
    """
    sentence_ids, annotator_ids, label_ids, latest = read_label_rows(project, document, calibration=calibration)

    labels = list(Label.objects.filter(project=project).order_by("order", "id").values_list("pk", "name", "value"))
    label_pks = np.array([pk for pk, _, _ in labels], np.int64)
    categories = [name for _, name, _ in labels]
    values = [value for _, _, value in labels] if project.scale == "interval" else None

    coder_pks = np.unique(annotator_ids)
    names = dict(get_user_model().objects.filter(pk__in=coder_pks.tolist()).values_list("pk", "username"))
    by_name = sorted(coder_pks.tolist(), key=lambda pk: names[pk])
    coders = [names[pk] for pk in by_name]

    if document is not None:
        unit_ids = np.array(
            Sentence.objects.filter(document=document).order_by("index").values_list("pk", flat=True), np.int64
        )
        rows_of_labels = positions(sentence_ids, unit_ids)
    else:
        unit_ids, rows_of_labels = np.unique(sentence_ids, return_inverse=True)

    dtype = np.int8 if len(categories) < 127 else np.int32
    data = np.full((len(unit_ids), len(coders)), -1, dtype=dtype)
    if len(sentence_ids):
        data[rows_of_labels, positions(annotator_ids, np.array(by_name, np.int64))] = positions(label_ids, label_pks)
    return LabelMatrix(
        data=data,
        sentence_ids=unit_ids,
        coders=coders,
        categories=categories,
        values=values,
        level=project.scale,
        annotation_count=len(sentence_ids),
        latest_update=datetime.datetime.fromtimestamp(latest, tz=datetime.UTC) if latest is not None else None,
    )
