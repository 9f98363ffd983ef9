"""The statements annotator writes in SQL rather than through the ORM, as literal text with named parameters.

The sentence and role every save starts from, the label upsert of every save and its sources' delete
(prepared: `lede.prepared`), a request for work (`lede_next_assignment()`), the assignment's finished
rule where the services apply it (`lede_unlabelled_sentence()`; both functions are whole in this
folder's `.sql` files, `annotator.sql.functions`), and the documents and sentences of an import (COPY).
Tables and columns are named literally, as the migrations made them; rows come back as named tuples.
Every statement is checked against the migrated schema by tests/annotator/test_sql.py.

Why each is SQL, with its bench figure where speed is the reason: the A/B runs quoted are of
`bench/sql_statements.py` on 2026-12-07 (20,000 sentences x 5 reviewers, 5 interleaved rounds, 2 cores
shared at load ~15: read the ratios; two runs). The assignment statements (`FINISH_IF_LABELLED`,
`SETTLE_FINISHED`, `UNFINISHED_ASSIGNMENTS`) are SQL for the rule, not for speed: they call
`lede_unlabelled_sentence()`, the one statement of when an assignment is finished, which the ORM could
only restate in Python.
"""

import datetime
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken

from annotator.models import AnnotationEvent, Document
from annotator.text.segmentation import SentenceSpan
from lede import prepared


def _one(cursor, row_type):
    row = cursor.fetchone()
    return None if row is None else row_type(*row)


class SentenceToLabel(NamedTuple):
    """A sentence with the ids a reviewer's own label needs, and the reviewer's role in its project."""

    sentence_id: int
    document_id: int
    project_id: int
    role: str


SENTENCE_TO_LABEL = """
SELECT s.id, s.document_id, d.project_id, m.role
FROM annotator_sentence s
JOIN annotator_document d ON d.id = s.document_id
JOIN annotator_membership m ON m.project_id = d.project_id AND m.user_id = %(user)s
WHERE s.id = %(sentence)s
"""


def sentence_to_label(*, sentence_id: int, user_id: int) -> SentenceToLabel | None:
    """The sentence's ids and the user's role in its project; None when the user is not a member of it.

    SQL because it starts every save, the busiest request, and building the same join through
    the ORM (`select_related`, `only`, an annotation) took about a quarter of the save's CPU in
    the web process. A/B (`bench/sql_statements.py`, run of the module's docstring): the ORM's
    `values_list` of the same join took 3.6 and 4.9 times as long a call in two runs. Pinned by the tests of
    `annotator.selectors.sentence_to_label`'s callers (`tests/annotator/test_annotations_api.py`,
    `tests/annotator/test_permissions.py`).
    """
    with connection.cursor() as cursor:
        prepared.execute(cursor, SENTENCE_TO_LABEL, {"user": user_id, "sentence": sentence_id})
        return _one(cursor, SentenceToLabel)


TOKENS_WITH_ACCOUNTS = """
SELECT t.digest, t.token_key, t.created, t.expiry,
       u.id, u.password, u.last_login, u.is_superuser, u.username, u.first_name, u.last_name, u.email,
       u.is_staff, u.is_active, u.date_joined
FROM knox_authtoken t
JOIN auth_user u ON u.id = t.user_id
WHERE t.token_key = %(token_key)s
"""
_TOKEN_FIELDS = ("digest", "token_key", "created", "expiry")
_ACCOUNT_FIELDS = (
    "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
    "is_active", "date_joined",
)  # fmt: skip


def tokens_with_accounts(token_key: str) -> list:
    """knox's tokens stored under `token_key`, each with its `user`, in one prepared statement.

    SQL because it runs on every API request: knox's own check reads the token and its account
    through the ORM, then every other token of the account (`annotator.api.authentication` gives
    the A/B figures that keep this).
    """
    with connection.cursor() as cursor:
        prepared.execute(cursor, TOKENS_WITH_ACCOUNTS, {"token_key": token_key})
        rows = cursor.fetchall()
    found = []
    for row in rows:
        user = get_user_model()(**dict(zip(_ACCOUNT_FIELDS, row[len(_TOKEN_FIELDS) :], strict=True)))
        token = AuthToken(**dict(zip(_TOKEN_FIELDS, row[: len(_TOKEN_FIELDS)], strict=True)), user=user)
        token._state.adding = False  # read from the database: a delete or save addresses the stored row
        found.append(token)
    return found


