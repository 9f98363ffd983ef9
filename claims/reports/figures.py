"""Computing a report's figures from its label matrix: the statistics and, for a document, its sentence rows."""

import datetime

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max

from annotator.models import Annotation, AnnotationEvent, Document, Label, Sentence
from claims import agreement, gold, kappas, pace
from claims.models import AgreementReport
from curation.models import Decision, DecisionEvent, Provenance
from lede import version
from machine.reports import assistance_section

from . import competence, tallying
from .matrix import LabelMatrix, positions, read_labels


def compute_figures(matrix: LabelMatrix, *, resamples: int | None = None, by_article: bool = False) -> dict:
    """The agreement figures of `matrix` as stored in `AgreementReport.result` (JSON-safe).

    `by_article`: the matrix holds several articles' sentences, so alpha's interval resamples
    articles (a project, its calibration set); one article's report resamples its sentences.
    """
    articles = None
    if by_article:
        document_of = dict(
            Sentence.objects.filter(pk__in=matrix.sentence_ids.tolist()).values_list("pk", "document_id")
        )
        articles = np.array([document_of[pk] for pk in matrix.sentence_ids.tolist()], np.int64)
    return agreement.compute_agreement(
        matrix.data,
        coders=matrix.coders,
        categories=matrix.categories,
        level=matrix.level,
        values=matrix.values,
        resamples=settings.AGREEMENT_BOOTSTRAP_RESAMPLES if resamples is None else resamples,
        seed=0,
        articles=articles,
        alpha_min=matrix.alpha_min,
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
    return compute_figures(read_labels(project, calibration=True), by_article=True)


def gold_labels(project, matrix: LabelMatrix) -> np.ndarray:
    """The decided category of each unit of `matrix`, -1 where it has none or it is unresolved.

    The matrix already leaves training articles out, so their decisions are never compared.
    """
    decided = np.full(len(matrix.sentence_ids), -1, dtype=np.int64)
    rows = list(
        Decision.objects.filter(project=project, sentence__document__training=False)
        .exclude(provenance=Provenance.UNRESOLVED)
        .values_list("sentence_id", "label_id")
    )
    if not rows or not len(matrix.sentence_ids):
        return decided
    sentence_ids = np.array([sentence for sentence, _ in rows], np.int64)
    label_ids = np.array([label for _, label in rows], np.int64)
    labelled = np.isin(sentence_ids, matrix.sentence_ids)
    label_pks = np.array(Label.objects.filter(project=project).order_by("order", "id").values_list("pk", flat=True))
    decided[positions(sentence_ids[labelled], matrix.sentence_ids)] = positions(label_ids[labelled], label_pks)
    return decided


def gold_figures(project, matrix: LabelMatrix) -> dict:
    """Each reviewer of the project's matrix against the decided labels (`claims.gold`)."""
    k = len(matrix.categories)
    values = matrix.values if matrix.values is not None else list(range(k))
    weights = kappas.weights_for(matrix.level, k, values).matrix
    result = gold.quality_against_gold(
        matrix.data, gold_labels(project, matrix), coders=matrix.coders, categories=matrix.categories, weights=weights
    )
    ids = dict(get_user_model().objects.filter(username__in=matrix.coders).values_list("username", "pk"))
    coders = [ids[name] for name in matrix.coders]
    return result | tallying.independent_gold(project, coders, tallying.label_keys(project), weights, result)


def _latest_event(report: AgreementReport) -> datetime.datetime | None:
    events = AnnotationEvent.objects.filter(project_id=report.project_id)
    decisions = DecisionEvent.objects.filter(project_id=report.project_id)
    if report.document_id:
        events = events.filter(sentence__document_id=report.document_id)
        decisions = decisions.none()
    moments = [events.aggregate(latest=Max("at"))["latest"], decisions.aggregate(latest=Max("at"))["latest"]]
    return max((moment for moment in moments if moment is not None), default=None)


def computed_with() -> dict:
    """What computed a report's figures, for the methods section that cites them."""
    return {"lede": version.described(), "numpy": np.__version__}


def pace_figures(project) -> list[dict]:
    """Each reviewer's active seconds a sentence (`claims.pace`), from the labels the annotation screen timed,
    in the order they were first saved; training articles are left out, as from every figure."""
    timed = (
        Annotation.objects.filter(sentence__document__project=project, sentence__document__training=False)
        .exclude(seconds=None)
        .order_by("created", "pk")
        .values_list("annotator__username", "seconds")
    )
    seconds: dict[str, list[float]] = {}
    for reviewer, value in timed.iterator(chunk_size=2000):
        seconds.setdefault(reviewer, []).append(value)
    return pace.reviewer_pace(seconds)


def add_project_figures(project, result: dict) -> None:
    """What only a project's report has beyond the labels' coefficients, whichever way those were computed:
    the suggestions' effect, the reviewers' pace and their competence."""
    result["assistance"] = assistance_section(project)
    result["pace"] = pace_figures(project)
    competence.add_competence(project, result)


def build_result(report: AgreementReport) -> tuple[dict, int, datetime.datetime | None]:
    """Compute a report's figures; return them with the annotation count and the latest change.

    The project's report sums its documents' tallies (`tallying`), reading only the documents
    changed since; where they cannot give the figures it reads every label.
    """
    if report.document_id is None:
        try:
            result, count, latest = tallying.project_result(report, settings.AGREEMENT_BOOTSTRAP_RESAMPLES)
        except tallying.CannotSum:
            pass
        else:
            add_project_figures(report.project, result)
            changes = [moment for moment in (latest, _latest_event(report)) if moment is not None]
            return result | {"computed_with": computed_with()}, count, max(changes) if changes else None
    matrix = read_labels(report.project, report.document)
    result = compute_figures(matrix, by_article=report.document_id is None)
    if report.document_id:
        result["sentences"] = sentence_rows(matrix)
    else:
        result["calibration"] = calibration_figures(report.project)
        result["gold"] = gold_figures(report.project, matrix)
        add_project_figures(report.project, result)
    changes = [moment for moment in (matrix.latest_update, _latest_event(report)) if moment is not None]
    return result | {"computed_with": computed_with()}, matrix.annotation_count, max(changes) if changes else None
