"""Reading the labels of a project or document into the units x coders array `claims.agreement` takes."""

import datetime

import numpy as np
from django.contrib.auth import get_user_model

from annotator.models import Document, Label, Project, Sentence
from claims import sql


class LabelMatrix:
    """The labels of a project or document as `agreement` wants them, plus what they came from."""

    def __init__(
        self, *, data, sentence_ids, coders, categories, values, level, annotation_count, latest_update, alpha_min=None
    ):
        self.data = data  # (units, coders) category index, -1 where a coder did not label a unit
        self.sentence_ids = sentence_ids  # the sentence of each row of `data`
        self.coders = coders  # usernames, sorted
        self.categories = categories  # label names in the scheme's order
        self.values = values  # numeric label values on an interval scale, else None
        self.level = level
        self.annotation_count = annotation_count
        self.latest_update = latest_update
        self.alpha_min = alpha_min  # the lead's own smallest acceptable alpha, or None


def read_label_rows(
    project: Project, document: Document | None = None, *, calibration: bool = False
) -> tuple[np.ndarray, ...]:
    """The (sentence, annotator, label) ids of every label of a project, its calibration set or a document
    as arrays, and the latest label update as a POSIX timestamp (None without labels).

    Read with binary COPY (`claims.sql.copy_columns`): no Python object per label. Pinned by
    `tests/claims/test_reports.py` (`test_read_labels_places_each_label_at_its_sentence_and_reviewer`,
    `test_document_matrix_lists_unlabelled_sentences_in_order`) and `tests/claims/test_study_design_reports.py`.
    """
    if document is not None:
        statement, params = sql.DOCUMENT_LABELS, {"document": document.pk}
    else:
        statement, params = sql.PROJECT_LABELS, {"project": project.pk, "calibration": calibration}
    found = sql.copy_columns(statement, params, ("sentence", "annotator", "label", "updated"))
    latest = sql.posix_seconds(int(found["updated"].max())) if len(found["updated"]) else None
    return found["sentence"], found["annotator"], found["label"], latest


def positions(keys: np.ndarray, ordered_ids: np.ndarray) -> np.ndarray:
    """Position of each of `keys` in `ordered_ids` (which need not be sorted)."""
    order = np.argsort(ordered_ids, kind="stable")
    return order[np.searchsorted(ordered_ids, keys, sorter=order)]


def read_labels(project: Project, document: Document | None = None, *, calibration: bool = False) -> LabelMatrix:
    """Every label of the project (or of one document, or of the calibration set) as a units x coders array.

    Project: the units are the sentences with at least one label. Document: every sentence of
    the document, in order, labelled or not (the per-sentence table lists them all).
    Coders are the reviewers who labelled in that scope, sorted by username.
    """
    sentence_ids, annotator_ids, label_ids, latest = read_label_rows(project, document, calibration=calibration)

    labels = list(Label.objects.filter(project=project).order_by("order", "id").values_list("pk", "name", "value"))
    label_pks = np.array([pk for pk, _, _ in labels], np.int64)
    categories = [name for _, name, _ in labels]
    values = [value for _, _, value in labels] if project.scale == "interval" else None

    coder_pks = np.unique(annotator_ids)
    names = dict(get_user_model().objects.filter(pk__in=coder_pks.tolist()).values_list("pk", "username"))
    by_name = sorted(coder_pks.tolist(), key=lambda pk: names[pk])
    coders = [names[pk] for pk in by_name]

    if document is not None:
        unit_ids = np.array(
            Sentence.objects.filter(document=document).order_by("index").values_list("pk", flat=True), np.int64
        )
        rows_of_labels = positions(sentence_ids, unit_ids)
    else:
        unit_ids, rows_of_labels = np.unique(sentence_ids, return_inverse=True)

    dtype = np.int8 if len(categories) < 127 else np.int32
    data = np.full((len(unit_ids), len(coders)), -1, dtype=dtype)
    if len(sentence_ids):
        data[rows_of_labels, positions(annotator_ids, np.array(by_name, np.int64))] = positions(label_ids, label_pks)
    return LabelMatrix(
        data=data,
        sentence_ids=unit_ids,
        coders=coders,
        categories=categories,
        values=values,
        level=project.scale,
        alpha_min=project.alpha_min,
        annotation_count=len(sentence_ids),
        latest_update=datetime.datetime.fromtimestamp(latest, tz=datetime.UTC) if latest is not None else None,
    )
