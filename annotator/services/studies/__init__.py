"""A finished study's annotations imported from a file (long format, CSV or JSONL): read, checked, written.

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

from dataclasses import dataclass

from annotator.errors import Conflict
from annotator.models import Document, Project

from ..labelling import SourceInput
from .checking import group_units, plan_annotators, plan_labels
from .reading import COLUMN_DEFAULTS, MAX_LENGTHS, RowErrors, parse_rows
from .writing import StudyDocument, StudyLabel, import_study

__all__ = ["COLUMN_DEFAULTS", "ImportSummary", "StudyDocument", "StudyLabel", "import_annotations", "import_study"]


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
    units = group_units(rows, errors)
    new_labels = plan_labels(project, rows, add_labels, errors)
    new_names, reused = plan_annotators(project, rows, annotator_prefix, imported_by, errors)
    errors.raise_if_any()
    taken = sorted(
        Document.objects.filter(project=project, key__in=list(units.by_document)).values_list("key", flat=True)
    )
    if taken:
        raise Conflict("file", f"These documents were imported before: {', '.join(taken[:10])}. Nothing was imported.")

    documents = import_study(
        project=project,
        imported_by=imported_by,
        documents=[
            StudyDocument(
                key=key,
                units=[(unit, units.text[unit]) for unit in unit_keys],
                outlet=next(iter(units.outlets[key])) if len(units.outlets[key]) == 1 else "",
                url=next(iter(units.urls[key])) if len(units.urls[key]) == 1 else "",
            )
            for key, unit_keys in units.by_document.items()
        ],
        labels=[
            StudyLabel(
                unit=row.unit,
                annotator=row.annotator,
                label=row.label,
                speaker=row.speaker,
                sources=[SourceInput(**source) for source in row.sources],
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
