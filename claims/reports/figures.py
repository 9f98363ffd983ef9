"""Computing a report's figures from its label matrix: the statistics and, for a document, its sentence rows."""

import datetime

from django.conf import settings
from django.db.models import Max

from annotator.models import AnnotationEvent, Document, Sentence
from claims import agreement
from claims.models import AgreementReport

from .matrix import LabelMatrix, read_labels


def compute_figures(matrix: LabelMatrix, *, resamples: int | None = None) -> dict:
    """The agreement figures of `matrix` as stored in `AgreementReport.result` (JSON-safe)."""
    return agreement.compute_agreement(
        matrix.data,
        coders=matrix.coders,
        categories=matrix.categories,
        level=matrix.level,
        values=matrix.values,
        resamples=settings.AGREEMENT_BOOTSTRAP_RESAMPLES if resamples is None else resamples,
        seed=0,
    )


def sentence_rows(matrix: LabelMatrix) -> list[dict]:
    """Per sentence of a document: how contested it is, and each reviewer's label."""
    sentences = {
        pk: (index, text)
        for pk, index, text in Sentence.objects.filter(pk__in=matrix.sentence_ids.tolist()).values_list(
            "pk", "index", "text"
        )
    }
    stats = agreement.sentence_disagreement(matrix.data, categories=matrix.categories)
    rows = []
    for sentence_id, row, labels in zip(matrix.sentence_ids.tolist(), stats, matrix.data.tolist(), strict=True):
        by_reviewer = {
            coder: matrix.categories[label] for coder, label in zip(matrix.coders, labels, strict=True) if label >= 0
        }
        rows.append(
            {"sentence": sentence_id, "index": sentences[sentence_id][0], "text": sentences[sentence_id][1], **row}
            | {"annotations": by_reviewer}
        )
    return rows


def calibration_figures(project) -> dict | None:
    """The figures of the calibration set alone (every reviewer labels the same articles), or None without one."""
    if not Document.objects.filter(project=project, calibration=True).exists():
        return None
    return compute_figures(read_labels(project, calibration=True))


def _latest_event(report: AgreementReport) -> datetime.datetime | None:
    events = AnnotationEvent.objects.filter(project_id=report.project_id)
    if report.document_id:
        events = events.filter(sentence__document_id=report.document_id)
    return events.aggregate(latest=Max("at"))["latest"]


def build_result(report: AgreementReport) -> tuple[dict, int, datetime.datetime | None]:
    """Compute a report's figures; return them with the annotation count and the latest change."""
    matrix = read_labels(report.project, report.document)
    result = compute_figures(matrix)
    if report.document_id:
        result["sentences"] = sentence_rows(matrix)
    else:
        result["calibration"] = calibration_figures(report.project)
    changes = [moment for moment in (matrix.latest_update, _latest_event(report)) if moment is not None]
    return result, matrix.annotation_count, max(changes) if changes else None
