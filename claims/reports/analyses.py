"""Coverage analyses: reading a project's labels or decisions, sources, speakers and articles' groups for
`claims.analysis`, running one, and the stored analysis a reader asks for.

A basis reads its own rows: `labels` and `plurality` every reviewer's label, `gold` the curators'
decisions (decided labels only: an unresolved sentence is left out, and the speaker and sources are
the decision's own), `combined` both (the decision where there is one, the plurality elsewhere). A
reader who names no basis gets `combined`, whether or not anything is decided yet, so the figures
never jump from one basis to another as the first decision is made; asking for gold before any
decision is a 400 naming `basis`.
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
from curation.models import Decision, DecisionEvent, DecisionSource

from .matrix import positions, read_label_rows
from .running import compute_report, mark_failed
from .schedule import ANALYSIS, queue_recomputation

Basis, Grouping = AnalysisReport.Basis, AnalysisReport.Grouping
NO_GROUP = ""  # articles without an outlet, a rated outlet, a topic or a date


def _decided(project: Project):
    """The project's decisions with a decided label, on articles that are not training."""
    return Decision.objects.filter(project=project, label__isnull=False, sentence__document__training=False)


def default_basis(project: Project) -> str:
    return Basis.COMBINED


def check_basis(project: Project, basis: str | None) -> str:
    """The basis a reader asked for, or the default one; gold without a decided label is a 400 naming `basis`."""
    if not basis:
        return default_basis(project)
    if basis == Basis.GOLD and not _decided(project).exists():
        raise InvalidInput(
            "basis",
            "The 'gold' basis is not available: this project has no decided labels yet. Use plurality or labels.",
        )
    return basis


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


def _read_articles(project: Project):
    """The project's articles (dicts), each sentence's id, and its article and third as `analysis.Sentences`."""
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
    return documents, sentence_ids, sentences


def _indexed(names: list[str]) -> tuple[list[str], np.ndarray]:
    """The distinct names, sorted, and the index of each of `names` among them."""
    distinct, index = np.unique(names or [""], return_inverse=True)
    return distinct.tolist(), index[: len(names)].astype(np.int64)


def _labels(sentence, label, speakers, cited) -> tuple[analysis.Labels, list[str], list[str]]:
    """`analysis.Labels` of label rows with their speaker and cited domains, from (row, speaker) and (row, url)
    pairs, with the speaker names and domains the indices refer to."""
    count = len(sentence)
    speaker_names, speaker_index = _indexed([name for _, name in speakers])
    speaker = np.full(count, -1, np.int64)
    speaker[np.array([row for row, _ in speakers], np.int64)] = speaker_index
    cited_rows = np.array([row for row, _ in cited], np.int64)
    domain_of = {url: web_domain(url) for url in {url for _, url in cited}}  # many claims cite one address
    domains, cited_domain = _indexed([domain_of[url] for _, url in cited])
    pairs = np.unique(np.stack([cited_rows, cited_domain]), axis=1)
    labels = analysis.Labels(
        sentence=sentence,
        label=label,
        sources=np.bincount(cited_rows, minlength=count).astype(np.int64),
        speaker=speaker,
        cited_label=pairs[0],
        cited_domain=pairs[1],
    )
    return labels, speaker_names, domains


def _read_labels(project: Project, sentence_ids: np.ndarray, label_pks: np.ndarray):
    """Every reviewer's label as `analysis.Labels`, the speaker names and source domains, the latest change."""
    label_sentences, annotators, label_ids, latest = read_label_rows(project)
    keys = label_sentences * (int(annotators.max(initial=0)) + 1) + annotators

    def label_rows(pairs) -> np.ndarray:
        pairs = np.array(pairs, np.int64).reshape(-1, 2)
        return positions(pairs[:, 0] * (int(annotators.max(initial=0)) + 1) + pairs[:, 1], keys)

    # As the labels (`read_label_rows`), their sources and speakers leave out training articles (practice).
    in_project = Source.objects.filter(
        annotation__sentence__document__project=project, annotation__sentence__document__training=False
    )
    cited = list(in_project.values_list("annotation__sentence_id", "annotation__annotator_id", "url"))
    speakers_given = list(
        Annotation.objects.filter(sentence__document__project=project, sentence__document__training=False)
        .exclude(speaker="")
        .values_list("sentence_id", "annotator_id", "speaker")
    )
    cited_rows = label_rows([(s, a) for s, a, _ in cited]).tolist()
    speaker_rows = label_rows([(s, a) for s, a, _ in speakers_given]).tolist()
    empty = np.zeros(0, np.int64)
    labels, speakers, domains = _labels(
        positions(label_sentences, sentence_ids) if len(keys) else empty,
        positions(label_ids, label_pks) if len(keys) else empty,
        list(zip(speaker_rows, [name for _, _, name in speakers_given], strict=True)),
        list(zip(cited_rows, [url for _, _, url in cited], strict=True)),
    )
    event = AnnotationEvent.objects.filter(project=project).aggregate(latest=Max("at"))["latest"]
    changes = [moment for moment in (event and event.timestamp(), latest) if moment is not None]
    return labels, speakers, domains, max(changes) if changes else None


