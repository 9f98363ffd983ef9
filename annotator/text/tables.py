"""Article lists in tables: which kind a file is, and CSV, TSV and JSON arrays read into rows (no Django).

A row comes out as a dict of the columns it fills, strings except where JSON gives a list or a
boolean; `TableError` names the row and column of the first thing that cannot be read. The
services turn rows into articles and check what needs the database's limits.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass

# The columns a table of articles may have; only `text` is required.
COLUMNS = (
    "text",
    "title",
    "outlet",
    "url",
    "author",
    "published",
    "topics",
    "calibration",
    "training",
    "key",
    "format",
)
REQUIRED = "text"
BOOLEAN_COLUMNS = ("calibration", "training")
TRUE_WORDS, FALSE_WORDS = ("true", "yes", "y", "1", "x"), ("false", "no", "n", "0", "")

# What an uploaded list of articles can be, by its name's ending.
LIST_KINDS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
# What one uploaded article can be; a file of any other kind is not read as an article.
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm")
KINDS_SAID = "CSV (.csv), TSV (.tsv), a JSON array (.json) or JSONL (.jsonl)"


class TableError(ValueError):
    """A table that cannot be read as a list of articles; `row` and `column` say where, when known."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        place = ", ".join(part for part in (row and f"Row {row}", column and f"column '{column}'") if part)
        super().__init__(f"{place}: {message}" if place else message)


@dataclass(frozen=True)
class TableRow:
    """One article's cells: `number` is its row as a spreadsheet shows it (the header is row 1)."""

    number: int
    cells: dict


def suffix(file_name: str) -> str:
    name = (file_name or "").lower().rsplit("/", 1)[-1]
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def list_kind(file_name: str, head: str) -> str:
    """`csv`, `tsv`, `json` or `jsonl`: from the name's ending, else from the first character of `head`.

    A `.json` file holding objects one a line is JSONL, as it always was here. Anything else is
    refused: a text, a spreadsheet or a document is not a list of articles.
    """
    first = head.lstrip()[:1]
    kind = LIST_KINDS.get(suffix(file_name))
    if kind == "json" and first == "{":
        return "jsonl"
    if kind:
        return kind
    if not suffix(file_name) or suffix(file_name) == ".txt":
        if first == "[":
            return "json"
        if first == "{":
            return "jsonl"
    said = f"'{file_name}'" if file_name else "This file"
    raise TableError(
        f"{said} is not a list of articles Lede can read; upload {KINDS_SAID}, UTF-8 "
        "(a spreadsheet: save it as CSV UTF-8)."
    )


def one_article_refused(file_name: str) -> str:
    """Why a file cannot be one article (its kind is a list of articles, or no text Lede reads), or ''."""
    ending = suffix(file_name)
    if not ending or ending in ARTICLE_SUFFIXES:
        return ""
    if ending in LIST_KINDS:
        return f"'{file_name}' is a list of articles, not one article: import it with the bulk import."
    return f"'{file_name}' is not an article Lede can read; upload plain text (.txt), Markdown (.md) or HTML (.html)."


def read_delimited(text: str, *, delimiter: str) -> list[TableRow]:
    """The rows of a CSV (`,`) or TSV (tab) text with a header row naming the columns (`COLUMNS`)."""
    lines = csv.reader(text.splitlines(keepends=True), delimiter=delimiter, strict=True)
    try:
        header = next(lines, None)
        if header is None or not any(name.strip() for name in header):
            raise TableError("The file is empty; its first row names the columns, one of them 'text'.", row=1)
        columns = _header(header)
        rows = []
        for number, values in enumerate(lines, start=2):
            if not any(value.strip() for value in values):
                continue  # a blank line, as spreadsheets leave at the end
            if len(values) > len(columns):
                raise TableError(
                    f"The row has {len(values)} cells but the header names {len(columns)} columns.", row=number
                )
            cells = {name: value for name, value in zip(columns, values, strict=False) if name}
            rows.append(TableRow(number, _cells(cells, number)))
    except csv.Error as error:
        raise TableError(f"The file cannot be read as {'CSV' if delimiter == ',' else 'TSV'}: {error}.") from None
    return rows


def _header(header: list[str]) -> list[str]:
    columns = [name.strip().lower() for name in header]
    seen = set()
    for name in columns:
        if name and name not in COLUMNS:
            raise TableError(
                f"Lede does not read this column; the columns are {', '.join(COLUMNS)}.", row=1, column=name
            )
        if name in seen:
            raise TableError("The column appears twice.", row=1, column=name)
        seen.add(name)
    if REQUIRED not in seen:
        raise TableError("The header has no 'text' column; the article's text goes there.", row=1)
    return columns


def read_json_array(text: str) -> list[TableRow]:
    """The items of a JSON array of objects, numbered from 1, with the columns as keys."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise TableError(f"The file is not JSON: {error.msg} (line {error.lineno}, column {error.colno}).") from None
    except (RecursionError, ValueError):
        raise TableError("The file is nested too deeply, or holds a number too long, to read.") from None
    if not isinstance(items, list):
        raise TableError("The file must be a JSON array of articles, each an object with 'text'.")
    rows = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise TableError("The item must be an object with 'text'.", row=number)
        for name in item:
            if name not in COLUMNS:
                raise TableError(f"Lede does not read this field; the fields are {', '.join(COLUMNS)}.", row=number,
                                 column=name)  # fmt: skip
        rows.append(TableRow(number, _cells({k: v for k, v in item.items() if v is not None}, number)))
    return rows


def _cells(cells: dict, row: int) -> dict:
    """The cells as the services take them: strings trimmed (the text kept as it is), topics a list, booleans."""
    out = {}
    for name, value in cells.items():
        if name in BOOLEAN_COLUMNS:
            out[name] = _boolean(value, row=row, column=name)
        elif name == "topics":
            if isinstance(value, str):
                value = value.split(";")
            if not isinstance(value, list) or not all(isinstance(topic, str) for topic in value):
                raise TableError("Topics are strings with ';' between them (in JSON, a list of strings).", row=row,
                                 column=name)  # fmt: skip
            out[name] = [topic.strip() for topic in value if topic.strip()]
        elif isinstance(value, str):
            out[name] = value if name == REQUIRED else value.strip()
        else:
            raise TableError("The value must be a string.", row=row, column=name)
        if not _storable(out[name]):
            raise TableError("The value contains a NUL or an unpaired surrogate character.", row=row, column=name)
    if not (out.get(REQUIRED) or "").strip():
        raise TableError("The article has no text.", row=row, column=REQUIRED)
    return out


def _boolean(value, *, row: int, column: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS + FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise TableError(f"'{value}' is not yes or no; write true or false (or leave it empty).", row=row, column=column)


def _storable(value) -> bool:
    """PostgreSQL text holds no NUL, and no UTF-8 text a lone surrogate (only a JSON escape makes one)."""
    for text in value if isinstance(value, list) else [value]:
        if isinstance(text, str):
            if "\x00" in text:
                return False
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True
