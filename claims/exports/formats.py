"""Every export file Lede serves, by name: the writer that streams it and its media type."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from annotator.models import Project

from . import writers
from .rows import ExportFilters


@dataclass(frozen=True)
class ExportFormat:
    """One export file: the writer that streams its bytes, and its media type."""

    writer: Callable[[Project, ExportFilters], Iterator[bytes]]
    content_type: str


CSV = "text/csv; charset=utf-8"
FORMATS = {
    "annotations.csv": ExportFormat(writers.annotations_csv, CSV),
    "annotations.jsonl": ExportFormat(writers.annotations_jsonl, "application/jsonl; charset=utf-8"),
    "wide.csv": ExportFormat(writers.wide_csv, CSV),
    "sources.csv": ExportFormat(writers.sources_csv, CSV),
    "agreement.json": ExportFormat(writers.agreement_json, "application/json"),
    "agreement.csv": ExportFormat(writers.agreement_csv, CSV),
    "webannotation.jsonld": ExportFormat(
        writers.webannotation_jsonld, 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    ),
}
