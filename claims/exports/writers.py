"""Streaming writers for every research export: generators of UTF-8 bytes, fed by `claims.exports.rows`.

Nothing here knows about HTTP: the API wraps a writer in a StreamingHttpResponse and the
archive task writes the same bytes into a zip. Each writer yields its header at once (before
any query runs) and then blocks of about 64 KB, so the first bytes reach a client
immediately and memory stays flat however many labels a project has.

CSV files are RFC 4180 (comma, double quotes, CRLF) with a header row and keep every text
exactly as stored. With `excel=True` a text cell that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe, and the file
starts with a byte-order mark so Excel reads it as UTF-8: for opening in a spreadsheet, never
for analysis.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from json.encoder import encode_basestring

from django.db import transaction

from annotator.models import Document, Project
from claims.models import AgreementReport, AnalysisReport
from claims.reports import is_current
from curation.plurality import plurality_of

from . import gold, reliability, rows, webannotation
from .columns import (
    AGREEMENT_COLUMNS,
    ANALYSIS_COLUMNS,
    GOLD_COLUMNS,
    LONG_COLUMNS,
    RELIABILITY_TABLES,
    SOURCE_COLUMNS,
    WIDE_FIXED,
    WIDE_SUMMARY,
    reviewer_columns,
)
from .rows import ExportFilters

BLOCK = 64 * 1024
BATCH_ROWS = 256  # records written at once: a block or so of annotations.csv
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NO_FILTERS = ExportFilters()


def _excel_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_stream(header: Iterable[str], records: Iterable[tuple], *, excel: bool = False) -> Iterator[bytes]:
    """Header at once, then the records as RFC 4180 CSV in blocks of about BLOCK bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    # The header is guarded too: wide.csv's columns are named after reviewers, whose usernames may start with + - @.
    writer.writerow(tuple(map(_excel_safe, header)) if excel else header)
    yield (("\ufeff" if excel else "") + buffer.getvalue()).encode()
    buffer.seek(0)
    buffer.truncate()
    records = iter(records)
    while part := list(islice(records, BATCH_ROWS)):
        writer.writerows([tuple(map(_excel_safe, record)) for record in part] if excel else part)
        if buffer.tell() >= BLOCK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def _csv_cell(text: str) -> str:
    """A text cell as Python's csv writer spells it (QUOTE_MINIMAL): quoted only around a comma,
    a double quote (doubled) or a line break."""
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def _excel_cell(text: str) -> str:
    """`_csv_cell` of the text `_excel_safe` gives."""
    return _csv_cell("'" + text if text.startswith(FORMULA_STARTS) else text)


def _parts(batches: Iterable[list[tuple]]) -> Iterator[list[tuple]]:
    """The batches cut into lists of at most BATCH_ROWS records: a block or so of text each."""
    for batch in batches:
        for start in range(0, len(batch), BATCH_ROWS):
            yield batch[start : start + BATCH_ROWS]


def _blocks(lines: Iterable[str]) -> Iterator[bytes]:
    parts, size = [], 0
    for line in lines:
        parts.append(line)
        size += len(line)
        if size >= BLOCK:
            yield "".join(parts).encode()
            parts, size = [], 0
    if parts:
        yield "".join(parts).encode()


def _iso(value) -> str:
    return value.isoformat() if value is not None else ""


def _in_transaction(produce: Callable[[], Iterator]) -> Iterator:
    """Run a row stream inside a transaction, so PostgreSQL serves it from a plain server-side
    cursor (outside one Django declares it WITH HOLD, which materialises every row first)."""
    with transaction.atomic():
        yield from produce()


def _label_batches(project: Project, filters: ExportFilters) -> tuple[dict, dict, Iterator[list[tuple]]]:
    """The reviewers' names, the labels' names and values, and the label rows (`rows.ANNOTATION_FIELDS`) in batches."""
    names = rows.annotator_names(project, pseudonymize=filters.pseudonymize)
    labels = rows.label_table(project)
    return names, labels, rows.tuple_batches(rows.annotation_rows(project, filters, names))


