"""The reads behind every export: filters from the query string and row streams of named tuples.

Exports read `values_list(..., named=True)` rows through `.iterator()` (a server-side cursor),
never model instances, so memory stays flat however many labels a project has. Labels
and reviewers are few per project: they are looked up once into dicts instead of joined per row.
annotations.csv/.jsonl, a row per label, read plain tuples in batches instead (`tuple_batches`):
per row, Django's iterator and a named row would cost more than writing the row.
"""

import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField, Count, F, Func, IntegerField, Min, OuterRef, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Greatest, NullIf, Substr
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from annotator.errors import InvalidInput
from annotator.models import Annotation, AnnotationEvent, Label, Project, Scale, Source
from claims import sql
from curation.models import Decision, DecisionSource
from lede.converters import MAX_ID_DIGITS

CHUNK_SIZE = 5000
QUOTE_CONTEXT = 32  # characters of prefix and suffix in a TextQuoteSelector (as Hypothesis uses)


@dataclass(frozen=True)
class ExportFilters:
    document: int | None = None
    annotator: str | None = None
    label: str | None = None
    since: datetime.datetime | None = None
    pseudonymize: bool = False
    spreadsheet_safe: bool = True  # text cells that look like formulas guarded (`claims.exports.streams`)
    excel: bool = False


def _flag(params, name: str, *, default: bool = False) -> bool:
    raw = params.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"0", "false", "no"}:
        return False
    if raw in {"1", "true", "yes"}:
        return True
    raise InvalidInput(name, f"'{raw}' is not a yes/no value; use 1 or 0.")


def filters_from_query(params) -> ExportFilters:
    """Read `document`, `annotator`, `label`, `since`, `pseudonymize`, `spreadsheet_safe` (yes unless 0) and `excel`;
    400 naming a malformed one."""
    document = params.get("document", "").strip() or None
    if document is not None:
        if not document.isdigit() or len(document) > MAX_ID_DIGITS:
            raise InvalidInput("document", f"'{document[:40]}' is not a document id (a whole number).")
        document = int(document)
    since = params.get("since", "").strip() or None
    if since is not None:
        raw = since
        try:
            since = parse_datetime(raw.replace(" ", "+"))  # a '+' in a query string arrives as a space
        except ValueError:
            since = None
        if since is None:
            raise InvalidInput("since", f"'{raw}' is not an ISO 8601 date and time, e.g. 2024-05-01T12:00:00Z.")
        if timezone.is_naive(since):
            since = timezone.make_aware(since, datetime.UTC)
    names = {name: params.get(name, "").strip() or None for name in ("annotator", "label")}
    for name, value in names.items():
        if value is not None and "\x00" in value:
            raise InvalidInput(name, "This contains a NUL character, which no name holds.")
    return ExportFilters(
        document=document,
        annotator=names["annotator"],
        label=names["label"],
        since=since,
        pseudonymize=_flag(params, "pseudonymize"),
        spreadsheet_safe=_flag(params, "spreadsheet_safe", default=True),
        excel=_flag(params, "excel"),
    )


def annotator_names(project: Project, *, pseudonymize: bool) -> dict[int, str]:
    """User id -> the name exports show: the username, or a pseudonym `annotator-N`.

    Pseudonyms number reviewers in the order of their first label in the project's history
    (then, for labels imported without history, of their first label), so a reviewer keeps
    the same pseudonym in every export of the project: joining later, editing or deleting
    labels never renumbers anyone.
    """
    labelled = Annotation.objects.filter(sentence__document__project=project)
    first_label = dict(labelled.values("annotator_id").annotate(first=Min("id")).values_list("annotator_id", "first"))
    first_event = dict(
        AnnotationEvent.objects.filter(project=project, annotator_id__in=list(first_label))
        .values("annotator_id")
        .annotate(first=Min("id"))
        .values_list("annotator_id", "first")
    )
    if not pseudonymize:
        from django.contrib.auth import get_user_model

        return dict(get_user_model().objects.filter(pk__in=list(first_label)).values_list("pk", "username"))
    order = sorted(first_label, key=lambda uid: (uid not in first_event, first_event.get(uid, first_label[uid]), uid))
    return {uid: f"annotator-{n}" for n, uid in enumerate(order, start=1)}


def reviewer_renames(project: Project, filters: ExportFilters) -> dict[str, str]:
    """Username -> the name this export shows: empty without pseudonymize, else the pseudonyms of `annotator_names`."""
    if not filters.pseudonymize:
        return {}
    usernames = annotator_names(project, pseudonymize=False)
    pseudonyms = annotator_names(project, pseudonymize=True)
    return {name: pseudonyms[uid] for uid, name in usernames.items() if uid in pseudonyms}


