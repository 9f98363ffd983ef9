"""The two writes annotator makes in SQL rather than through the ORM: the label upsert of every save, and
the sentences of a bulk import (COPY)."""

import datetime
import io
from collections.abc import Iterable
from typing import NamedTuple

from django.db import connection

from .models import Annotation, Label, Sentence

_INSERTED = ("sentence", "annotator", "label", "speaker", "note", "created", "updated")
_REPLACED = ("label", "speaker", "note", "updated")


class SavedAnnotation(NamedTuple):
    """What the upsert returns of the row it wrote."""

    id: int
    label_id: int
    created: datetime.datetime


def _upsert_sql() -> str:
    """INSERT ... SELECT the label by name ... ON CONFLICT DO UPDATE ... RETURNING (PostgreSQL, SQLite 3.35+).

    Raw SQL because one statement finds the label by name, and creates the annotation or updates
    it in place, which neither `update_or_create` (a read, then a write, and an IntegrityError to
    catch when two first saves race) nor `bulk_create(update_conflicts=True)` (which returns no
    `created` to tell the two apart, nor the label) can. The unique constraint on (sentence,
    annotator) settles two concurrent first saves of the same reviewer: the later one updates.
    No row comes back when the project has no such label. Pinned by
    `test_a_save_during_a_scheme_edit_that_removes_its_label_is_refused_cleanly`,
    `tests/annotator/test_concurrency.py` (`test_one_reviewer_saving_twice_at_once_ends_with_one_label`),
    `tests/annotator/test_annotations_api.py` (`test_saving_again_replaces_the_reviewers_label`,
    `test_a_label_of_another_project_is_unknown`) and the save's query count in
    `tests/annotator/test_query_counts.py` (`test_saving_a_label_costs_the_same_queries_with_0_or_5_sources`).
    """
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    inserted = ", ".join(column(Annotation, name) for name in _INSERTED)
    # The label row is share-locked as the foreign key's check at commit would lock it, but now: a
    # label-scheme edit that holds it (removing or renaming the label) makes the save wait and then
    # find no such label (a 400), and a save that holds it makes the edit wait and then see the label
    # in use (a 409), instead of an IntegrityError at commit. SQLite takes the whole database instead.
    lock = " FOR KEY SHARE OF l" if connection.vendor == "postgresql" else ""
    replaced = ", ".join(f"{column(Annotation, name)} = EXCLUDED.{column(Annotation, name)}" for name in _REPLACED)
    return (
        f"INSERT INTO {quote(Annotation._meta.db_table)} ({inserted}) "
        f"SELECT %s, %s, l.{column(Label, 'id')}, %s, %s, %s, %s FROM {quote(Label._meta.db_table)} l "
        f"WHERE l.{column(Label, 'project')} = %s AND l.{column(Label, 'name')} = %s{lock} "
        f"ON CONFLICT ({column(Annotation, 'sentence')}, {column(Annotation, 'annotator')}) DO UPDATE SET {replaced} "
        f"RETURNING {column(Annotation, 'id')}, {column(Annotation, 'label')}, {column(Annotation, 'created')}"
    )


def _created_as_the_orm_reads_it(value) -> datetime.datetime:
    """`created` as the cursor returned it, converted as the ORM would (SQLite returns datetimes as text)."""
    column = Annotation._meta.get_field("created").get_col(Annotation._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
        value = converter(value, column, connection)
    return value


def upsert_annotation(
    *, sentence_id: int, annotator_id: int, project_id: int, label_name: str, speaker: str, note: str, now
) -> SavedAnnotation | None:
    """Set the reviewer's label on the sentence at `now`; None if `project_id` has no label `label_name`.

    The annotation is new when the `created` it returns is `now`.
    """
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [sentence_id, annotator_id, speaker, note, stamp, stamp, project_id, label_name])
        row = cursor.fetchone()
    if row is None:
        return None
    annotation_id, label_id, created = row
    return SavedAnnotation(annotation_id, label_id, _created_as_the_orm_reads_it(created))


class SentenceRow(NamedTuple):
    """A new sentence as `insert_sentences` writes it."""

    document_id: int
    index: int
    paragraph: int
    start: int
    end: int
    text: str
    key: str = ""


_COPIED = ("document", "index", "paragraph", "start", "end", "text", "key")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def insert_sentences(rows: Iterable[SentenceRow]) -> None:
    """Insert new sentences with one `COPY ... FROM STDIN` on PostgreSQL (`bulk_create` elsewhere).

    A bulk import of long articles writes a hundred thousand sentences or more: COPY takes them
    in one stream, with no model instance per sentence, where `bulk_create` builds an INSERT per
    batch. Pinned by the bulk import tests of `tests/annotator/test_documents_api.py` (sentences
    read back as split), among them
    `test_sentences_with_backslashes_read_back_as_imported`.
    """
    if connection.vendor != "postgresql":
        Sentence.objects.bulk_create((Sentence(**row._asdict()) for row in rows), batch_size=2000)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Sentence._meta.get_field(name).column) for name in _COPIED)
    stream = io.StringIO()
    for row in rows:
        text, key = row.text.translate(_COPY_ESCAPES), row.key.translate(_COPY_ESCAPES)
        stream.write(f"{row.document_id}\t{row.index}\t{row.paragraph}\t{row.start}\t{row.end}\t{text}\t{key}\n")
    stream.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {quote(Sentence._meta.db_table)} ({columns}) FROM STDIN", stream)