def annotations_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    """annotations.csv: a row per label (columns `LONG_COLUMNS`), blank for none, sources as JSON text.

    Each line is filled from a template, each text cell spelled as the csv writer of `_csv_stream`
    spells it (`_csv_cell`) and the reviewers' and labels' cells once per file: ids, numbers, dates
    and times never need quoting, and the csv writer's per-row work would cost more than the rest of
    the export in Python. Pinned byte for byte by `tests/claims/test_exports_bytes.py`.
    """
    cell = _excel_cell if filters.excel else _csv_cell
    header = ",".join(map(cell, LONG_COLUMNS)) + "\r\n"
    line = f"{project.pk}," + ",".join(["%s"] * (len(LONG_COLUMNS) - 2)) + "\r\n"  # label and label_value in one

    def parts():
        names, labels, batches = _label_batches(project, filters)
        spelled = {uid: cell(name) for uid, name in names.items()}
        label_cells = {
            pk: cell(name) + "," + ("" if value is None else repr(value)) for pk, (name, value) in labels.items()
        }
        for part in _parts(batches):
            yield "".join([
                line % (document, cell(document_key), cell(title), cell(outlet), cell(url), published or "",
                        sentence, cell(unit), index, paragraph, start, end, cell(text), spelled[annotator],
                        label_cells[label], cell(speaker), cell(note), cell(sources) if sources else "[]", created,
                        updated)
                for (document, document_key, title, outlet, url, published, sentence, unit, index, paragraph, start,
                     end, text, annotator, label, speaker, note, sources, created, updated) in part
            ])  # fmt: skip

    yield (("\ufeff" if filters.excel else "") + header).encode()
    yield from _blocks(_in_transaction(parts))


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
        for part in _parts(batches):
            yield "".join([
                line % (pk, document, string(document_key), string(title), string(outlet), string(url),
                        string(published) if published is not None else "null", sentence, string(unit), index,
                        paragraph, start, end, string(text), quoted[annotator], *spelled[label], string(speaker),
                        string(note), sources or "[]", string(created), string(updated))
                for (document, document_key, title, outlet, url, published, sentence, unit, index, paragraph, start,
                     end, text, annotator, label, speaker, note, sources, created, updated) in part
            ])  # fmt: skip

    return _blocks(_in_transaction(batches))


def wide_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    """One row per labelled sentence, one column per reviewer (blank: not labelled), the plurality and the gold."""
    names = rows.annotator_names(project, pseudonymize=filters.pseudonymize)
    columns = reviewer_columns(names, filters)
    position = {uid: i for i, uid in enumerate(columns)}
    header = [*WIDE_FIXED, *columns.values(), *WIDE_SUMMARY]

    def records():
        labels = rows.label_table(project)
        head, cells, gold_label = None, None, None
        for row in rows.wide_rows(project, filters, names).iterator(chunk_size=rows.CHUNK_SIZE):
            if head is None or row.sentence_id != head[1]:
                if head is not None:
                    yield _wide_record(head, cells, gold_label)
                unit = row.sentence__key or str(row.sentence_id)
                head = (row.sentence__document_id, row.sentence_id, unit, row.sentence__index, row.sentence__text)
                cells, gold_label = [""] * len(columns), row.gold or ""
            cells[position[row.annotator_id]] = labels[row.label_id][0]
        if head is not None:
            yield _wide_record(head, cells, gold_label)

    return _csv_stream(header, _in_transaction(records), excel=filters.excel)


def _wide_record(head: tuple, cells: list[str], gold_label: str) -> tuple:
    found = plurality_of(cell for cell in cells if cell)
    return (*head, *cells, found.labels, found.label or "", round(found.share, 6), gold_label)