class SavedAnnotation(NamedTuple):
    """What the upsert returns: why the study design refuses the label (`lede_may_label()`; None when it does
    not), the row it wrote, and the whole label it found by name (None when refused or the label is unknown)."""

    refused: str | None
    id: int | None
    created: datetime.datetime | None
    seconds: float | None
    label_id: int
    label_project_id: int
    label_name: str
    label_description: str
    label_color: str
    label_key: str
    label_value: float | None
    label_order: int


# One statement asks the study design whether the reviewer may label the article (`lede_may_label()`:
# nothing is written when it refuses), finds the label by name, creates the annotation or updates it in
# place, writes the history event (a data-modifying CTE, for the row the upsert returned: none when the label is
# unknown) and, for a new label, finishes the reviewer's open assignment of the article when no other
# sentence of it is left unlabelled (`lede_unlabelled_sentence()`, leaving out the sentence saved:
# the statement's snapshot does not show the row it inserts). That check is correlated with the
# assignment, so it costs nothing without one.
#
# The label row is share-locked as the foreign key's check at commit would lock it, but now: a
# label-scheme edit that holds it (removing or renaming the label) makes the save wait and then find
# no such label (a 400), and a save that holds it makes the edit wait and then see the label in use
# (a 409), instead of an IntegrityError at commit. The unique constraint on (sentence, annotator)
# settles two concurrent first saves of the same reviewer: the later one updates.
UPSERT_ANNOTATION = """
WITH design AS (
    SELECT lede_may_label(%(document)s, %(annotator)s) AS refused
), label AS (
    SELECT l.id, l.project_id, l.name, l.description, l.color, l.key, l.value, l."order"
    FROM annotator_label l
    WHERE l.project_id = %(project)s AND l.name = %(label)s AND (SELECT design.refused FROM design) IS NULL
    FOR KEY SHARE
), saved AS (
    INSERT INTO annotator_annotation (sentence_id, annotator_id, label_id, speaker, note, seconds, created, updated)
    SELECT %(sentence)s, %(annotator)s, label.id, %(speaker)s, %(note)s, %(seconds)s, %(now)s, %(now)s FROM label
    ON CONFLICT (sentence_id, annotator_id) DO UPDATE
    SET label_id = EXCLUDED.label_id, speaker = EXCLUDED.speaker, note = EXCLUDED.note, updated = EXCLUDED.updated,
        seconds = COALESCE(EXCLUDED.seconds, annotator_annotation.seconds)
    RETURNING id, created, seconds
), event AS (
    INSERT INTO annotator_annotationevent (project_id, sentence_id, annotator_id, actor_id, action, data, at)
    SELECT %(project)s, %(sentence)s, %(annotator)s, %(actor)s,
        CASE WHEN saved.created = %(now)s THEN %(created)s ELSE %(updated)s END, %(history)s::jsonb, %(now)s
    FROM saved
), finished AS (
    UPDATE annotator_assignment a SET finished = %(now)s
    FROM saved
    WHERE saved.created = %(now)s AND a.document_id = %(document)s AND a.reviewer_id = %(annotator)s
      AND a.finished IS NULL
      AND NOT EXISTS (SELECT 1 FROM lede_unlabelled_sentence(a.document_id, a.reviewer_id, %(sentence)s))
)
SELECT design.refused, saved.id, saved.created, saved.seconds, label.*
FROM design LEFT JOIN (saved CROSS JOIN label) ON true
"""