def label_table(project: Project) -> dict[int, tuple[str, float | int | None]]:
    """Label id -> (name, value): the interval value, the 1-based rank on an ordinal scale, else None."""
    labels = list(Label.objects.filter(project=project).order_by("order", "id").values_list("pk", "name", "value"))
    if project.scale == Scale.INTERVAL:
        return {pk: (name, value) for pk, name, value in labels}
    if project.scale == Scale.ORDINAL:
        return {pk: (name, rank) for rank, (pk, name, _) in enumerate(labels, start=1)}
    return {pk: (name, None) for pk, name, _ in labels}


def _filtered(queryset: QuerySet, filters: ExportFilters, names: dict[int, str], *, prefix: str = "") -> QuerySet:
    """The labels of `queryset` that pass `filters`; labels on training articles (practice) never leave Lede."""
    queryset = queryset.filter(**{f"{prefix}sentence__document__training": False})
    if filters.document is not None:
        queryset = queryset.filter(**{f"{prefix}sentence__document_id": filters.document})
    if filters.annotator is not None:
        ids = [uid for uid, name in names.items() if name == filters.annotator]
        queryset = queryset.filter(**{f"{prefix}annotator_id__in": ids})
    if filters.label is not None:
        queryset = queryset.filter(**{f"{prefix}label__name": filters.label})
    if filters.since is not None:
        queryset = queryset.filter(**{f"{prefix}updated__gte": filters.since})
    return queryset


class IsoDateTime(Func):
    """A timestamp as ISO 8601 text in UTC (Python's isoformat), rendered by the database: parsing every
    timestamp into a datetime only to print it again would cost more than the rest of an export row.

    Django's connections use TimeZone UTC. PostgreSQL's own text drops the trailing zeros of the
    microseconds ("12:00:00.12+00"), so the fraction is printed in full and removed when it is zero.
    Pinned by `tests/claims/test_exports_bytes.py` (microseconds in six digits, or none when zero, as
    isoformat writes them), `tests/claims/test_exports.py` (`test_annotations_jsonl_matches_the_csv`) and
    the round trip in `tests/claims/test_exports_roundtrip.py`, which read the times back.
    """

    output_field = CharField()
    template = "replace(to_char(%(expressions)s, 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '') || '+00:00'"


_SOURCES_JSON = {
    (Source, "annotation"): sql.LABEL_SOURCES_JSON,
    (DecisionSource, "decision"): sql.DECISION_SOURCES_JSON,
}


def sources_json(source_model=Source, owner: str = "annotation") -> RawSQL:
    """The sources of each row (a label, or a decision with `DecisionSource, "decision"`) as one JSON array
    text in position order (NULL when it has none), as `claims.sql` spells it.

    The exports write the text as it comes, and one correlated subquery reads every row's sources in
    the same pass as the row. Pinned by `tests/claims/test_exports_bytes.py`, `tests/claims/test_exports.py`
    (`test_annotations_csv_has_one_row_per_sentence_and_reviewer`), `tests/claims/test_exports_roundtrip.py`
    (`test_exported_sources_column_is_the_json_the_import_reads`) and, for decisions,
    `tests/claims/test_exports_gold.py`.
    """
    return RawSQL(_SOURCES_JSON[source_model, owner], ())


def export_labels(project: Project, filters: ExportFilters, names: dict[int, str]) -> QuerySet:
    """The project's labels that pass `filters`."""
    return _filtered(Annotation.objects.filter(sentence__document__project=project), filters, names)


def _labels_with_sources(project: Project, filters: ExportFilters, names: dict[int, str]) -> QuerySet:
    """The labels that pass `filters` by document, sentence and reviewer, each with its sources as JSON text."""
    labels = export_labels(project, filters, names).order_by("sentence__document_id", "sentence__index", "annotator_id")
    return labels.annotate(sources_json=sources_json())


# The fields every label row reads: where its sentence lies in the article, and what the reviewer said.
_SENTENCE_SPAN = ("sentence__start", "sentence__end", "sentence__text")
_LABEL = ("annotator_id", "label_id", "speaker", "note", "sources_json")
# In the order of annotations.csv's columns (`columns.LONG_COLUMNS`, less the project).
ANNOTATION_FIELDS = (
    "sentence__document_id", "sentence__document__key", "sentence__document__title", "sentence__document__outlet",
    "sentence__document__url", "published_text", "sentence_id", "unit", "sentence__index",
    "sentence__paragraph", *_SENTENCE_SPAN, *_LABEL, "created_text", "updated_text", "seconds",
)  # fmt: skip
_QUOTE_FIELDS = (
    "pk", "sentence__document_id", "sentence__document__url", *_SENTENCE_SPAN, "prefix", "suffix", *_LABEL,
    "created", "updated",
)  # fmt: skip


