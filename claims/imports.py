"""Import a finished study's annotations (long format, CSV or JSONL): documents, sentences, reviewers, labels.

One row per sentence x annotator. Which column holds what is given by `columns` (defaults in
COLUMN_DEFAULTS), so files from other tools import without editing. The whole file is checked
before anything is written; any wrong row rejects the file with every problem's row number
(CSV rows count the header as row 1, as a spreadsheet does; JSONL counts lines).

Decisions, so that an import never does something surprising:

- A unit (sentence) is identified by its key; it must have the same text and document on
  every row. An empty label means the annotator did not label that unit: the row is counted
  as missing and skipped, the unit still exists. Two rows for one unit and annotator are an error.
- Without a document column in the file, every unit goes into one document named after the
  file. A document's outlet and url are kept when all its rows agree on them.
- Imported labels never speak for a person. Each annotator name becomes an import-only account
  of this project: `<name>@<project id>`, with an unusable password, so it cannot log in,
  joining the project as an annotator (an earlier import into the project made it: it is
  reused). The project id keeps the names of different projects apart, so a name in a file
  can neither reach an account outside the project nor tell whether one exists. The one
  exception is the importer's own username: those labels are the importer's, who must be
  allowed to label. `annotator_prefix` (e.g. "babe-") is put before every name.
- A label the scheme lacks is an error unless `add_labels` is set; then it is added at the end
  of the scheme (nominal), or with its name as its value (interval: finite numbers only, and
  one label per value, so "1" and "1.0" are the same label). A scheme whose labels are all
  numbers is kept in numeric order.
  Ordinal scales cannot guess where a new label goes, so they always need the scheme first.
- Documents whose key already exists in the project are a conflict (409): import once.
"""

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models import Q

from annotator import services
from annotator.errors import Conflict, InvalidInput
from annotator.models import (
    Annotation,
    Document,
    Label,
    Membership,
    Project,
    Scale,
    Sentence,
    Source,
)
from annotator.roles import CAN_LABEL
from annotator.validation import check_web_url, decode_text, jsonl_objects, label_number, storable

User = get_user_model()

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


@dataclass
class ImportSummary:
    documents: list[Document]
    sentences: int
    annotations: int
    missing_labels: int
    annotators_created: list[str]
    annotators_reused: list[str]
    labels_added: list[str]

    def as_dict(self) -> dict:
        return {
            "documents": len(self.documents),
            "document_ids": [document.pk for document in self.documents],
            "sentences": self.sentences,
            "annotations": self.annotations,
            "missing_labels": self.missing_labels,
            "annotators_created": self.annotators_created,
            "annotators_reused": self.annotators_reused,
            "labels_added": self.labels_added,
        }


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


# --- reading -------------------------------------------------------------------------------


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


# --- checking against the project ------------------------------------------------------------


@dataclass
class Units:
    """The units of the file grouped by document, in order of first appearance."""

    by_document: dict[str, list[str]]
    text: dict[str, str]
    document_of: dict[str, str]
    outlets: dict[str, set]
    urls: dict[str, set]


def _group_units(rows: list[Row], errors: RowErrors) -> Units:
    units = Units(
        by_document=defaultdict(list), text={}, document_of={}, outlets=defaultdict(set), urls=defaultdict(set)
    )
    labelled: set[tuple[str, str]] = set()
    for row in rows:
        if row.unit not in units.document_of:
            units.document_of[row.unit] = row.document
            units.by_document[row.document].append(row.unit)
        elif units.document_of[row.unit] != row.document:
            earlier = units.document_of[row.unit]
            errors.add(row.number, f"unit '{row.unit}' is in document '{earlier}' on an earlier row.")
        text = row.text.strip()
        if text:
            known = units.text.setdefault(row.unit, text)
            if known != text:
                errors.add(row.number, f"unit '{row.unit}' has another text on an earlier row.")
        if row.label:
            if (row.unit, row.annotator) in labelled:
                errors.add(row.number, f"annotator '{row.annotator}' labels unit '{row.unit}' twice.")
            labelled.add((row.unit, row.annotator))
        if row.outlet:
            units.outlets[row.document].add(row.outlet)
        if row.url:
            units.urls[row.document].add(row.url)
    first_row = {}
    for row in rows:
        first_row.setdefault(row.unit, row.number)
    for unit, where in first_row.items():
        if unit not in units.text:
            errors.add(where, f"unit '{unit}' has no text on any row.")
    return units


def _plan_labels(project: Project, rows: list[Row], add_labels: bool, errors: RowErrors) -> list[str]:
    """The labels the file adds to the scheme; on an interval scale rows naming a known value get its label."""
    scheme = dict(Label.objects.filter(project=project).values_list("name", "value"))
    if project.scale == Scale.INTERVAL:
        _one_label_per_value(rows, scheme)
    first_use: dict[str, str] = {}
    for row in rows:
        if row.label and row.label not in scheme:
            first_use.setdefault(row.label, row.number)
    if not first_use:
        return []
    if not add_labels or project.scale == Scale.ORDINAL:
        why = (
            "an ordinal scheme's order cannot be guessed: add the labels to the project first"
            if add_labels
            else "add it to the project's labels, or send add_labels=true"
        )
        for name, where in first_use.items():
            errors.add(where, f"'{name}' is not a label of this project ({why}).")
        return []
    for name, where in first_use.items():
        if len(name) > 64:
            errors.add(where, f"the label '{name[:20]}...' is longer than 64 characters.")
        if project.scale == Scale.INTERVAL and label_number(name) is None:
            errors.add(where, f"'{name}' is not a finite number, so it cannot be added to an interval scale.")
    return list(first_use)