def upsert_annotation(
    *,
    sentence_id: int,
    document_id: int,
    annotator_id: int,
    project_id: int,
    label_name: str,
    speaker: str,
    note: str,
    seconds: float | None,
    now: datetime.datetime,
    actor_id: int,
    history: dict,
) -> SavedAnnotation | None:
    """Set the reviewer's label on the sentence at `now`, record the history event (`actor_id`, its `history`
    data, an action of created or updated) and, for a new label, finish the reviewer's assignment of
    `document_id` once every sentence is labelled; None, and nothing written, if `project_id` has no label
    `label_name`. The annotation is new when the `created` it returns is `now`. A change saved without
    `seconds` (None) keeps the active time measured before.

    SQL because one statement does it all, which neither `update_or_create` (a read, then a write, and an
    IntegrityError to catch when two first saves race) nor `bulk_create(update_conflicts=True)` (which
    returns no `created` to tell the two apart, nor the label) can. Pinned by
    `test_a_save_during_a_scheme_edit_that_removes_its_label_is_refused_cleanly`,
    `tests/annotator/test_concurrency.py` (`test_one_reviewer_saving_twice_at_once_ends_with_one_label`),
    `tests/annotator/test_annotations_api.py` (`test_saving_again_replaces_the_reviewers_label`,
    `test_a_label_of_another_project_is_unknown`), tests/annotator/test_assignment_finished.py and the
    save's query count in `tests/annotator/test_query_counts.py`.
    """
    params = {
        "project": project_id,
        "label": label_name,
        "sentence": sentence_id,
        "annotator": annotator_id,
        "speaker": speaker,
        "note": note,
        "seconds": seconds,
        "now": now,
        "actor": actor_id,
        "created": AnnotationEvent.Action.CREATED.value,
        "updated": AnnotationEvent.Action.UPDATED.value,
        "history": json.dumps(history),
        "document": document_id,
    }
    with connection.cursor() as cursor:
        prepared.execute(cursor, UPSERT_ANNOTATION, params)
        return _one(cursor, SavedAnnotation)


MAY_LABEL = "SELECT lede_may_label(%(document)s, %(reviewer)s)"


def may_label(*, document_id: int, reviewer_id: int) -> str | None:
    """Why the study design refuses `reviewer_id` a label on the article (`lede_may_label()`), or None."""
    with connection.cursor() as cursor:
        cursor.execute(MAY_LABEL, {"document": document_id, "reviewer": reviewer_id})
        row = cursor.fetchone()
    return None if row is None else row[0]


REFUSED_DOCUMENTS = """
SELECT d.id, lede_may_label(d.id, %(reviewer)s) FROM annotator_document d
WHERE d.id = ANY(%(documents)s) AND lede_may_label(d.id, %(reviewer)s) IS NOT NULL
"""


def refused_documents(*, document_ids: Sequence[int], reviewer_id: int) -> dict[int, str]:
    """The articles of `document_ids` the study design refuses `reviewer_id`, each with why (`lede_may_label()`)."""
    with connection.cursor() as cursor:
        cursor.execute(REFUSED_DOCUMENTS, {"documents": list(document_ids), "reviewer": reviewer_id})
        return dict(cursor.fetchall())


class TrainingStanding(NamedTuple):
    """A reviewer's training: reference labels their (first) answers agree with, of how many, and whether the
    gate lets them through (`lede_training_standing()`)."""

    agreed: int
    total: int
    passed: bool


TRAINING_STANDING = "SELECT * FROM lede_training_standing(%(project)s, %(reviewer)s)"


def training_standing(*, project_id: int, reviewer_id: int) -> TrainingStanding | None:
    """The reviewer's training standing in the project; None when they are not a member."""
    with connection.cursor() as cursor:
        cursor.execute(TRAINING_STANDING, {"project": project_id, "reviewer": reviewer_id})
        return _one(cursor, TrainingStanding)


class ReviewerTraining(NamedTuple):
    """An annotator's training in a project, as leads see it: figures, a lead's decision, and the gate's verdict."""

    username: str
    decision: str
    agreed: int
    total: int
    passed: bool


TRAINING_STANDINGS = """
SELECT u.username, m.training_decision, t.agreed, t.total, t.passed
FROM annotator_membership m
JOIN auth_user u ON u.id = m.user_id
CROSS JOIN LATERAL lede_training_standing(m.project_id, m.user_id) t
WHERE m.project_id = %(project)s AND m.role = 'annotator'
ORDER BY u.username
"""


def training_standings(*, project_id: int) -> list[ReviewerTraining]:
    """Every annotator's training standing in the project (`lede_training_standing()`), by username."""
    with connection.cursor() as cursor:
        cursor.execute(TRAINING_STANDINGS, {"project": project_id})
        return [ReviewerTraining(*row) for row in cursor.fetchall()]


