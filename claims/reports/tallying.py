"""The project's report from per-document label tallies: only the documents changed since their tallies are read.

Every figure of the project report is a function of integer tallies that add up over documents
(`claims.tallies`), so a run reads the labels of the documents whose tallies are missing or
older than their last change, stores those documents' tallies (`DocumentTallies`), and sums
every document's stored tallies. The figures are those of reading every label, exactly
(`tests/claims/test_tallying.py` compares both after random edits). The bootstrap interval is
among them: its resamples are drawn per count pattern, so it depends on the labels only through
the pattern table, which is summed like the rest.

A document's tallies are current when they were read after its report's last request
(`tallied_at >= requested_at`; every label change asks for the document's report, creating its
row if need be), the rule by which `running.is_current` judges a report. Labels are read in
chunks of documents, so memory stays flat however many labels a project has.
"""

import datetime

import numpy as np
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from annotator.models import Annotation, Document, Label
from claims import agreement, article_intervals, gold, kappas, sql, tallies
from claims.models import AgreementReport, DocumentTallies
from curation.models import Decision, Provenance

from .matrix import positions

# Documents read, or whose stored tallies are summed, per round trip.
CHUNK_DOCUMENTS = 200


class CannotSum(Exception):
    """The stored tallies cannot give the figures (the scheme changed during the run, a reviewer is gone)."""


def _label_rows(document_ids: list[int]) -> tuple[np.ndarray, ...]:
    """(document, sentence, annotator, label, updated) of every label of `document_ids`, updated in POSIX seconds."""
    columns = ("document", "sentence", "annotator", "label", "updated")
    found = sql.copy_columns(sql.DOCUMENTS_LABELS, {"documents": document_ids}, columns)
    return (*(found[name] for name in columns[:-1]), sql.posix_seconds(found["updated"]))


def _document_arrays(sentences, annotators, labels, label_pks):
    """One document's labels as a (labelled units, coders) array in sentence order, with its unit and coder ids."""
    unit_ids, rows = np.unique(sentences, return_inverse=True)
    coder_ids, columns = np.unique(annotators, return_inverse=True)
    data = np.full((len(unit_ids), len(coder_ids)), -1, dtype=np.int16)
    data[rows, columns] = positions(labels, label_pks)
    return data, unit_ids, coder_ids


def _by_document(document_ids: list[int]):
    """Yield (document id, sentences, annotators, labels, updated) per document, reading CHUNK_DOCUMENTS at a time."""
    for start in range(0, len(document_ids), CHUNK_DOCUMENTS):
        chunk = document_ids[start : start + CHUNK_DOCUMENTS]
        documents, *columns = _label_rows(chunk)
        order = np.argsort(documents, kind="stable")
        documents, columns = documents[order], [column[order] for column in columns]
        firsts, lasts = np.searchsorted(documents, chunk, side="left"), np.searchsorted(documents, chunk, side="right")
        for document_id, first, last in zip(chunk, firsts, lasts, strict=True):
            yield document_id, *(column[first:last] for column in columns)


def read_tallies(document_ids: list[int], label_pks: np.ndarray):
    """Yield (document id, fresh tallies as stored in `DocumentTallies.tallies`) for each of `document_ids`."""
    for document_id, sentences, annotators, labels, updated in _by_document(document_ids):
        data, unit_ids, coder_ids = _document_arrays(sentences, annotators, labels, label_pks)
        summary = tallies.summarize(data, len(label_pks), coders=coder_ids.tolist())
        yield (
            document_id,
            {
                "annotations": len(sentences),
                "latest": float(updated.max()) if len(updated) else None,
                "units": len(unit_ids),
                **summary.to_json(),
            },
        )


def _scheme(label_pks: np.ndarray) -> str:
    return ",".join(str(pk) for pk in label_pks.tolist())


