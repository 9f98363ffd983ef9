"""Coverage analyses: reading a project's labels, sources, speakers and articles' groups for `claims.analysis`,
running one, and the stored analysis a reader asks for.

A basis is one function each (`BASES`): `labels` and `plurality` compute from reviewers' labels;
`gold` (adjudicated decisions) is not available until the project has decisions, and asking for
it is a 400 naming `basis`.
"""

import datetime

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils import timezone

from annotator.errors import InvalidInput
from annotator.models import Annotation, AnnotationEvent, Document, Label, Outlet, Project, Sentence, Source
from annotator.services import web_domain
from claims import analysis
from claims.models import AnalysisReport

from .matrix import positions, read_label_rows
from .running import compute_report, mark_failed
from .schedule import ANALYSIS, queue_recomputation

Basis, Grouping = AnalysisReport.Basis, AnalysisReport.Grouping
NO_GROUP = ""  # articles without an outlet, a rated outlet, a topic or a date


def _labels_units(labels: analysis.Labels, categories: int) -> analysis.Units:
    return analysis.labels_basis(labels)


BASES = {Basis.PLURALITY: analysis.plurality_basis, Basis.LABELS: _labels_units}


def check_basis(basis: str) -> None:
    if basis not in BASES:
        raise InvalidInput(
            "basis",
            f"The '{basis}' basis is not available: this project has no adjudicated decisions yet. "
            f"Use {' or '.join(BASES)}.",
        )


