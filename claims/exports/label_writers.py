"""Streaming writers of the label data: every reviewer's labels, the wide table, the decisions, the sources, JSON-LD.

Generators of UTF-8 bytes fed by `claims.exports.rows` (`gold` for the decisions), written through
`claims.exports.streams`.
"""

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring

from annotator.models import Project
from curation.plurality import NO_LABELS, Plurality
from curation.sql import pluralities_in_article_order

from . import gold, rows, webannotation
from .columns import GOLD_COLUMNS, LONG_COLUMNS, SOURCE_COLUMNS, WIDE_FIXED, WIDE_SUMMARY, reviewer_columns
from .rows import ExportFilters
from .streams import (
    NO_FILTERS,
    blank,
    byte_blocks,
    byte_order_mark,
    csv_cell,
    csv_stream,
    guarded_cell,
    in_transaction,
    record_parts,
)


def _label_batches(project: Project, filters: ExportFilters) -> tuple[dict, dict, Iterator[list[tuple]]]:
    """The reviewers' names, the labels' names and values, and the label rows (`rows.ANNOTATION_FIELDS`) in batches."""
    names = rows.annotator_names(project, pseudonymize=filters.pseudonymize)
    labels = rows.label_table(project)
    return names, labels, rows.tuple_batches(rows.annotation_rows(project, filters, names))


def annotations_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    """annotations.csv: a row per label (columns `LONG_COLUMNS`), blank for none, sources as JSON text.

    Each line is filled from a template, each text cell spelled as the csv writer of `csv_stream`
    spells it (`csv_cell`) and the reviewers' and labels' cells once per file: ids, numbers, dates
    and times never need quoting, and the csv writer's per-row work would cost more than the rest of
    the export in Python. Pinned byte for byte by `tests/claims/test_exports_bytes.py`.
    """
    cell = guarded_cell if filters.spreadsheet_safe else csv_cell
    header = ",".join(map(guarded_cell, LONG_COLUMNS)) + "\r\n"
    line = f"{project.pk}," + ",".join(["%s"] * (len(LONG_COLUMNS) - 2)) + "\r\n"  # label and label_value in one

    def parts():
        names, labels, batches = _label_batches(project, filters)
        spelled = {uid: cell(name) for uid, name in names.items()}
        label_cells = {
            pk: cell(name) + "," + ("" if value is None else repr(value)) for pk, (name, value) in labels.items()
        }
        for part in record_parts(batches):
            yield "".join([
                line % (document, cell(document_key), cell(title), cell(outlet), cell(url), published or "",
                        sentence, cell(unit), index, paragraph, start, end, cell(text), spelled[annotator],
                        label_cells[label], cell(speaker), cell(note), cell(sources) if sources else "[]", created,
                        updated, "" if seconds is None else repr(seconds))
                for (document, document_key, title, outlet, url, published, sentence, unit, index, paragraph, start,
                     end, text, annotator, label, speaker, note, sources, created, updated, seconds) in part
            ])  # fmt: skip

    yield (byte_order_mark(filters) + header).encode()
    yield from byte_blocks(in_transaction(parts))


def _jsonl_template(keys: Iterable[str]) -> str:
    """A JSON object line with a `%s` for each key's value, spaced as `json.dumps` spaces it."""
    return "{" + ", ".join(f"{json.dumps(key)}: %s" for key in keys) + "}\n"