def refresh_tallies(project, label_pks: np.ndarray) -> int:
    """Read and store the tallies of every document of `project` whose stored tallies are missing or stale.

    Stale: counted under another label scheme, or the document's report was asked for again
    after they were read (every label change asks, `schedule.request_recomputation`). A save
    that finds the document's report waiting for its run leaves the request as it is
    (`schedule.mark_stale`), so tallies read while it waits are dated just before its request:
    they serve this run and are read again by the next, until the document's report has run. Return
    how many documents were read. Each chunk's tallies carry the moment before their labels were
    read, so a label saved meanwhile leaves them stale for the next run.
    """
    scheme = _scheme(label_pks)
    asked_again = AgreementReport.objects.filter(document=OuterRef("document"), requested_at__gt=OuterRef("tallied_at"))
    current = DocumentTallies.objects.filter(document=OuterRef("pk"), scheme=scheme).exclude(Exists(asked_again))
    stale = list(
        Document.objects.filter(project=project).exclude(Exists(current)).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(stale), CHUNK_DOCUMENTS):
        chunk = stale[start : start + CHUNK_DOCUMENTS]
        waiting = dict(
            AgreementReport.objects.filter(
                document_id__in=chunk, status=Status.PENDING, requested_at__isnull=False
            ).values_list("document_id", "requested_at")
        )
        moment = timezone.now()
        DocumentTallies.objects.bulk_create(
            [
                DocumentTallies(
                    document_id=document_id,
                    scheme=scheme,
                    tallies=found,
                    tallied_at=waiting[document_id] - _BEFORE if document_id in waiting else moment,
                )
                for document_id, found in read_tallies(chunk, label_pks)
            ],
            update_conflicts=True,
            unique_fields=["document"],
            update_fields=["scheme", "tallies", "tallied_at"],
        )
    return len(stale)


_BEFORE = datetime.timedelta(microseconds=1)
Status = AgreementReport.Status


class _Scope:
    """The stored tallies of one set of documents (every study document, or the calibration set), summed."""

    def __init__(self, n_categories: int):
        self.n_categories = n_categories
        self.summary = tallies.merge([], n_categories)
        self.waiting: list[dict] = []
        # (document id, its contribution to the coincidence matrix): alpha's interval resamples documents,
        # in the order of their ids as `figures.compute_figures` does, so both paths draw the same resamples.
        self.coincidences: list[tuple[int, np.ndarray]] = []

    def add(self, document_id: int, stored: dict) -> None:
        if stored["units"]:
            self.waiting.append(stored)
            patterns = np.array(stored["patterns"], np.int64).reshape(-1, self.n_categories)
            found = article_intervals.article_coincidences(patterns, np.array(stored["frequency"]))
            self.coincidences.append((document_id, found))
        if len(self.waiting) >= CHUNK_DOCUMENTS:
            self.flush()

    def flush(self) -> None:
        if self.waiting:
            chunk = tallies.sum_stored(self.waiting, self.n_categories)
            self.summary = tallies.merge([self.summary, chunk], self.n_categories)
            self.waiting = []

    def figures(self, label_pks: np.ndarray, names: dict, project, resamples: int) -> tuple[dict, list]:
        """The agreement figures of these documents, and the coders' keys in the order of their names."""
        self.flush()
        order = sorted(self.summary.coders, key=lambda key: names[key])
        result = agreement.agreement_from_tallies(
            self.summary.reordered(order),
            coders=[names[key] for key in order],
            categories=list(
                Label.objects.filter(project=project).order_by("order", "id").values_list("name", flat=True)
            ),
            level=project.scale,
            values=_values(project),
            resamples=resamples,
            seed=0,
            articles=np.array([found for _, found in sorted(self.coincidences, key=lambda entry: entry[0])]).reshape(
                -1, self.n_categories, self.n_categories
            ),
            alpha_min=project.alpha_min,
        )
        return result, order


def label_keys(project) -> np.ndarray:
    """The ids of the project's labels in the scheme's order: category k of the tallies is the k-th."""
    return np.array(
        Label.objects.filter(project=project).order_by("order", "id").values_list("pk", flat=True), np.int64
    )


def _values(project) -> list | None:
    if project.scale != "interval":
        return None
    return list(Label.objects.filter(project=project).order_by("order", "id").values_list("value", flat=True))


def _gold(project, coders: list, names: dict, label_pks: np.ndarray) -> dict:
    """Each reviewer against the decisions, counted by the database over the decided sentences only."""
    k = len(label_pks)
    decisions = Decision.objects.filter(project=project, sentence__document__training=False).exclude(
        provenance=Provenance.UNRESOLVED
    )
    decided = decisions.filter(Exists(Annotation.objects.filter(sentence_id=OuterRef("sentence_id")))).count()
    confusions = np.zeros((len(coders), k, k), np.int64)
    position = {key: index for index, key in enumerate(coders)}
    counted = (
        Annotation.objects.filter(sentence__decision__in=decisions)
        .values("annotator_id", "label_id", "sentence__decision__label_id")
        .annotate(n=Count("pk"))
        .values_list("annotator_id", "label_id", "sentence__decision__label_id", "n")
    )
    for annotator, label, decision, n in counted:
        given, decided_as = positions(np.array([label, decision]), label_pks)
        confusions[position[annotator], given, decided_as] += n
    values = _values(project)
    weights = kappas.weights_for(project.scale, k, values if values is not None else list(range(k))).matrix
    result = gold.quality_from_confusions(
        confusions, decided, coders=[names[key] for key in coders], categories=_categories(project), weights=weights
    )
    return result | independent_gold(project, coders, label_pks, weights, result)


