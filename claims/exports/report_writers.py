"""Streaming writers of the report data: agreement reports, analyses and the reliability tables, as stored."""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from annotator.models import Document, Project
from claims.models import AgreementReport, AnalysisReport
from claims.reports import is_current

from . import reliability, rows
from .columns import AGREEMENT_COLUMNS, ANALYSIS_COLUMNS, RELIABILITY_TABLES
from .rows import ExportFilters
from .streams import NO_FILTERS, blank, byte_blocks, csv_stream, in_transaction


def _iso(value) -> str:
    return value.isoformat() if value is not None else ""


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

    return byte_blocks(in_transaction(parts))


def agreement_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    def records():
        for item in _report_states(project):
            data = _report_dict(item)
            result = data["result"] or {}
            interval = result.get("alpha_ci95") or [None, None]
            yield (
                data["scope"], data["document"] or "", data["title"], data["status"], str(item.current).lower(),
                data["computed_at"] or "", data["annotation_count"], data["labels_now"], result.get("units", ""),
                result.get("annotators", ""), blank(result.get("alpha")), blank(interval[0]), blank(interval[1]),
                blank(result.get("fleiss_kappa")), blank(result.get("percent_agreement")),
                blank(result.get("pairable_units")), data["error"],
            )  # fmt: skip

    return csv_stream(AGREEMENT_COLUMNS, in_transaction(records), filters)


def analysis_csv(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    """Every stored analysis of the project, a row per group and figure, then a row per difference and figure."""

    def records():
        stored = AnalysisReport.objects.filter(project=project, result__isnull=False).order_by("by", "basis")
        for report in stored:
            state = (report.status, str(is_current(report)).lower(), report.computed_at.isoformat())
            result = report.result
            mix = result.get("mix") or {}
            mixed = tuple(blank(mix.get(kind)) for kind in ("decided", "plurality", "tied"))
            minimum, method = blank(result.get("min_articles")), result.get("interval_method", "")
            articles = {group["name"]: group["articles"] for group in result["groups"]}
            for group in result["groups"]:
                withheld = (group.get("interval") or {}).get("reason") or ""
                for name, figure in analysis_figures(group):
                    interval = figure["ci95"] or [None, None]
                    yield (
                        report.by, report.basis, group["name"], "", group["articles"], name,
                        blank(figure["estimate"]), blank(interval[0]), blank(interval[1]),
                        withheld if figure["estimate"] is not None else "", minimum, method, "", "", "", *mixed,
                        *state,
                    )  # fmt: skip
            for difference in result["differences"]:
                first, second = difference["groups"]
                short = min(articles[first], articles[second]) < (result.get("min_articles") or 0)
                for name, figure in difference["figures"].items():
                    interval = figure["ci95"] or [None, None]
                    yield (
                        report.by, report.basis, first, second, articles[first], name,
                        blank(figure["estimate"]), blank(interval[0]), blank(interval[1]),
                        "too_few_articles" if short and figure["estimate"] is not None else "", minimum, method,
                        blank(figure.get("p")), blank(figure.get("p_holm")), "holm" if "p_holm" in figure else "",
                        *mixed, *state,
                    )  # fmt: skip

    return csv_stream(ANALYSIS_COLUMNS, in_transaction(records), filters)


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


def reliability_md(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
    yield reliability.markdown(project, filters).encode()


def reliability_table(path: str) -> Callable[[Project, ExportFilters], Iterator[bytes]]:
    """The writer of one table of reliability.md as CSV (header only before any report is computed)."""
    columns = RELIABILITY_TABLES[path]

    def writer(project: Project, filters: ExportFilters = NO_FILTERS) -> Iterator[bytes]:
        tables = reliability.report_tables(project, filters) or {path: []}
        records = (tuple(blank(row[column]) for column in columns) for row in tables[path])
        return csv_stream(columns, records, filters)

    return writer
