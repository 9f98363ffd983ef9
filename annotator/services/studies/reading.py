"""A study's file read into rows (CSV or JSONL, columns named by the caller), each row checked on its own."""

import csv
import io
import json
from dataclasses import dataclass, field

from annotator.errors import InvalidInput
from annotator.models import Annotation, Document, Sentence, Source
from annotator.validation import check_web_url, decode_text, jsonl_objects, storable

COLUMN_DEFAULTS = {
    "document": "document",
    "unit": "unit",
    "text": "text",
    "annotator": "annotator",
    "label": "label",
    "outlet": "outlet",
    "url": "url",
    "sources": "sources",
    "speaker": "speaker",
}
REQUIRED = ("unit", "text", "annotator", "label")
# What the database holds at most; a longer value is refused, never cut.
MAX_LENGTHS = {
    "document": Document._meta.get_field("key").max_length,
    "unit": Sentence._meta.get_field("key").max_length,
    "outlet": Document._meta.get_field("outlet").max_length,
    "speaker": Annotation._meta.get_field("speaker").max_length,
}
MAX_SOURCE_TITLE = Source._meta.get_field("title").max_length
MAX_SOURCE_NOTE = Source._meta.get_field("note").max_length
MAX_REPORTED_ERRORS = 50


@dataclass
class Row:
    number: str  # "row 7" or "line 7", as the error messages name it
    document: str
    unit: str
    text: str
    annotator: str
    label: str
    outlet: str = ""
    url: str = ""
    sources: list = field(default_factory=list)
    speaker: str = ""


class RowErrors:
    def __init__(self):
        self.messages: list[str] = []
        self.count = 0

    def add(self, where: str, message: str) -> None:
        self.count += 1
        if len(self.messages) < MAX_REPORTED_ERRORS:
            self.messages.append(f"{where.capitalize()}: {message}")

    def raise_if_any(self) -> None:
        if self.count:
            more = self.count - len(self.messages)
            tail = [f"... and {more} more problems."] if more else []
            raise InvalidInput({"file": [*self.messages, *tail, "Nothing was imported."]})


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | str):
        return str(value).strip()
    raise TypeError("must be a string or a number")


def _csv_records(text: str):
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("file", "The file is empty.") from None
    except csv.Error as error:
        raise InvalidInput("file", f"Row 1 is not valid CSV: {error}.") from None
    header = [name.strip() for name in header]
    record = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InvalidInput("file", f"Row {record + 1} is not valid CSV: {error}. Nothing was imported.") from None
        record += 1
        if not any(value.strip() for value in values):
            continue
        yield f"row {record}", dict(zip(header, values, strict=False)), len(values) == len(header)


def _jsonl_records(text: str):
    for number, record in jsonl_objects(text, after=" Nothing was imported."):
        yield f"line {number}", record, True


def _sources(value, where: str, errors: RowErrors) -> list[dict]:
    if value in (None, ""):
        return []
    if isinstance(value, str) and value.lstrip().startswith("["):
        # The JSON array that annotations.csv writes, so an export imports back unchanged.
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            errors.add(where, f"'sources' looks like a JSON list but is not valid JSON: {error.msg}.")
            return []
        except (RecursionError, ValueError):  # nested too deeply, or a number too long to read
            errors.add(where, "'sources' looks like a JSON list but cannot be read.")
            return []
        if not isinstance(value, list):
            errors.add(where, "'sources' must be a JSON list.")
            return []
    if isinstance(value, str):
        items = [{"url": part} for part in value.replace("|", " ").split()]
    elif isinstance(value, list):
        items = [item if isinstance(item, dict) else {"url": item} for item in value]
    else:
        errors.add(where, "'sources' must be URLs separated by spaces or '|', or a JSON list.")
        return []
    cleaned = []
    for position, item in enumerate(items):
        try:
            url = check_web_url(str(item.get("url") or ""), field=f"sources[{position}]")
        except InvalidInput as error:
            errors.add(where, f"source {position + 1}: {' '.join(next(iter(error.errors.values())))}")
            continue
        title, note = str(item.get("title") or ""), str(item.get("note") or "")
        if len(title) > MAX_SOURCE_TITLE or len(note) > MAX_SOURCE_NOTE:
            errors.add(
                where,
                f"source {position + 1}: the title is longer than {MAX_SOURCE_TITLE} characters "
                f"or the note longer than {MAX_SOURCE_NOTE}.",
            )
            continue
        if not (storable(title) and storable(note)):
            errors.add(where, f"source {position + 1} contains a NUL or an unpaired surrogate character.")
            continue
        cleaned.append({"url": url, "title": title, "note": note})
    return cleaned


def parse_rows(
    content: bytes, *, fmt: str, columns: dict[str, str], default_document: str, errors: RowErrors
) -> list[Row]:
    """Every row of the file, each checked on its own; problems are collected in `errors`."""
    text = decode_text(content, field="file")
    records = _jsonl_records(text) if fmt == "jsonl" else _csv_records(text)
    rows: list[Row] = []
    seen_columns: set[str] = set()
    header_checked = False
    for where, record, complete in records:
        if fmt == "csv" and not header_checked:
            _check_header(set(record), columns)
            header_checked = True
        seen_columns.update(record)
        if not complete:
            errors.add(where, "it has a different number of cells than the header.")
            continue
        values = {}
        for name, column in columns.items():
            if name == "sources":
                continue
            try:
                values[name] = _cell(record.get(column))
            except TypeError as problem:
                errors.add(where, f"'{column}' {problem}.")
                continue
            if not storable(values[name]):
                errors.add(where, f"'{column}' contains a NUL or an unpaired surrogate character.")
                del values[name]
        if len(values) < len(columns) - 1:
            continue
        row = Row(
            number=where,
            document=values["document"] if columns["document"] in record else default_document,
            unit=values["unit"],
            text=values["text"],
            annotator=values["annotator"],
            label=values["label"],
            outlet=values["outlet"],
            url=values["url"],
            sources=_sources(record.get(columns["sources"]), where, errors),
            speaker=values["speaker"],
        )
        for name in ("document", "unit", "annotator"):
            if not getattr(row, name):
                errors.add(where, f"the {name} ('{columns[name]}') is empty.")
        for name, limit in MAX_LENGTHS.items():
            if len(getattr(row, name)) > limit:
                errors.add(where, f"the {name} ('{columns[name]}') is longer than {limit} characters.")
        if row.url:
            try:
                row.url = check_web_url(row.url, field="url")
            except InvalidInput as error:
                errors.add(where, f"url: {' '.join(next(iter(error.errors.values())))}")
        rows.append(row)
    if fmt == "jsonl":
        if not rows and not errors.count:
            raise InvalidInput("file", "The file holds no annotations.")
        _check_header(seen_columns, columns)
    elif not header_checked:
        raise InvalidInput("file", "The file holds no annotations.")
    return rows


def _check_header(present: set[str], columns: dict[str, str]) -> None:
    missing = {f"{name}_column": columns[name] for name in REQUIRED if columns[name] not in present}
    if missing:
        listed = ", ".join(sorted(present)) or "none"
        raise InvalidInput(
            {
                field_name: [f"The file has no column '{column}'; its columns are: {listed}."]
                for field_name, column in missing.items()
            }
        )
