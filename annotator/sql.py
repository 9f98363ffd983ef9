"""The statements annotator writes in SQL rather than through the ORM: the sentence and role every save starts
from and the label upsert of every save, a request for work (the article a reviewer takes from the pool; the
whole request on PostgreSQL), and the documents and sentences of an import (COPY)."""

import datetime
import functools
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from lede import prepared

from .models import Annotation, AnnotationEvent, Assignment, Document, Label, Membership, Project, Sentence, Source
from .text.segmentation import SentenceSpan

_INSERTED = ("sentence", "annotator", "label", "speaker", "note", "created", "updated")
_REPLACED = ("label", "speaker", "note", "updated")
_EVENT = ("project", "sentence", "annotator", "actor", "action", "data", "at")


class SavedAnnotation(NamedTuple):
    """What the upsert returns of the row it wrote."""

    id: int
    label_id: int
    created: datetime.datetime


@functools.cache
def _sentence_to_label_sql(vendor: str) -> str:
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    return (
        f"SELECT s.{column(Sentence, 'id')}, s.{column(Sentence, 'document')}, d.{column(Document, 'project')}, "
        f"m.{column(Membership, 'role')} FROM {quote(Sentence._meta.db_table)} s "
        f"JOIN {quote(Document._meta.db_table)} d ON d.{column(Document, 'id')} = s.{column(Sentence, 'document')} "
        f"JOIN {quote(Membership._meta.db_table)} m ON m.{column(Membership, 'project')} = "
        f"d.{column(Document, 'project')} AND m.{column(Membership, 'user')} = %s "
        f"WHERE s.{column(Sentence, 'id')} = %s"
    )


def sentence_to_label(*, sentence_id: int, user_id: int) -> Sentence | None:
    """The sentence with its document and project holding only their ids, and `role`, the user's role in the
    project; None when the user is not a member of the sentence's project.

    Raw SQL because it starts every save, the busiest request, and building the same join through
    the ORM (`select_related`, `only`, an annotation) took about a quarter of the save's CPU in
    the web process. Pinned by the tests of `annotator.selectors.sentence_to_label`'s callers
    (`tests/annotator/test_annotations_api.py`, `tests/annotator/test_permissions.py`).
    """
    with connection.cursor() as cursor:
        prepared.execute(cursor, _sentence_to_label_sql(connection.vendor), [user_id, sentence_id])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, document_id, project_id, role = row
    alias = connection.alias
    project = Project.from_db(alias, ["id"], [project_id])
    document = Document.from_db(alias, ["id", "project_id"], [document_id, project_id])
    sentence = Sentence.from_db(alias, ["id", "document_id"], [pk, document_id])
    document.project, sentence.document = project, document
    sentence.role = role
    return sentence