def _read_gold(project: Project, sentence_ids: np.ndarray, label_pks: np.ndarray):
    """Every decided label (one row per sentence) as `analysis.Labels`, speakers, domains, the latest change."""
    decided = list(_decided(project).order_by("pk").values_list("pk", "sentence_id", "label_id", "speaker"))
    row_of = {pk: row for row, (pk, _, _, _) in enumerate(decided)}
    cited = DecisionSource.objects.filter(decision__in=_decided(project)).values_list("decision_id", "url")
    sentences = np.array([sentence for _, sentence, _, _ in decided], np.int64)
    labels, speakers, domains = _labels(
        positions(sentences, sentence_ids) if decided else np.zeros(0, np.int64),
        positions(np.array([label for _, _, label, _ in decided], np.int64), label_pks),
        [(row, speaker) for row, (_, _, _, speaker) in enumerate(decided) if speaker],
        [(row_of[decision], url) for decision, url in cited],
    )
    changes = [
        moment
        for moment in (
            Decision.objects.filter(project=project).aggregate(latest=Max("decided_at"))["latest"],
            DecisionEvent.objects.filter(project=project).aggregate(latest=Max("at"))["latest"],
        )
        if moment is not None
    ]
    return labels, speakers, domains, max(changes).timestamp() if changes else None


def _merged(names: list[list[str]]) -> tuple[list[str], list[np.ndarray]]:
    """One sorted list of several lists of names, and for each list where its names went."""
    merged = sorted({name for group in names for name in group})
    place = {name: index for index, name in enumerate(merged)}
    return merged, [np.array([place[name] for name in group], np.int64) for group in names]


def _renamed(units: analysis.Units, speakers: np.ndarray, domains: np.ndarray) -> analysis.Units:
    speaker = np.where(units.speaker >= 0, speakers[np.maximum(units.speaker, 0)] if len(speakers) else -1, -1)
    return analysis.Units(
        units.sentence, units.label, units.weight, units.sources, speaker, units.cited_unit, domains[units.cited_domain]
    )


def _combined_units(project: Project, sentence_ids: np.ndarray, label_pks: np.ndarray, categories: int):
    """Decided sentences as gold, the others by plurality (`analysis.gold_or_plurality_basis`), with the
    speaker names and domains of both merged; the mix; the decisions and labels counted; the latest change."""
    gold, gold_speakers, gold_domains, gold_latest = _read_gold(project, sentence_ids, label_pks)
    labels, label_speakers, label_domains, label_latest = _read_labels(project, sentence_ids, label_pks)
    speakers, (from_gold, from_labels) = _merged([gold_speakers, label_speakers])
    domains, (domains_gold, domains_labels) = _merged([gold_domains, label_domains])
    units, mix = analysis.gold_or_plurality_basis(
        _renamed(analysis.labels_basis(gold), from_gold, domains_gold),
        _renamed(analysis.plurality_basis(labels, categories), from_labels, domains_labels),
    )
    latest = max((moment for moment in (gold_latest, label_latest) if moment is not None), default=None)
    counted = {"decisions": len(gold.sentence), "labels": len(labels.sentence)}
    return units, mix, speakers, domains, counted, latest


def analyse_project(project: Project, *, by: str, basis: str, resamples: int | None = None) -> tuple[dict, int, float]:
    """The analysis result of `project` (JSON-safe), the number of labels or decisions, the latest change."""
    documents, sentence_ids, sentences = _read_articles(project)
    scheme = list(Label.objects.filter(project=project).order_by("order", "id").values_list("pk", "name"))
    label_pks = np.array([pk for pk, _ in scheme], np.int64)
    mix = None
    if basis == Basis.COMBINED:
        units, mix, speakers, domains, counts, latest = _combined_units(project, sentence_ids, label_pks, len(scheme))
    else:
        read = _read_gold if basis == Basis.GOLD else _read_labels
        labels, speakers, domains, latest = read(project, sentence_ids, label_pks)
        counts = {"decisions" if basis == Basis.GOLD else "labels": len(labels.sentence)}
        if basis == Basis.PLURALITY:
            units = analysis.plurality_basis(labels, len(scheme))
        else:
            units = analysis.labels_basis(labels)
    names = analysis.Scheme(categories=[name for _, name in scheme], speakers=speakers, domains=domains)
    labelled = np.zeros(len(documents), bool)
    labelled[sentences.article[units.sentence]] = True
    groups = _groups(project, by, documents, labelled)
    resamples = settings.AGREEMENT_BOOTSTRAP_RESAMPLES if resamples is None else resamples
    figures = analysis.analyse(units, sentences, groups, names, resamples=resamples, seed=0)
    result = {
        "by": by,
        "basis": basis,
        "basis_name": Basis(basis).label,
        "labels": names.categories,
        "resamples": resamples,
        "n": {"articles": int(labelled.sum()), "sentences": int(np.unique(units.sentence).size), **counts},
        **({"mix": mix} if mix is not None else {}),
        **figures,
    }
    return result, sum(counts.values()), latest


def build_analysis(report: AnalysisReport) -> tuple[dict, int, datetime.datetime | None]:
    result, count, latest = analyse_project(report.project, by=report.by, basis=report.basis)
    return result, count, datetime.datetime.fromtimestamp(latest, tz=datetime.UTC) if latest is not None else None


def compute_analysis(report_id: int, *, requested_at: datetime.datetime | None = None):
    return compute_report(report_id, requested_at=requested_at, kind=ANALYSIS, build=build_analysis)


def mark_analysis_failed(report_id: int, error: BaseException) -> None:
    mark_failed(report_id, error, kind=ANALYSIS)


def stored_analysis(project: Project, *, by: str, basis: str | None = None) -> AnalysisReport:
    """The stored analysis on `basis` (by default gold once decisions exist, else plurality); the first reader of
    one that never ran asks for its computation."""
    basis = check_basis(project, basis)
    report, created = AnalysisReport.objects.get_or_create(project=project, by=by, basis=basis)
    if created or report.requested_at is None:
        now = timezone.now()
        AnalysisReport.objects.filter(pk=report.pk).update(requested_at=now)
        transaction.on_commit(lambda: queue_recomputation([report.pk], now, kind=ANALYSIS))
        report.refresh_from_db()
    report.project = project
    return report