def _one_label_per_value(rows: list[Row], scheme: dict[str, float | None]) -> None:
    """Give every row whose label spells a value the one label of that value: "1" and "1.0" are one label.

    The scheme's label of a value wins; a value the scheme lacks takes the first name the file uses.
    """
    by_value = {value: name for name, value in scheme.items() if value is not None}
    for row in rows:
        if row.label and row.label not in scheme:
            value = label_number(row.label)
            if value is not None:
                row.label = by_value.setdefault(value, row.label)


def _plan_annotators(
    project: Project, rows: list[Row], prefix: str, imported_by, errors: RowErrors
) -> tuple[list, list]:
    """Name each row's account and split them into accounts to create and existing ones; see the module docstring."""
    accounts: dict[str, str] = {}  # name in the file -> account
    first_use: dict[str, str] = {}  # account -> first row
    for row in rows:
        name = prefix + row.annotator
        account = accounts.setdefault(name, name if name == imported_by.username else f"{name}@{project.pk}")
        row.annotator = account
        first_use.setdefault(account, row.number)
    validate = UnicodeUsernameValidator()
    for name, where in first_use.items():
        try:
            validate(name)
            if len(name) > 150:
                raise ValidationError("too long")
        except ValidationError:
            errors.add(
                where,
                f"'{name}' cannot be a user name (at most 150 letters, digits and @ . + - _; "
                "choose an annotator_prefix without other characters).",
            )
    members = dict(
        Membership.objects.filter(project=project, user__username__in=list(first_use)).values_list(
            "user__username", "role"
        )
    )
    existing = {
        user.username: user
        for user in User.objects.filter(username__in=list(first_use)).filter(
            Q(username=imported_by.username) | Q(pk__in=Membership.objects.filter(project=project).values("user"))
        )
    }
    reused = []
    for name, where in first_use.items():
        user, role = existing.get(name), members.get(name)
        if name == imported_by.username:
            if role in CAN_LABEL:
                reused.append(name)
            else:
                errors.add(where, f"'{name}' is you, and your role in this project cannot hold labels.")
        elif user is not None and not user.has_usable_password():
            reused.append(name)
        elif user is not None:
            errors.add(where, f"'{name}' cannot be an imported annotator; choose another annotator_prefix.")
    created = [name for name in first_use if name not in existing]
    # Someone may have registered a name of this form; the same message as above, and nothing else, says so.
    for name in User.objects.filter(username__in=created).values_list("username", flat=True):
        errors.add(first_use[name], f"'{name}' cannot be an imported annotator; choose another annotator_prefix.")
    return created, sorted(reused)


def import_annotations(
    *,
    project: Project,
    imported_by,
    content: bytes,
    fmt: str = "csv",
    columns: dict[str, str] | None = None,
    add_labels: bool = False,
    annotator_prefix: str = "",
    file_name: str = "imported annotations",
) -> ImportSummary:
    """Create the documents, sentences, annotator accounts and labels of a long-format file: all or none."""
    columns = {**COLUMN_DEFAULTS, **(columns or {})}
    errors = RowErrors()
    # Without a document column every unit goes into one document named after the file (a long name is cut).
    default_document = file_name[: MAX_LENGTHS["document"]]
    rows = parse_rows(content, fmt=fmt, columns=columns, default_document=default_document, errors=errors)
    units = _group_units(rows, errors)
    new_labels = _plan_labels(project, rows, add_labels, errors)
    new_names, reused = _plan_annotators(project, rows, annotator_prefix, imported_by, errors)
    errors.raise_if_any()
    taken = sorted(
        Document.objects.filter(project=project, key__in=list(units.by_document)).values_list("key", flat=True)
    )
    if taken:
        raise Conflict("file", f"These documents were imported before: {', '.join(taken[:10])}. Nothing was imported.")

    documents = services.import_study(
        project=project,
        imported_by=imported_by,
        documents=[
            services.StudyDocument(
                key=key,
                units=[(unit, units.text[unit]) for unit in unit_keys],
                outlet=next(iter(units.outlets[key])) if len(units.outlets[key]) == 1 else "",
                url=next(iter(units.urls[key])) if len(units.urls[key]) == 1 else "",
            )
            for key, unit_keys in units.by_document.items()
        ],
        labels=[
            services.StudyLabel(
                unit=row.unit,
                annotator=row.annotator,
                label=row.label,
                speaker=row.speaker,
                sources=[services.SourceInput(**source) for source in row.sources],
            )
            for row in rows
            if row.label
        ],
        new_labels=new_labels,
        new_accounts=new_names,
        members=reused,
    )
    return ImportSummary(
        documents=documents,
        sentences=len(units.document_of),
        annotations=sum(1 for row in rows if row.label),
        missing_labels=sum(1 for row in rows if not row.label),
        annotators_created=sorted(new_names),
        annotators_reused=reused,
        labels_added=new_labels,
    )
