"""Every export file Lede serves, by name: the writer that streams it and its media type."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from annotator.errors import InvalidInput
from annotator.models import Project
from machine.exports import exposures_csv

from . import label_writers, report_writers, soft_labels
from .rows import ExportFilters

# The query parameters that narrow a file or change how it is written (`rows.filters_from_query`).
EVERY_FILTER = frozenset({"document", "annotator", "label", "since", "pseudonymize", "spreadsheet_safe", "excel"})
# A report describes the whole project as it was computed: it can be pseudonymized and made safe for
# spreadsheets, never narrowed to an article, reviewer, label or date (that would need another computation).
WHOLE_PROJECT = frozenset({"pseudonymize", "spreadsheet_safe", "excel"})


@dataclass(frozen=True)
class ExportFormat:
    """One export file: the writer that streams its bytes, its media type, what it holds (the exports
    page shows it) and the query parameters it honours (`takes`); any other is refused (`check_query`)."""

    writer: Callable[[Project, ExportFilters], Iterator[bytes]]
    content_type: str
    description: str
    takes: frozenset = EVERY_FILTER

    @property
    def whole_project(self) -> bool:
        return self.takes == WHOLE_PROJECT

    def check_query(self, name: str, params) -> None:
        """A 400 naming a filter this file cannot honour, rather than a file that silently ignores it."""
        for parameter in sorted(EVERY_FILTER - self.takes):
            if params.get(parameter, "").strip():
                raise InvalidInput(
                    parameter,
                    f"{name} describes the whole project as its report was computed; it cannot be narrowed by "
                    f"{parameter}. Leave {parameter} out (pseudonymize, spreadsheet_safe and excel still apply).",
                )


CSV = "text/csv; charset=utf-8"
FORMATS = {
    "annotations.csv": ExportFormat(
        label_writers.annotations_csv, CSV, "One row per sentence and reviewer: the label, speaker, note and sources."
    ),
    "annotations.jsonl": ExportFormat(
        label_writers.annotations_jsonl,
        "application/jsonl; charset=utf-8",
        "The same labels as annotations.csv, one JSON object a line, sources as a list.",
    ),
    "wide.csv": ExportFormat(
        label_writers.wide_csv,
        CSV,
        "One row per sentence, a column per reviewer, the plurality label and its share, and the gold label.",
    ),
    "gold.csv": ExportFormat(
        label_writers.gold_csv,
        CSV,
        "The gold standard: one row per decided sentence with its label, provenance, the reviewers' agreement "
        "with it, rationale, category, who decided and when.",
    ),
    "gold.jsonl": ExportFormat(
        label_writers.gold_jsonl,
        "application/jsonl; charset=utf-8",
        "The same decisions as gold.csv, one JSON object a line, topics and sources as lists.",
    ),
    "soft_labels.csv": ExportFormat(
        soft_labels.soft_labels_csv,
        CSV,
        "Soft labels: one row per labelled sentence with how many reviewers gave each label, its share, the "
        "entropy and every reviewer's label.",
    ),
    "reviewers.csv": ExportFormat(
        soft_labels.reviewers_csv,
        CSV,
        "One row per reviewer: role, when they joined, their labels, agreement with the others and MACE competence.",
        frozenset({"annotator", "pseudonymize", "spreadsheet_safe", "excel"}),
    ),
    "sources.csv": ExportFormat(
        label_writers.sources_csv, CSV, "Every source with the sentences and labels that cite it."
    ),
    "exposures.csv": ExportFormat(
        exposures_csv,
        CSV,
        "Every model suggestion shown to a reviewer: sentence, reviewer, model version, label, score, when, and "
        "the reviewer's final label.",
        frozenset({"pseudonymize", "spreadsheet_safe", "excel"}),
    ),
    "agreement.json": ExportFormat(
        report_writers.agreement_json,
        "application/json",
        "The agreement reports of the project and of every article, with their freshness.",
        WHOLE_PROJECT,
    ),
    "agreement.csv": ExportFormat(
        report_writers.agreement_csv, CSV, "The agreement reports' headline figures as a table.", WHOLE_PROJECT
    ),
    "analysis.csv": ExportFormat(
        report_writers.analysis_csv,
        CSV,
        "Every computed coverage analysis: per group, label shares, claims' sources and quotes' speakers with "
        "their 95% intervals, and the differences between groups.",
        WHOLE_PROJECT,
    ),
    "reliability.md": ExportFormat(
        report_writers.reliability_md,
        "text/markdown; charset=utf-8",
        "A reliability report to cite: a methods paragraph with every coefficient, its n and interval, and tables.",
        WHOLE_PROJECT,
    ),
    "reliability-coefficients.csv": ExportFormat(
        report_writers.reliability_table("reliability-coefficients.csv"),
        CSV,
        "Table 1 of reliability.md: each coefficient with its level, n, standard error and interval.",
        WHOLE_PROJECT,
    ),
    "reliability-pairs.csv": ExportFormat(
        report_writers.reliability_table("reliability-pairs.csv"),
        CSV,
        "Table 2 of reliability.md: agreement and (weighted) Cohen's kappa per pair of reviewers.",
        WHOLE_PROJECT,
    ),
    "reliability-reviewers.csv": ExportFormat(
        report_writers.reliability_table("reliability-reviewers.csv"),
        CSV,
        "Table 3 of reliability.md: per reviewer, labels, agreement with the others and alpha without them.",
        WHOLE_PROJECT,
    ),
    "reliability-gold.csv": ExportFormat(
        report_writers.reliability_table("reliability-gold.csv"),
        CSV,
        "Table 4 of reliability.md: per reviewer, accuracy and Cohen's kappa against the decided labels.",
        WHOLE_PROJECT,
    ),
    "webannotation.jsonld": ExportFormat(
        label_writers.webannotation_jsonld,
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        "W3C Web Annotations: the labelled quotes with their positions, labels and sources, and the gold labels.",
    ),
}