FIX_FIRST_ANSWER = """
WITH fixed AS (
    INSERT INTO annotator_traininganswer (sentence_id, reviewer_id, label_id, fixed)
    SELECT an.sentence_id, an.annotator_id, an.label_id, %(now)s FROM annotator_annotation an
    WHERE an.sentence_id = %(sentence)s AND an.annotator_id = %(reviewer)s
    ON CONFLICT (sentence_id, reviewer_id) DO NOTHING
    RETURNING label_id
)
SELECT l.name FROM annotator_label l
WHERE l.id = coalesce((SELECT fixed.label_id FROM fixed), (
    SELECT fa.label_id FROM annotator_traininganswer fa
    WHERE fa.sentence_id = %(sentence)s AND fa.reviewer_id = %(reviewer)s))
"""


def fix_first_answer(*, sentence_id: int, reviewer_id: int, now: datetime.datetime) -> str | None:
    """Keep the reviewer's current label on a training sentence as their first answer, unless one is kept;
    the first answer's label name (None when they have not labelled the sentence)."""
    with connection.cursor() as cursor:
        cursor.execute(FIX_FIRST_ANSWER, {"sentence": sentence_id, "reviewer": reviewer_id, "now": now})
        row = cursor.fetchone()
    return None if row is None else row[0]


DELETE_SOURCES = "DELETE FROM annotator_source WHERE annotation_id = %(annotation)s"


def delete_sources(annotation_id: int) -> None:
    """Delete the sources of an annotation whose label is being replaced.

    SQL (prepared, as the upsert is) because a replacement runs it on every save, whether or not there
    were sources, and the queryset's delete built its statement each time; nothing refers to a source,
    so there is nothing for Django's collector to do. A/B (`bench/sql_statements.py`, run of the module's
    docstring): `Source.objects.filter(annotation_id=...).delete()` took 5.4 and 5.7 times as long a call in two runs.
    """
    with connection.cursor() as cursor:
        prepared.execute(cursor, DELETE_SOURCES, {"annotation": annotation_id})


# Tries at the pool passing over articles raised meanwhile, before one that takes any article below k.
STRICT_ATTEMPTS = 3

# Ordinary articles considered per request for work: more than the callers that can hold a lock at once,
# few enough that scoring their reviewer pairs stays cheap.
POOL_SIZE = 64


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


NEXT_ASSIGNMENT = """
SELECT * FROM lede_next_assignment(
    %(project)s, %(reviewer)s, %(overlap)s, %(reclaim_after)s, %(pool)s, %(strict_attempts)s
)
"""


def next_assignment(*, project_id: int, reviewer_id: int, overlap: int | None, reclaim_after) -> NextAssignment | None:
    """A whole request for work in one call of `lede_next_assignment()` (annotator/sql/next_assignment.sql,
    where its rules are); None when nothing is left.

    One round trip and one transaction, where an ORM path took eight round trips and one more to read the
    assignment back: under 32 concurrent callers each queued again for the interpreter and a server
    thread, and each ORM statement was planned anew, where a PL/pgSQL function keeps its plans.
    """
    params = {
        "project": project_id,
        "reviewer": reviewer_id,
        "overlap": overlap,
        "reclaim_after": reclaim_after,
        "pool": POOL_SIZE,
        "strict_attempts": STRICT_ATTEMPTS,
    }
    with connection.cursor() as cursor:
        cursor.execute(NEXT_ASSIGNMENT, params)
        return _one(cursor, NextAssignment)


FINISH_IF_LABELLED = """
UPDATE annotator_assignment a SET finished = a.assigned
WHERE a.id = %(assignment)s AND a.finished IS NULL
  AND NOT EXISTS (SELECT 1 FROM lede_unlabelled_sentence(a.document_id, a.reviewer_id))
RETURNING a.finished
"""


def finish_if_labelled(assignment_id: int) -> datetime.datetime | None:
    """Finish a new assignment at once (at its `assigned`) if its reviewer has labelled the article throughout;
    the `finished` it was given, or None."""
    with connection.cursor() as cursor:
        cursor.execute(FINISH_IF_LABELLED, {"assignment": assignment_id})
        row = cursor.fetchone()
    return None if row is None else row[0]


SETTLE_FINISHED = """
UPDATE annotator_assignment a SET finished = CASE WHEN a.finished IS NULL THEN %(now)s::timestamptz END
WHERE a.project_id = %(project)s
  AND (a.finished IS NULL) = NOT EXISTS (SELECT 1 FROM lede_unlabelled_sentence(a.document_id, a.reviewer_id))
"""


