"""Reference labels of training articles: set one by one, imported from a file, or taken from decisions."""

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from django.db import transaction

from annotator.errors import InvalidInput
from annotator.models import Document, Label, ReferenceLabel, Sentence

from .labelling import find_label

MAX_EXPLANATION = 5000
REFERENCE_COLUMNS = ("sentence", "label", "explanation")


class ReferenceInput(NamedTuple):
    """A reference for the sentence at `position` (1 for the article's first sentence), from `line` of a file."""

    position: int
    label: str
    explanation: str = ""
    line: int = 0


def _check_training(document: Document) -> None:
    if not document.training:
        raise InvalidInput("document", "Reference labels belong to training articles; flag the article first.")


def set_reference(*, sentence: Sentence, label_name: str, explanation: str) -> ReferenceLabel:
    """The right label of a training sentence, with why, shown to a reviewer in training once they answer."""
    if not sentence.document.training:
        raise InvalidInput("sentence", "Reference labels belong to training articles; flag the article first.")
    label = find_label(sentence.document.project, label_name)
    reference, _ = ReferenceLabel.objects.update_or_create(
        sentence=sentence, defaults={"label": label, "explanation": explanation}
    )
    return reference


def read_references(content: bytes, filename: str) -> list[ReferenceInput]:
    """A file's references: CSV with a header `sentence,label,explanation`, or JSONL (a `.jsonl` name, or a first
    line that is a JSON object) with the same keys. Raises `InvalidInput` on `file` naming the line at fault."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("file", "The file is not UTF-8 text.") from None
    if filename.lower().endswith(".jsonl") or text.lstrip().startswith("{"):
        records = _jsonl_records(text)
    else:
        records = _csv_records(text)
    return [_reference_input(line, record) for line, record in records]


def _jsonl_records(text: str) -> Iterable[tuple[int, Mapping]]:
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except ValueError:
            raise InvalidInput("file", f"Line {line} is not JSON.") from None
        if not isinstance(record, dict):
            raise InvalidInput("file", f"Line {line} is not a JSON object.")
        yield line, record


def _csv_records(text: str) -> Iterable[tuple[int, Mapping]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in REFERENCE_COLUMNS[:2] if name not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput("file", f"The CSV file needs a header with the columns {', '.join(REFERENCE_COLUMNS)}.")
    for record in reader:
        yield reader.line_num, record


def _reference_input(line: int, record: Mapping) -> ReferenceInput:
    position, label, explanation = (record.get(name) for name in REFERENCE_COLUMNS)
    try:
        position = int(str(position).strip())
    except ValueError:
        raise InvalidInput(
            "file", f"Line {line}: 'sentence' must be the sentence's number (1 for the first)."
        ) from None
    if not isinstance(label, str) or not label.strip():
        raise InvalidInput("file", f"Line {line}: 'label' is missing.")
    explanation = "" if explanation is None else str(explanation)
    if len(explanation) > MAX_EXPLANATION:
        raise InvalidInput("file", f"Line {line}: 'explanation' is longer than {MAX_EXPLANATION} characters.")
    return ReferenceInput(position, label.strip(), explanation.strip(), line)


def import_references(*, document: Document, references: list[ReferenceInput]) -> int:
    """Set the references of a training article's sentences by position; all or none. How many were set."""
    _check_training(document)
    if not references:
        raise InvalidInput("file", "The file holds no references.")
    sentences = dict(Sentence.objects.filter(document=document).values_list("index", "id"))
    labels = dict(Label.objects.filter(project_id=document.project_id).values_list("name", "id"))
    rows = {}
    for reference in references:
        if reference.position - 1 not in sentences:
            raise InvalidInput(
                "file", f"Line {reference.line}: no sentence {reference.position}; the article has {len(sentences)}."
            )
        if reference.label not in labels:
            raise InvalidInput(
                "file",
                f"Line {reference.line}: '{reference.label}' is not a label here; use one of: {', '.join(labels)}.",
            )
        rows[sentences[reference.position - 1]] = (labels[reference.label], reference.explanation)
    return _write(rows)


def references_from_decisions(*, document: Document, decisions: Mapping[int, tuple[int, str]]) -> int:
    """Set a training article's references from its decided labels: {sentence id: (label id, rationale)}.

    A rationale becomes the explanation; without one the sentence keeps the explanation it had.
    """
    _check_training(document)
    kept = dict(ReferenceLabel.objects.filter(sentence__document=document).values_list("sentence_id", "explanation"))
    return _write(
        {sentence: (label, rationale or kept.get(sentence, "")) for sentence, (label, rationale) in decisions.items()}
    )


def _write(rows: Mapping[int, tuple[int, str]]) -> int:
    with transaction.atomic():
        ReferenceLabel.objects.bulk_create(
            [ReferenceLabel(sentence_id=s, label_id=label, explanation=why) for s, (label, why) in rows.items()],
            update_conflicts=True,
            unique_fields=["sentence"],
            update_fields=["label", "explanation"],
        )
    return len(rows)