def independent_gold(project, coders: list, label_pks: np.ndarray, weights, result: dict) -> dict:
    """What `result` (the reviewers against the decisions) gains: each reviewer's `independent` figures against
    the decisions they did not determine (`gold.independent_confusions`), and `decision_types`, how many
    decisions of each provenance there are. `coders` are user ids in the order of `result["reviewers"]`."""
    decided = list(
        Decision.objects.filter(project=project, sentence__document__training=False)
        .exclude(provenance=Provenance.UNRESOLVED)
        .values_list("sentence_id", "label_id", "provenance", "decided_by_id")
    )
    types = {kind: 0 for kind in (Provenance.UNANIMOUS, Provenance.MAJORITY, Provenance.ADJUDICATED, Provenance.MODEL)}
    for _, _, provenance, _ in decided:
        types[provenance] += 1
    position = {key: index for index, key in enumerate(coders)}
    k = len(label_pks)
    label_rows = list(
        Annotation.objects.filter(
            sentence__decision__project=project, sentence__document__training=False, annotator_id__in=coders
        )
        .exclude(sentence__decision__provenance=Provenance.UNRESOLVED)
        .values_list("sentence_id", "annotator_id", "label_id")
    )
    place = {sentence: index for index, (sentence, _, _, _) in enumerate(decided)}
    decision_category = positions(np.array([label for _, label, _, _ in decided], np.int64), label_pks)
    adjudicated_by = np.array(
        [
            -1 if provenance != Provenance.ADJUDICATED else position.get(curator, len(coders))
            for _, _, provenance, curator in decided
        ],
        np.int64,
    )
    confusions, kinds = gold.independent_confusions(
        np.array([place[sentence] for sentence, _, _ in label_rows], np.int64),
        np.array([position[annotator] for _, annotator, _ in label_rows], np.int64),
        positions(np.array([label for _, _, label in label_rows], np.int64), label_pks),
        decision_category,
        adjudicated_by,
        n_coders=len(coders),
        n_categories=k,
    )
    reviewers = [
        entry | {"independent": gold.independent_figures(confusion, kind, weights)}
        for entry, confusion, kind in zip(result["reviewers"], confusions, kinds, strict=True)
    ]
    return {"reviewers": reviewers, "decision_types": {str(kind): n for kind, n in types.items()}}


def _categories(project) -> list[str]:
    return list(Label.objects.filter(project=project).order_by("order", "id").values_list("name", flat=True))


def project_result(report: AgreementReport, resamples: int) -> tuple[dict, int, datetime.datetime | None]:
    """The project report's figures from its documents' tallies (reading the stale ones first), the number
    of labels and the latest label update; CannotSum where the tallies cannot give them."""
    project = report.project
    label_pks = label_keys(project)
    refresh_tallies(project, label_pks)
    k = len(label_pks)
    study, calibration = _Scope(k), _Scope(k)
    has_calibration = Document.objects.filter(project=project, calibration=True).exists()
    annotations, latest = 0, None
    stored = (
        DocumentTallies.objects.filter(document__project=project, document__training=False)
        .values_list("document_id", "document__calibration", "scheme", "tallies")
        .iterator(chunk_size=CHUNK_DOCUMENTS)
    )
    scheme = _scheme(label_pks)
    for document_id, in_calibration, counted_under, found in stored:
        if counted_under != scheme:
            raise CannotSum("the label scheme changed while the report ran")
        study.add(document_id, found)
        if in_calibration:
            calibration.add(document_id, found)
        annotations += found["annotations"]
        if found["latest"] is not None:
            latest = max(latest or found["latest"], found["latest"])
    study.flush()
    users = get_user_model().objects.filter(pk__in=list(study.summary.coders))
    names = dict(users.values_list("pk", "username"))
    if len(names) < len(study.summary.coders):
        raise CannotSum("a reviewer's account is gone")
    result, order = study.figures(label_pks, names, project, resamples)
    result["calibration"] = calibration.figures(label_pks, names, project, resamples)[0] if has_calibration else None
    result["gold"] = _gold(project, order, names, label_pks)
    moment = datetime.datetime.fromtimestamp(latest, tz=datetime.UTC) if latest is not None else None
    return result, annotations, moment