def gold_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    return _csv_stream(
        GOLD_COLUMNS, _in_transaction(lambda: gold.records(project, filters, csv_cells=True)), excel=filters.excel
    )


def gold_jsonl(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    keys = tuple(GOLD_COLUMNS)
    dumps = json.JSONEncoder(ensure_ascii=False).encode

    def lines():
        for record in gold.records(project, filters, csv_cells=False):
            yield dumps(dict(zip(keys, record, strict=True))) + "\n"

    return _blocks(_in_transaction(lines))


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
                name, _blank(value), row.annotation__updated.isoformat(),
            )  # fmt: skip

    return _csv_stream(SOURCE_COLUMNS, _in_transaction(records), excel=filters.excel)


# Agreement reports ---------------------------------------------------------------------------


@dataclass
class ReportState:
    """One row of agreement.json/.csv: a project or document, its stored report if any, and its labels now."""

    scope: str
    document: int | None
    title: str
    report: AgreementReport | None
    labels_now: int

    @property
    def current(self) -> bool:
        """Current (`claims.reports.is_current`) and over as many labels as there are now."""
        report = self.report
        return report is not None and is_current(report) and report.annotation_count == self.labels_now


def _report_states(project: Project) -> Iterator[ReportState]:
    counts = rows.label_counts(project)
    project_report = AgreementReport.objects.filter(project=project, document__isnull=True).first()
    yield ReportState("project", None, project.name, project_report, sum(counts.values()))
    reports = (
        AgreementReport.objects.filter(project=project, document__isnull=False)
        .select_related("document")
        .only(*(f.name for f in AgreementReport._meta.concrete_fields), "document__title")
        .order_by("document_id")
    )
    for report in reports.iterator(chunk_size=200):
        yield ReportState(
            "document", report.document_id, report.document.title, report, counts.get(report.document_id, 0)
        )
    unreported = (
        Document.objects.filter(project=project)
        .exclude(pk__in=AgreementReport.objects.filter(project=project, document__isnull=False).values("document_id"))
        .order_by("id")
        .values_list("id", "title")
    )
    for doc, title in unreported.iterator(chunk_size=rows.CHUNK_SIZE):
        yield ReportState("document", doc, title, None, counts.get(doc, 0))


NAME_FIELDS = ("a", "b", "reviewer")
NAME_KEYED = ("by_annotator", "annotations")