def annotations_jsonl(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    """annotations.jsonl: the rows of annotations.csv as JSON objects, each line as `json.dumps(dict)` spells it.

    Each value is spelled as JSON on its own (strings by the encoder's own `encode_basestring`, numbers as
    `repr`, labels and reviewers once per file), which is what `json.dumps` of the whole dict writes.
    """
    line = _jsonl_template(LONG_COLUMNS)

    def batches():
        names, labels, batches = _label_batches(project, filters)
        quoted = {uid: encode_basestring(name) for uid, name in names.items()}
        spelled = {pk: (encode_basestring(name), json.dumps(value)) for pk, (name, value) in labels.items()}
        pk, string = project.pk, encode_basestring
        for part in record_parts(batches):
            yield "".join([
                line % (pk, document, string(document_key), string(title), string(outlet), string(url),
                        string(published) if published is not None else "null", sentence, string(unit), index,
                        paragraph, start, end, string(text), quoted[annotator], *spelled[label], string(speaker),
                        string(note), sources or "[]", string(created), string(updated),
                        "null" if seconds is None else repr(seconds))
                for (document, document_key, title, outlet, url, published, sentence, unit, index, paragraph, start,
                     end, text, annotator, label, speaker, note, sources, created, updated, seconds) in part
            ])  # fmt: skip

    return byte_blocks(in_transaction(batches))


def wide_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    """One row per labelled sentence, one column per reviewer (blank: not labelled), the plurality and the gold."""
    names = rows.annotator_names(project, pseudonymize=filters.pseudonymize)
    columns = reviewer_columns(names, filters)
    position = {uid: i for i, uid in enumerate(columns)}
    header = [*WIDE_FIXED, *columns.values(), *WIDE_SUMMARY]

    def records():
        labels = rows.label_table(project)
        # The plurality as the curators see it (`curation.sql`), of the labels this export shows, read in
        # step with the rows (both by article and position), so that memory does not grow with the project.
        found = pluralities_in_article_order(rows.export_labels(project, filters, names))
        plural = next(found, None)

        def plurality_of(head) -> Plurality:
            nonlocal plural
            key = (head[0], head[3])
            while plural is not None and plural[0] < key:
                plural = next(found, None)
            return plural[2] if plural is not None and plural[1] == head[1] else NO_LABELS

        head, cells, gold_label = None, None, None
        for row in rows.wide_rows(project, filters, names).iterator(chunk_size=rows.CHUNK_SIZE):
            if head is None or row.sentence_id != head[1]:
                if head is not None:
                    yield _wide_record(head, cells, plurality_of(head), gold_label)
                unit = row.sentence__key or str(row.sentence_id)
                head = (row.sentence__document_id, row.sentence_id, unit, row.sentence__index, row.sentence__text)
                cells, gold_label = [""] * len(columns), row.gold or ""
            cells[position[row.annotator_id]] = labels[row.label_id][0]
        if head is not None:
            yield _wide_record(head, cells, plurality_of(head), gold_label)

    return csv_stream(header, in_transaction(records), filters)


def _wide_record(head: tuple, cells: list[str], plurality: Plurality, gold_label: str) -> tuple:
    # A sentence first labelled between the plurality's query and the rows' has none: blank, not a 500.
    share = "" if plurality.share is None else round(plurality.share, 6)
    return (*head, *cells, plurality.labels, plurality.label or "", share, gold_label)


def gold_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    return csv_stream(GOLD_COLUMNS, in_transaction(lambda: gold.records(project, filters, csv_cells=True)), filters)


def gold_jsonl(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    keys = tuple(GOLD_COLUMNS)
    dumps = json.JSONEncoder(ensure_ascii=False).encode

    def lines():
        for record in gold.records(project, filters, csv_cells=False):
            yield dumps(dict(zip(keys, record, strict=True))) + "\n"

    return byte_blocks(in_transaction(lines))


def sources_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    def records():
        names = rows.annotator_names(project, pseudonymize=filters.pseudonymize)
        labels = rows.label_table(project)
        for row in rows.source_rows(project, filters, names).iterator(chunk_size=rows.CHUNK_SIZE):
            name, value = labels[row.annotation__label_id]
            yield (
                row.url, row.title, row.note, row.position, row.annotation__sentence__document_id,
                row.annotation__sentence__document__title, row.annotation__sentence_id,
                row.annotation__sentence__index, row.annotation__sentence__text, names[row.annotation__annotator_id],
                name, blank(value), row.annotation__updated.isoformat(),
            )  # fmt: skip

    return csv_stream(SOURCE_COLUMNS, in_transaction(records), filters)


def webannotation_jsonld(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    return byte_blocks(in_transaction(lambda: webannotation.collection(project, filters)))