def annotation_rows(project: Project, filters: ExportFilters, names: dict[int, str]) -> QuerySet:
    """One row per label, the fields of `ANNOTATION_FIELDS`: its sentence and article (`unit`: the sentence's
    key, else its id), the reviewer's label, its sources and times."""
    return (
        _labels_with_sources(project, filters, names)
        .annotate(
            published_text=Cast("sentence__document__published", CharField()),
            unit=Coalesce(NullIf("sentence__key", Value("")), Cast("sentence_id", CharField())),
            created_text=IsoDateTime("created"),
            updated_text=IsoDateTime("updated"),
        )
        .values_list(*ANNOTATION_FIELDS)
    )


def tuple_batches(queryset: QuerySet, size: int | None = None) -> Iterator[list[tuple]]:
    """The rows of a `values_list` queryset as lists of plain tuples, `size` (CHUNK_SIZE) at a time.

    They come straight from a psycopg2 server-side cursor, without Django's per-row iterator, so
    the queryset must need no converters (text and numbers only). Run it in a transaction: the
    cursor is not WITH HOLD, so PostgreSQL does not materialise every row first.
    """
    size = size or CHUNK_SIZE
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter no row can pass, e.g. an unknown reviewer
        return
    connection.ensure_connection()
    with connection.connection.cursor(name=f"lede_export_{uuid.uuid4().hex}") as cursor:
        cursor.itersize = size
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(size):
            yield batch


def wide_rows(project: Project, filters: ExportFilters, names: dict[int, str]) -> QuerySet:
    """Per label, by sentence: the sentence, the reviewer, the label and the sentence's gold label (`gold`:
    None without a decision or when it is unresolved)."""
    gold = Decision.objects.filter(sentence_id=OuterRef("sentence_id")).values("label__name")
    return (
        export_labels(project, filters, names)
        .order_by("sentence__document_id", "sentence__index", "annotator_id")
        .annotate(gold=Subquery(gold))
        .values_list(
            "sentence__document_id", "sentence_id", "sentence__key", "sentence__index", "sentence__text",
            "annotator_id", "label_id", "gold", named=True,
        )
    )  # fmt: skip


def quote_context() -> dict:
    """`prefix` and `suffix`: the article text around the row's sentence that a TextQuoteSelector holds."""
    start = F("sentence__start")
    prefix_from = Greatest(start - QUOTE_CONTEXT + 1, Value(1), output_field=IntegerField())
    return {
        "prefix": Substr("sentence__document__text", prefix_from, start + 1 - prefix_from),
        "suffix": Substr("sentence__document__text", F("sentence__end") + 1, QUOTE_CONTEXT),
    }


def quote_rows(project: Project, filters: ExportFilters, names: dict[int, str]) -> QuerySet:
    """Per label: what a W3C TextQuoteSelector and the annotation need, with the text around the sentence."""
    return (
        _labels_with_sources(project, filters, names)
        .annotate(**quote_context())
        .values_list(*_QUOTE_FIELDS, named=True)
    )


def count_annotations(project: Project, filters: ExportFilters, names: dict[int, str]) -> int:
    return export_labels(project, filters, names).count()


def source_rows(project: Project, filters: ExportFilters, names: dict[int, str]) -> QuerySet:
    """One named row per source attached to a label, grouped by URL."""
    queryset = _filtered(
        Source.objects.filter(annotation__sentence__document__project=project), filters, names, prefix="annotation__"
    )
    return queryset.order_by(
        "url", "annotation__sentence__document_id", "annotation__sentence__index", "id"
    ).values_list(
        "url",
        "title",
        "note",
        "position",
        "annotation__sentence__document_id",
        "annotation__sentence__document__title",
        "annotation__sentence_id",
        "annotation__sentence__index",
        "annotation__sentence__text",
        "annotation__annotator_id",
        "annotation__label_id",
        "annotation__updated",
        named=True,
    )


def label_counts(project: Project) -> dict[int, int]:
    """Document id -> how many labels it has now."""
    return dict(
        Annotation.objects.filter(sentence__document__project=project, sentence__document__training=False)
        .values("sentence__document_id")
        .annotate(n=Count("id"))
        .values_list("sentence__document_id", "n")
    )


def reviewer_label_counts(project: Project, filters: ExportFilters, names: dict[int, str]) -> dict[int, int]:
    """User id -> how many of the labels that pass `filters` are theirs."""
    counted = export_labels(project, filters, names).values("annotator_id").annotate(n=Count("id")).order_by()
    return dict(counted.values_list("annotator_id", "n"))
