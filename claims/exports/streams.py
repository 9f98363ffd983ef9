"""Streaming plumbing the export writers share: CSV and text written in blocks of bytes, rows read in a transaction.

Nothing here knows about HTTP: the API wraps a writer in a StreamingHttpResponse and the
archive task writes the same bytes into a zip. Each writer yields its header at once (before
any query runs) and then blocks of about 64 KB, so the first bytes reach a client
immediately and memory stays flat however many labels a project has.

CSV files are RFC 4180 (comma, double quotes, CRLF) with a header row. Unless the reader asks
for raw text (`spreadsheet_safe=False`), a text cell that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return: OWASP's CSV-injection list) gets a leading
apostrophe; numbers are never touched. Header cells are always guarded: wide.csv's columns are
named after reviewers, whose usernames may start with + - @. With `excel=True` the file starts
with a byte-order mark so Excel reads it as UTF-8.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.db import transaction

from .rows import ExportFilters

BLOCK = 64 * 1024
BATCH_ROWS = 256  # records written at once: a block or so of annotations.csv
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NO_FILTERS = ExportFilters()


def _formula_guarded(value):
    """A text cell a spreadsheet would run as a formula with a leading apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_stream(header: Iterable[str], records: Iterable[tuple], filters: ExportFilters) -> Iterator[bytes]:
    """Header at once (always guarded), then the records as RFC 4180 CSV in blocks of about BLOCK bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(tuple(map(_formula_guarded, header)))
    yield (byte_order_mark(filters) + buffer.getvalue()).encode()
    buffer.seek(0)
    buffer.truncate()
    records = iter(records)
    guarded = filters.spreadsheet_safe
    while part := list(islice(records, BATCH_ROWS)):
        writer.writerows([tuple(map(_formula_guarded, record)) for record in part] if guarded else part)
        if buffer.tell() >= BLOCK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def csv_cell(text: str) -> str:
    """A text cell as Python's csv writer spells it (QUOTE_MINIMAL): quoted only around a comma,
    a double quote (doubled) or a line break."""
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def guarded_cell(text: str) -> str:
    """`csv_cell` of the text `_formula_guarded` gives."""
    return csv_cell("'" + text if text.startswith(FORMULA_STARTS) else text)


def byte_order_mark(filters: ExportFilters) -> str:
    """What a CSV file starts with: a byte-order mark when asked for Excel, else nothing."""
    return "\ufeff" if filters.excel else ""


def record_parts(batches: Iterable[list[tuple]]) -> Iterator[list[tuple]]:
    """The batches cut into lists of at most BATCH_ROWS records: a block or so of text each."""
    for batch in batches:
        for start in range(0, len(batch), BATCH_ROWS):
            yield batch[start : start + BATCH_ROWS]


def byte_blocks(lines: Iterable[str]) -> Iterator[bytes]:
    """The lines encoded and sent in blocks of about BLOCK bytes."""
    parts, size = [], 0
    for line in lines:
        parts.append(line)
        size += len(line)
        if size >= BLOCK:
            yield "".join(parts).encode()
            parts, size = [], 0
    if parts:
        yield "".join(parts).encode()


def in_transaction(produce: Callable[[], Iterator]) -> Iterator:
    """Run a row stream inside a transaction, so PostgreSQL serves it from a plain server-side
    cursor (outside one Django declares it WITH HOLD, which materialises every row first)."""
    with transaction.atomic():
        yield from produce()


def blank(value):
    """A cell left empty for a missing figure."""
    return "" if value is None else value