def renamed_result(result, renames: dict[str, str]):
    """A report's figures with every reviewer's name (pair ends, per-reviewer rows, per-reviewer counts and labels,
    in the project, calibration, gold and sentence figures) replaced through `renames`.

    A name `renames` lacks (a reviewer whose labels were all deleted since the report was computed) becomes
    `annotator-unknown`, so that no username is left in a pseudonymized file.
    """

    def rename(name: str) -> str:
        return renames.get(name, "annotator-unknown")

    def walk(node, key=None):
        if isinstance(node, dict):
            if key in NAME_KEYED:
                return {rename(name): walk(value) for name, value in node.items()}
            return {k: rename(v) if k in NAME_FIELDS and isinstance(v, str) else walk(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(result)


def _report_dict(item: ReportState, renames: dict[str, str] | None = None) -> dict:
    """One report's row; with `renames` (pseudonymized exports) its figures name reviewers by pseudonym."""
    report = item.report
    result = report.result if report else None
    return {
        "scope": item.scope,
        "document": item.document,
        "title": item.title,
        "status": report.status if report else "none",
        "current": item.current,
        "requested_at": _iso(report.requested_at) if report else None,
        "computed_at": _iso(report.computed_at) if report and report.computed_at else None,
        "annotation_count": report.annotation_count if report else 0,
        "latest_change": _iso(report.latest_change) if report and report.latest_change else None,
        "labels_now": item.labels_now,
        "error": report.error if report else "",
        "result": renamed_result(result, renames) if result and renames is not None else result,
    }


def agreement_json(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    """`{"project", "name", "scale", "reports": [...]}`: the project's report first, then each document's."""
    head = json.dumps({"project": project.pk, "name": project.name, "scale": project.scale}, ensure_ascii=False)

    def parts():
        renames = rows.reviewer_renames(project, filters) if filters.pseudonymize else None
        yield head[:-1] + ', "reports": ['
        for n, item in enumerate(_report_states(project)):
            yield ("," if n else "") + "\n" + json.dumps(_report_dict(item, renames), ensure_ascii=False)
        yield "\n]}\n"

    return _blocks(_in_transaction(parts))


def agreement_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    def records():
        for item in _report_states(project):
            data = _report_dict(item)
            result = data["result"] or {}
            interval = result.get("alpha_ci95") or [None, None]
            yield (
                data["scope"], data["document"] or "", data["title"], data["status"], str(item.current).lower(),
                data["computed_at"] or "", data["annotation_count"], data["labels_now"], result.get("units", ""),
                result.get("annotators", ""), _blank(result.get("alpha")), _blank(interval[0]), _blank(interval[1]),
                _blank(result.get("fleiss_kappa")), _blank(result.get("percent_agreement")),
                _blank(result.get("pairable_units")), data["error"],
            )  # fmt: skip

    return _csv_stream(AGREEMENT_COLUMNS, _in_transaction(records), excel=filters.excel)


def analysis_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    """Every stored analysis of the project, a row per group and figure, then a row per difference and figure."""

    def records():
        stored = AnalysisReport.objects.filter(project=project, result__isnull=False).order_by("by", "basis")
        for report in stored:
            state = (report.status, str(is_current(report)).lower(), report.computed_at.isoformat())
            result = report.result
            articles = {group["name"]: group["articles"] for group in result["groups"]}
            for group in result["groups"]:
                for name, figure in analysis_figures(group):
                    interval = figure["ci95"] or [None, None]
                    yield (
                        report.by, report.basis, group["name"], "", group["articles"], name,
                        _blank(figure["estimate"]), _blank(interval[0]), _blank(interval[1]), *state,
                    )  # fmt: skip
            for difference in result["differences"]:
                first, second = difference["groups"]
                for name, figure in difference["figures"].items():
                    interval = figure["ci95"] or [None, None]
                    yield (
                        report.by, report.basis, first, second, articles[first], name,
                        _blank(figure["estimate"]), _blank(interval[0]), _blank(interval[1]), *state,
                    )  # fmt: skip

    return _csv_stream(ANALYSIS_COLUMNS, _in_transaction(records), excel=filters.excel)


def analysis_figures(group: dict) -> Iterator[tuple[str, dict]]:
    """A group's figures under the flat names that differences use (`claims.analysis`)."""
    for label, figure in group["shares"].items():
        yield f"share:{label}", figure
    for part, shares in group["by_third"].items():
        for label, figure in shares.items():
            yield f"third:{part}:{label}", figure
    for section, names in (
        ("claims", ("with_source", "sources_per_claim")),
        ("quotes", ("speakers", "top_five_share")),
    ):
        if group[section]:
            for name in names:
                yield f"{section}:{name}", group[section][name]


def _blank(value):
    return "" if value is None else value


def webannotation_jsonld(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    return _blocks(_in_transaction(lambda: webannotation.collection(project, filters)))


def reliability_md(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    yield reliability.markdown(project, filters).encode()


def reliability_table(path: str) -> Callable[[Project, ExportFilters], Iterator[bytes]]:
    """The writer of one table of reliability.md as CSV (header only before any report is computed)."""
    columns = RELIABILITY_TABLES[path]

    def writer(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
        tables = reliability.report_tables(project, filters) or {path: []}
        records = (tuple(_blank(row[column]) for column in columns) for row in tables[path])
        return _csv_stream(columns, records, excel=filters.excel)

    return writer