def _groups(project: Project, by: str, documents: list[dict], labelled: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(name, article indices) of each group, in display order; only articles with labels take part."""
    members: dict[str, list[int]] = {}
    leanings = {}
    if by == Grouping.LEANING:
        leanings = dict(Outlet.objects.filter(project=project).values_list(Lower("name"), "leaning"))
    for index, document in enumerate(documents):
        if not labelled[index]:
            continue
        if by == Grouping.OUTLET:
            names = [document["outlet"]]
        elif by == Grouping.LEANING:
            names = [leanings.get(document["outlet"].lower(), NO_GROUP)]
        elif by == Grouping.TOPIC:
            names = document["topics"] or [NO_GROUP]
        else:
            names = [document["published"].strftime("%Y-%m") if document["published"] else NO_GROUP]
        for name in names:
            members.setdefault(name, []).append(index)
    order = list(project.leanings) if by == Grouping.LEANING else sorted(members)
    order = [name for name in order if name != NO_GROUP and name in members]
    order += sorted(set(members) - set(order) - {NO_GROUP}) + ([NO_GROUP] if NO_GROUP in members else [])
    return [(name, np.array(members[name], np.int64)) for name in order]


def read_inputs(project: Project):
    """The labels, sentences and articles of the project as `claims.analysis` takes them."""
    documents = list(
        Document.objects.filter(project=project).order_by("pk").values("pk", "outlet", "topics", "published")
    )
    document_ids = np.array([document["pk"] for document in documents], np.int64)
    rows = list(Sentence.objects.filter(document__project=project).values_list("pk", "document_id", "index"))
    sentence_ids, sentence_documents, sentence_index = (
        np.array(column, np.int64) for column in (zip(*rows, strict=True) if rows else ([], [], []))
    )
    article = positions(sentence_documents, document_ids) if len(rows) else np.zeros(0, np.int64)
    lengths = np.bincount(article, minlength=len(documents))
    sentences = analysis.Sentences(article=article, third=analysis.third_of(sentence_index, lengths[article]))

    label_sentences, annotators, label_ids, latest = read_label_rows(project)
    scheme = list(Label.objects.filter(project=project).order_by("order", "id").values_list("pk", "name"))
    row_of = positions(label_sentences, sentence_ids) if len(label_sentences) else np.zeros(0, np.int64)
    keys = label_sentences * (int(annotators.max(initial=0)) + 1) + annotators

    def label_rows(pairs) -> np.ndarray:
        pairs = np.array(pairs, np.int64).reshape(-1, 2)
        return positions(pairs[:, 0] * (int(annotators.max(initial=0)) + 1) + pairs[:, 1], keys)

    annotations = Source.objects.filter(annotation__sentence__document__project=project)
    cited = list(annotations.values_list("annotation__sentence_id", "annotation__annotator_id", "url"))
    sources = np.zeros(len(keys), np.int64)
    cited_rows = label_rows([(s, a) for s, a, _ in cited])
    np.add.at(sources, cited_rows, 1)
    domains, cited_domain = np.unique([web_domain(url) for _, _, url in cited] or [""], return_inverse=True)
    pairs = np.unique(np.stack([cited_rows, cited_domain[: len(cited)]]), axis=1)

    speakers_given = list(
        Annotation.objects.filter(sentence__document__project=project)
        .exclude(speaker="")
        .values_list("sentence_id", "annotator_id", "speaker")
    )
    speaker_names, speaker_index = np.unique([name for _, _, name in speakers_given] or [""], return_inverse=True)
    speaker = np.full(len(keys), -1, np.int64)
    speaker[label_rows([(s, a) for s, a, _ in speakers_given])] = speaker_index[: len(speakers_given)]

    labels = analysis.Labels(
        sentence=row_of,
        label=positions(label_ids, np.array([pk for pk, _ in scheme], np.int64)) if len(label_ids) else row_of,
        sources=sources,
        speaker=speaker,
        cited_label=pairs[0],
        cited_domain=pairs[1],
    )
    names = analysis.Scheme(
        categories=[name for _, name in scheme], speakers=speaker_names.tolist(), domains=domains.tolist()
    )
    return documents, sentences, labels, names, latest


def analyse_project(project: Project, *, by: str, basis: str, resamples: int | None = None) -> tuple[dict, int, float]:
    """The analysis result of `project` (JSON-safe), the number of labels, the latest label update."""
    check_basis(basis)
    documents, sentences, labels, scheme, latest = read_inputs(project)
    units = BASES[basis](labels, len(scheme.categories))
    labelled = np.zeros(len(documents), bool)
    labelled[sentences.article[units.sentence]] = True
    groups = _groups(project, by, documents, labelled)
    resamples = settings.AGREEMENT_BOOTSTRAP_RESAMPLES if resamples is None else resamples
    figures = analysis.analyse(units, sentences, groups, scheme, resamples=resamples, seed=0)
    result = {
        "by": by,
        "basis": basis,
        "labels": scheme.categories,
        "resamples": resamples,
        "n": {
            "articles": int(labelled.sum()),
            "sentences": int(np.unique(units.sentence).size),
            "labels": len(labels.sentence),
        },
        **figures,
    }
    return result, len(labels.sentence), latest


def build_analysis(report: AnalysisReport) -> tuple[dict, int, datetime.datetime | None]:
    result, count, latest = analyse_project(report.project, by=report.by, basis=report.basis)
    event = AnnotationEvent.objects.filter(project_id=report.project_id).aggregate(latest=Max("at"))["latest"]
    changes = [moment for moment in (event,) if moment is not None]
    if latest is not None:
        changes.append(datetime.datetime.fromtimestamp(latest, tz=datetime.UTC))
    return result, count, max(changes) if changes else None


def compute_analysis(report_id: int, *, requested_at: datetime.datetime | None = None):
    return compute_report(report_id, requested_at=requested_at, kind=ANALYSIS, build=build_analysis)


def mark_analysis_failed(report_id: int, error: BaseException) -> None:
    mark_failed(report_id, error, kind=ANALYSIS)


def stored_analysis(project: Project, *, by: str, basis: str) -> AnalysisReport:
    """The stored analysis; the first reader of one that never ran asks for its computation."""
    check_basis(basis)
    report, created = AnalysisReport.objects.get_or_create(project=project, by=by, basis=basis)
    if created or report.requested_at is None:
        now = timezone.now()
        AnalysisReport.objects.filter(pk=report.pk).update(requested_at=now)
        transaction.on_commit(lambda: queue_recomputation([report.pk], now, kind=ANALYSIS))
        report.refresh_from_db()
    report.project = project
    return report