def settle_finished(*, project_id: int, now: datetime.datetime) -> int:
    """Make `finished` of the project's assignments exact: set (at `now`) where the reviewer has labelled every
    sentence of the article, cleared where not; how many changed."""
    with connection.cursor() as cursor:
        cursor.execute(SETTLE_FINISHED, {"project": project_id, "now": now})
        return cursor.rowcount


class OpenAssignment(NamedTuple):
    id: int
    document_id: int


UNFINISHED_ASSIGNMENTS = """
SELECT a.id, a.document_id FROM annotator_assignment a
WHERE a.project_id = %(project)s AND a.reviewer_id = %(reviewer)s AND a.finished IS NULL
  AND EXISTS (SELECT 1 FROM lede_unlabelled_sentence(a.document_id, a.reviewer_id))
ORDER BY a.id
"""


def unfinished_assignments(*, project_id: int, reviewer_id: int) -> list[OpenAssignment]:
    """The reviewer's assignments in the project with a sentence they have not labelled."""
    with connection.cursor() as cursor:
        cursor.execute(UNFINISHED_ASSIGNMENTS, {"project": project_id, "reviewer": reviewer_id})
        return [OpenAssignment(*row) for row in cursor.fetchall()]


class DocumentSentences(NamedTuple):
    """A new document's sentences as `insert_sentences` writes them: where each is in the document's text."""

    document_id: int
    text: str
    spans: Sequence[SentenceSpan]


def _copy_escaped(value: str) -> str:
    """`value` as a field of COPY's text format (backslash first, so that the escapes' own are not doubled).

    Four `replace` calls, not `str.translate`: `translate` looks up every character of a non-ASCII text
    in a dictionary, which made escaping an article's text cost more than sending it; `replace`
    scans in C and returns the string itself when it finds nothing.
    """
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


COPY_SENTENCES = 'COPY annotator_sentence (document_id, index, paragraph, start, "end", text, key) FROM STDIN'


def insert_sentences(documents: Iterable[DocumentSentences]) -> None:
    """Insert the sentences of new documents with one `COPY ... FROM STDIN`; a new sentence has no key.

    A bulk import of long articles writes a hundred thousand sentences or more: COPY takes them
    in one stream, with no model instance or row object per sentence, where `bulk_create` builds an
    INSERT per batch. Pinned by the bulk import tests of `tests/annotator/test_documents_api.py`
    (sentences read back as split), among them `test_sentences_with_backslashes_read_back_as_imported`.
    """
    lines = (
        "".join([f"{pk}\t{i}\t{p}\t{start}\t{end}\t{_copy_escaped(text[start:end])}\t\n" for i, p, start, end in spans])
        for pk, text, spans in documents
    )
    with connection.cursor() as cursor:
        _copy_from(cursor, COPY_SENTENCES, lines)


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
    calibration: bool = False
    training: bool = False


DOCUMENT_IDS = "SELECT nextval(pg_get_serial_sequence('annotator_document', 'id')) FROM generate_series(1, %(count)s)"

COPY_DOCUMENTS = """
COPY annotator_document (
    id, project_id, created_by_id, created, key, title, author, outlet, url, published, topics, attributes, format,
    text, removed, calibration, training, coverage
) FROM STDIN
"""


def _copy_json(value: list | dict) -> str:
    """A JSON field as COPY's text format takes it; most documents have no topics, attributes or removed spans."""
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    return _copy_escaped(json.dumps(value))


def insert_documents(rows: list[DocumentRow], *, project_id: int, created_by_id: int | None) -> list[int]:
    """Insert new documents of `project_id`, created now by `created_by_id`; return their ids in the order of
    `rows`, with one `COPY ... FROM STDIN`, the ids taken from the table's sequence first; no reviewer holds a
    new document yet.

    An import of 2,000 short texts spent most of its time in `bulk_create` turning every field of every
    document into an SQL parameter; COPY takes the rows as one stream of text. Pinned by
    `tests/annotator/test_document_copy.py` (every field as `bulk_create` writes it) and the bulk import
    tests of `tests/annotator/test_documents_api.py`.
    """
    if not rows:
        return []
    with connection.cursor() as cursor:
        cursor.execute(DOCUMENT_IDS, {"count": len(rows)})
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
                    f"{_copy_json(d.removed)}\t{'t' if d.calibration else 'f'}\t{'t' if d.training else 'f'}\t0\n"
                )

        _copy_from(cursor, COPY_DOCUMENTS, lines())
    return ids