@functools.cache
def _upsert_sql(vendor: str) -> str:
    """INSERT ... SELECT the label by name ... ON CONFLICT DO UPDATE ... RETURNING (PostgreSQL, SQLite 3.35+),
    built once per process (`vendor` is the database's, a process has one).

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
    lock = " FOR KEY SHARE OF l" if vendor == "postgresql" else ""
    replaced = ", ".join(f"{column(Annotation, name)} = EXCLUDED.{column(Annotation, name)}" for name in _REPLACED)
    upsert = (
        f"INSERT INTO {quote(Annotation._meta.db_table)} ({inserted}) "
        f"SELECT %s, %s, l.{column(Label, 'id')}, %s, %s, %s, %s FROM {quote(Label._meta.db_table)} l "
        f"WHERE l.{column(Label, 'project')} = %s AND l.{column(Label, 'name')} = %s{lock} "
        f"ON CONFLICT ({column(Annotation, 'sentence')}, {column(Annotation, 'annotator')}) DO UPDATE SET {replaced} "
        f"RETURNING {column(Annotation, 'id')}, {column(Annotation, 'label')}, {column(Annotation, 'created')}"
    )
    if vendor != "postgresql":
        return upsert
    # PostgreSQL writes the history event in the same statement (a data-modifying CTE), for the
    # row the upsert returned: none when the label is unknown. A new label also finishes the
    # reviewer's open assignment of the article when no other sentence of it is left unlabelled (the
    # statement's snapshot does not see the row it inserts, hence "other"). That check is correlated
    # with the assignment, so it costs nothing without one, and looks for an unlabelled sentence from
    # the article's end through scalar subqueries, which the planner keeps as an index walk that stops
    # at the first one: reviewers label from the top, so it is found at once until the article is done.
    event = ", ".join(column(AnnotationEvent, name) for name in _EVENT)
    created = column(Annotation, "created")
    assignment, sentence = quote(Assignment._meta.db_table), quote(Sentence._meta.db_table)
    sentence_id, reviewer = column(Sentence, "id"), column(Assignment, "reviewer")
    labelled = (
        f"SELECT 1 FROM {quote(Annotation._meta.db_table)} x "
        f"WHERE x.{column(Annotation, 'sentence')} = s.{sentence_id} "
        f"AND x.{column(Annotation, 'annotator')} = a.{reviewer}"
    )
    last_unlabelled = (
        f"SELECT s.{sentence_id} FROM {sentence} s "
        f"WHERE s.{column(Sentence, 'document')} = a.{column(Assignment, 'document')} AND s.{sentence_id} <> %s "
        f"AND ({labelled}) IS NULL ORDER BY s.{column(Sentence, 'index')} DESC LIMIT 1"
    )
    return (
        f"WITH saved AS ({upsert}), event AS (INSERT INTO {quote(AnnotationEvent._meta.db_table)} ({event}) "
        f"SELECT %s, %s, %s, %s, CASE WHEN saved.{created} = %s THEN %s ELSE %s END, %s::jsonb, %s FROM saved), "
        f"finished AS (UPDATE {assignment} a SET {column(Assignment, 'finished')} = %s FROM saved "
        f"WHERE saved.{created} = %s AND a.{column(Assignment, 'document')} = %s "
        f"AND a.{reviewer} = %s AND a.{column(Assignment, 'finished')} IS NULL AND ({last_unlabelled}) IS NULL) "
        f"SELECT * FROM saved"
    )


def _created_as_the_orm_reads_it(value) -> datetime.datetime:
    """`created` as the cursor returned it, converted as the ORM would (SQLite returns datetimes as text)."""
    column = Annotation._meta.get_field("created").get_col(Annotation._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
        value = converter(value, column, connection)
    return value


def upsert_annotation(
    *,
    sentence_id: int,
    document_id: int,
    annotator_id: int,
    project_id: int,
    label_name: str,
    speaker: str,
    note: str,
    now,
    actor_id: int,
    history: dict,
) -> SavedAnnotation | None:
    """Set the reviewer's label on the sentence at `now` and record the history event (`actor_id`, its `history`
    data, an action of created or updated); None, and no event, if `project_id` has no label `label_name`.

    The annotation is new when the `created` it returns is `now`. On PostgreSQL the same statement
    writes the event and, for a new label, finishes the reviewer's assignment of `document_id` once
    every sentence is labelled (as `annotator.services.assignments.after_label_saved` does, which the
    caller runs elsewhere); elsewhere the event is written by an INSERT after it.
    """
    stamp = connection.ops.adapt_datetimefield_value(now)
    params = [sentence_id, annotator_id, speaker, note, stamp, stamp, project_id, label_name]
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        Action = AnnotationEvent.Action
        params += [project_id, sentence_id, annotator_id, actor_id, stamp, Action.CREATED, Action.UPDATED]
        params += [json.dumps(history), stamp]
        params += [stamp, stamp, document_id, annotator_id, sentence_id]
    with connection.cursor() as cursor:
        prepared.execute(cursor, _upsert_sql(connection.vendor), params)
        row = cursor.fetchone()
    if row is None:
        return None
    annotation_id, label_id, created = row
    saved = SavedAnnotation(annotation_id, label_id, _created_as_the_orm_reads_it(created))
    if not postgresql:
        AnnotationEvent.objects.create(
            project_id=project_id,
            sentence_id=sentence_id,
            annotator_id=annotator_id,
            actor_id=actor_id,
            action=AnnotationEvent.Action.CREATED if saved.created == now else AnnotationEvent.Action.UPDATED,
            data=history,
        )
    return saved


@functools.cache
def _delete_sources_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    return f"DELETE FROM {quote(Source._meta.db_table)} WHERE {quote(Source._meta.get_field('annotation').column)} = %s"


def delete_sources(annotation_id: int) -> None:
    """Delete the sources of an annotation whose label is being replaced.

    Raw SQL (prepared, as the upsert is) because a replacement runs it on every save, whether or
    not there were sources, and the queryset's delete built its statement each time; nothing
    refers to a source, so there is nothing for Django's collector to do.
    """
    with connection.cursor() as cursor:
        prepared.execute(cursor, _delete_sources_sql(connection.vendor), [annotation_id])


# Tries at the pool passing over articles raised meanwhile, before one that takes any article below k.
STRICT_ATTEMPTS = 3

# Ordinary articles considered per request for work: more than the callers that can hold a lock at once,
# few enough that scoring their reviewer pairs stays cheap.
POOL_SIZE = 64


def _take_from_pool_sql(strict: bool) -> str:
    """WITH pool ... UPDATE the first free article of the ranked pool ... RETURNING it (PostgreSQL, SQLite 3.35+).

    The pool is the reviewer's `POOL_SIZE` least-covered ordinary articles below k that they do not
    hold yet; each is ranked by its coverage, then by how many articles the reviewer already shares
    with the holder they share the fewest with (so that every pair of reviewers comes to share
    articles), then by a hash of article and reviewer, so that reviewers asking at once try the
    pool in different orders. The first one not locked by another request (`FOR UPDATE SKIP
    LOCKED`; SQLite takes the whole database instead) has its coverage raised, still only below k.
    When `strict`, an article whose coverage another request raised since the pool was read is
    passed over too (PostgreSQL checks a locked row again as it is now), so that concurrent
    requests do not pile onto an article while less-covered ones wait.

    Raw SQL because it is one statement where the ORM took six (pool, its holders, the reviewer's
    pairs, the lock in Python's order, the update, and a `Case` of 64 `When`s to carry the order),
    and the pairing needs a grouped join the ORM cannot put under `select_for_update`. It serves
    the Python path of a request for work (SQLite); on PostgreSQL `lede_next_assignment()` runs the
    same statement inside the function (`next_assignment`), and a change here belongs there too, in
    a migration. Pinned by `tests/annotator/test_assignments.py` (least covered first, never twice,
    every pair shares, the query count of a request for work) and
    `tests/annotator/test_assignment_races.py` (PostgreSQL).
    """
    quote = connection.ops.quote_name
    document, assignment = quote(Document._meta.db_table), quote(Assignment._meta.db_table)

    def d(name: str) -> str:
        return quote(Document._meta.get_field(name).column)

    def a(name: str) -> str:
        return quote(Assignment._meta.get_field(name).column)

    lock = " FOR UPDATE OF d SKIP LOCKED" if connection.vendor == "postgresql" else ""
    settled = f" AND d.{d('coverage')} = ranked.coverage" if strict else ""
    return (
        f"WITH shared AS ("
        f"SELECT o.{a('reviewer')} AS reviewer, COUNT(*) AS n FROM {assignment} o "
        f"WHERE o.{a('document')} IN (SELECT m.{a('document')} FROM {assignment} m "
        f"WHERE m.{a('project')} = %(project)s AND m.{a('reviewer')} = %(reviewer)s) "
        f"AND o.{a('reviewer')} <> %(reviewer)s GROUP BY o.{a('reviewer')}"
        f"), pool AS ("
        f"SELECT p.{d('id')} AS id, p.{d('coverage')} AS coverage FROM {document} p "
        f"WHERE p.{d('project')} = %(project)s AND NOT p.{d('calibration')} AND NOT p.{d('training')} "
        f"AND p.{d('coverage')} < %(k)s AND NOT EXISTS (SELECT 1 FROM {assignment} x "
        f"WHERE x.{a('document')} = p.{d('id')} AND x.{a('reviewer')} = %(reviewer)s) "
        f"ORDER BY p.{d('coverage')}, p.{d('id')} LIMIT %(pool)s"
        f"), ranked AS ("
        f"SELECT pool.id, pool.coverage, MIN(COALESCE(shared.n, 0)) AS pairing, "
        f"(pool.id * 2654435761 + CAST(%(reviewer)s AS BIGINT) * 40503) %% 4294967296 AS tiebreak FROM pool "
        f"LEFT JOIN {assignment} h ON h.{a('document')} = pool.id "
        f"LEFT JOIN shared ON shared.reviewer = h.{a('reviewer')} GROUP BY pool.id, pool.coverage"
        f") "
        f"UPDATE {document} SET {d('coverage')} = {d('coverage')} + 1 "
        f"WHERE {d('id')} = (SELECT d.{d('id')} FROM {document} d JOIN ranked ON ranked.id = d.{d('id')} "
        f"WHERE d.{d('coverage')} < %(k)s{settled} ORDER BY ranked.coverage, ranked.pairing, ranked.tiebreak "
        f"LIMIT 1{lock}) AND {d('coverage')} < %(k)s "
        f"RETURNING {d('id')}"
    )


def take_from_pool(*, project_id: int, reviewer_id: int, overlap: int, strict: bool = True) -> int | None:
    """The ordinary article `reviewer_id` takes next, its coverage raised by one; None when none is free (or, when
    `strict`, when every article of the pool was taken or raised meanwhile)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _take_from_pool_sql(strict),
            {"project": project_id, "reviewer": reviewer_id, "k": overlap, "pool": POOL_SIZE},
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


class NextAssignment(NamedTuple):
    """What `lede_next_assignment()` returns: the assignment with what the API shows of it, or (when
    `assignment_id` is None) the reviewer's agreement with the reference labels that keeps them in training."""

    assignment_id: int | None
    document_id: int | None
    assigned_by_id: int | None
    assigned: datetime.datetime | None
    touched: datetime.datetime | None
    title: str | None
    calibration: bool | None
    training: bool | None
    sentence_count: int | None
    labelled: int | None
    assigned_by_username: str | None
    agreed: int | None
    total: int | None


def next_assignment(
    *, project_id: int, reviewer_id: int, overlap: int | None, reclaim_after, training_threshold: float | None
) -> NextAssignment | None:
    """A whole request for work in one call of `lede_next_assignment()` (PostgreSQL only; migration
    `0014_next_assignment_function`); None when nothing is left.

    The function does, in one round trip and one transaction, what
    `annotator.services.assignments.next_assignment` does in Python, and returns the assignment with
    the columns `annotator.selectors.assignments` adds: under 32 concurrent callers each of the Python
    path's round trips (eight, and one more to read the assignment back) queued again for the
    interpreter and a server thread, and each ORM statement was planned anew, where a PL/pgSQL function
    keeps its plans. Unlike the Python path, a reviewer whom the training gate stops keeps what the
    request reclaimed and marked finished.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM lede_next_assignment(%s, %s, %s, %s, %s, %s, %s)",
            [project_id, reviewer_id, overlap, reclaim_after, training_threshold, POOL_SIZE, STRICT_ATTEMPTS],
        )
        row = cursor.fetchone()
    return None if row is None else NextAssignment(*row)


class DocumentSentences(NamedTuple):
    """A new document's sentences as `insert_sentences` writes them: where each is in the document's text."""

    document_id: int
    text: str
    spans: Sequence[SentenceSpan]


_COPIED = ("document", "index", "paragraph", "start", "end", "text", "key")


def _copy_escaped(value: str) -> str:
    """`value` as a field of COPY's text format (backslash first, so that the escapes' own are not doubled).

    Four `replace` calls, not `str.translate`: `translate` looks up every character of a non-ASCII text
    in a dictionary, which made escaping an article's text cost more than sending it; `replace`
    scans in C and returns the string itself when it finds nothing.
    """
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def insert_sentences(documents: Iterable[DocumentSentences]) -> None:
    """Insert the sentences of new documents with one `COPY ... FROM STDIN` on PostgreSQL (`bulk_create`
    elsewhere); a new sentence has no key.

    A bulk import of long articles writes a hundred thousand sentences or more: COPY takes them
    in one stream, with no model instance or row object per sentence, where `bulk_create` builds an
    INSERT per batch. Pinned by the bulk import tests of `tests/annotator/test_documents_api.py`
    (sentences read back as split), among them `test_sentences_with_backslashes_read_back_as_imported`.
    """
    if connection.vendor != "postgresql":
        Sentence.objects.bulk_create(
            (
                Sentence(document_id=pk, index=i, paragraph=p, start=start, end=end, text=text[start:end])
                for pk, text, spans in documents
                for i, p, start, end in spans
            ),
            batch_size=2000,
        )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Sentence._meta.get_field(name).column) for name in _COPIED)
    lines = (
        "".join([f"{pk}\t{i}\t{p}\t{start}\t{end}\t{_copy_escaped(text[start:end])}\t\n" for i, p, start, end in spans])
        for pk, text, spans in documents
    )
    with connection.cursor() as cursor:
        _copy_from(cursor, f"COPY {quote(Sentence._meta.db_table)} ({columns}) FROM STDIN", lines)


class _CopyStream(io.TextIOBase):
    """COPY's input, made as PostgreSQL reads it, so that its backend parses one part while this process
    formats the next."""

    def __init__(self, parts: Iterable[str]):
        self._parts = iter(parts)

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        taken, length = [], 0
        for part in self._parts:
            taken.append(part)
            length += len(part)
            if size is not None and 0 <= size <= length:
                break
        return "".join(taken)


def _copy_from(cursor, sql: str, parts: Iterable[str]) -> None:
    """`COPY ... FROM STDIN` of the text `parts` make, sent about 256 kB at a time."""
    cursor.copy_expert(sql, _CopyStream(parts), 256 * 1024)


@dataclass(slots=True)
class DocumentRow:
    """A new document as `insert_documents` writes it: an imported article's fields, without a model instance.

    A bulk import builds one per article, and building a `Document` (every field's default, every
    foreign key's descriptor) cost more than writing the row. Mutable, because the outlet is matched
    against the project's list before it is written (`annotator.services.outlets.match_outlets`).
    """

    text: str
    format: str
    key: str = ""
    title: str = ""
    author: str = ""
    outlet: str = ""
    url: str = ""
    published: datetime.date | str | None = None
    topics: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    removed: list[dict] = field(default_factory=list)


_DOCUMENT_COLUMNS = (
    "id", "project", "created_by", "created", "key", "title", "author", "outlet", "url", "published", "topics",
    "attributes", "format", "text", "removed", "calibration", "training", "coverage",
)  # fmt: skip


def _copy_json(value: list | dict) -> str:
    """A JSON field as COPY's text format takes it; most documents have no topics, attributes or removed spans."""
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return _copy_escaped(json.dumps(value))


def insert_documents(rows: list[DocumentRow], *, project_id: int, created_by_id: int | None) -> list[int]:
    """Insert new documents of `project_id`, created now by `created_by_id`; return their ids in the order of
    `rows`. On PostgreSQL with one `COPY ... FROM STDIN`, the ids taken from the table's sequence first
    (`bulk_create` elsewhere); a new document is neither a calibration nor a training article, and no
    reviewer holds it yet.

    An import of 2,000 short texts spent most of its time in `bulk_create` turning every field of every
    document into an SQL parameter; COPY takes the rows as one stream of text. Pinned by
    `tests/annotator/test_document_copy.py` (every field as `bulk_create` writes it) and the bulk import
    tests of `tests/annotator/test_documents_api.py`.
    """
    if connection.vendor != "postgresql" or not rows:
        documents = Document.objects.bulk_create(
            Document(project_id=project_id, created_by_id=created_by_id, **asdict(row)) for row in rows
        )
        return [document.pk for document in documents]
    quote = connection.ops.quote_name
    table = Document._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(table), Document._meta.pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        created_by = "\\N" if created_by_id is None else created_by_id
        project_and_creation = f"\t{project_id}\t{created_by}\t{timezone.now().isoformat()}\t"
        to_date = Document._meta.get_field("published").to_python  # as the ORM would take a "2024-05-01"

        def lines():
            for pk, d in zip(ids, rows, strict=True):
                published = to_date(d.published)
                published = "\\N" if published is None else published.isoformat()
                yield (
                    f"{pk}{project_and_creation}{_copy_escaped(d.key)}\t{_copy_escaped(d.title)}\t"
                    f"{_copy_escaped(d.author)}\t{_copy_escaped(d.outlet)}\t{_copy_escaped(d.url)}\t"
                    f"{published}\t{_copy_json(d.topics)}\t"
                    f"{_copy_json(d.attributes)}\t{_copy_escaped(d.format)}\t{_copy_escaped(d.text)}\t"
                    f"{_copy_json(d.removed)}\tf\tf\t0\n"
                )

        columns = ", ".join(quote(Document._meta.get_field(name).column) for name in _DOCUMENT_COLUMNS)
        _copy_from(cursor, f"COPY {quote(table)} ({columns}) FROM STDIN", lines())
    return ids
