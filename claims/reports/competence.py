"""Coder competence and agreement over each reviewer's own time, for the project report: every study label read once.

The models (`claims.competence`) and the drift (`claims.time_drift`) need every label, not the
per-document tallies, so the run reads the labels of the study's articles in chunks
(`tallying._by_document`), fits Dawid-Skene and MACE with intervals by article, stores each
sentence's posterior (`curation.services.store_posteriors`) and adds the figures to the report.
"""

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from annotator.models import Document, Label
from claims import competence, time_drift
from curation import services as curation_services
from curation.models import SentencePosterior

from .matrix import positions
from .tallying import _by_document

METHOD = (
    "Dawid & Skene (1979) and MACE (Hovy et al. 2013, EM with additive smoothing 0.01/K), fitted by EM; 95% "
    "percentile intervals from resamples of articles (every sentence of a drawn article), each refitting both models"
)


def _study_labels(project, label_pks: np.ndarray) -> dict:
    """Every label of the study's articles (training left out): document, sentence, annotator, category, updated."""
    document_ids = list(
        Document.objects.filter(project=project, training=False).order_by("pk").values_list("pk", flat=True)
    )
    parts = [
        (np.full(len(sentences), document_id), sentences, annotators, labels, updated)
        for document_id, sentences, annotators, labels, updated in _by_document(document_ids)
    ]
    names = ("document", "sentence", "annotator", "category", "updated")
    found = {
        name: np.concatenate([part[index] for part in parts]) if parts else np.zeros(0)
        for index, name in enumerate(names)
    }
    found["category"] = positions(found["category"].astype(np.int64), label_pks) if parts else np.zeros(0, np.int64)
    return found


def _interval(bounds, *index) -> list | None:
    if bounds is None:
        return None
    low, high = bounds[index]
    return None if np.isnan(low) else [float(low), float(high)]


def add_competence(project, result: dict, *, resamples: int | None = None) -> None:
    """Add `competence` (the models' figures) to `result`, and to each of its reviewers `competence` and their
    agreement over their own time (`by_week`, `by_tenth`); store every labelled sentence's posterior."""
    labels_of = Label.objects.filter(project=project).order_by("order", "id")
    label_pks = np.array(labels_of.values_list("pk", flat=True), np.int64)
    categories = list(labels_of.values_list("name", flat=True))
    k = len(categories)
    read = _study_labels(project, label_pks)
    coder_ids, coders = np.unique(read["annotator"].astype(np.int64), return_inverse=True)
    sentence_ids, items = np.unique(read["sentence"].astype(np.int64), return_inverse=True)
    names = dict(get_user_model().objects.filter(pk__in=coder_ids.tolist()).values_list("pk", "username"))
    item_article = np.zeros(len(sentence_ids), np.int64)
    item_article[items.ravel()] = read["document"].astype(np.int64)
    labels = competence.Labels.of(items.ravel(), coders.ravel(), read["category"], n_categories=k,
                                  n_coders=len(coder_ids), article=item_article)  # fmt: skip
    same, pairings = time_drift.label_pairings(labels.items, labels.categories, k)
    over_time = time_drift.reviewer_drift(labels.coders, read["updated"], same, pairings, n_coders=len(coder_ids))
    fitted = {"mace": None, "ds": None}
    intervals = {"competence": None, "confusion": None, "reason": "no_labels", "articles": 0, "resamples": 0}
    if len(labels.items) and k:
        fitted = {"mace": competence.mace(labels), "ds": competence.dawid_skene(labels)}
        intervals = competence.bootstrap(
            labels, resamples=settings.COMPETENCE_RESAMPLES if resamples is None else resamples, seed=0
        )
    by_name = {}
    for index, key in enumerate(coder_ids.tolist()):
        mace, ds = fitted["mace"], fitted["ds"]
        by_name[names[key]] = {
            "competence": {
                "mace": float(mace.competence[index]) if mace else None,
                "mace_ci95": _interval(intervals["competence"], index),
                "habit": dict(zip(categories, mace.strategy[index].tolist(), strict=True)) if mace else None,
                "confusion": ds.confusion[index].tolist() if ds else None,
                "confusion_ci95": None
                if intervals["confusion"] is None
                else [[_interval(intervals["confusion"], index, t, g) for g in range(k)] for t in range(k)],
            },
            **over_time[index],
        }
    for row in result.get("reviewers", []):
        row.update(by_name.get(row["reviewer"], {"competence": None, "by_week": [], "by_tenth": []}))
    uncertain = _store_posteriors(project, fitted, sentence_ids, label_pks, categories)
    result["competence"] = {
        "method": METHOD,
        "categories": categories,
        "sentences": len(sentence_ids),
        "labels": len(labels.items),
        "articles": intervals["articles"],
        "resamples": intervals["resamples"],
        "ci95_reason": intervals["reason"],
        "min_articles": intervals.get("min_articles"),
        "seed": 0,
        "prior": fitted["ds"].prior.tolist() if fitted["ds"] else None,
        "uncertain_sentences": uncertain,
    }


def _store_posteriors(project, fitted: dict, sentence_ids, label_pks, categories) -> dict:
    """Store each sentence's posterior; return how many are uncertain (Dawid-Skene's top label below .9, .7)."""
    ds, mace = fitted["ds"], fitted["mace"]
    rows = []
    if ds is not None:
        moment = timezone.now()
        doubt = competence.uncertainty(ds.posterior)
        best = ds.posterior.argmax(axis=1)
        for index, sentence_id in enumerate(sentence_ids.tolist()):
            rows.append(
                SentencePosterior(
                    sentence_id=sentence_id,
                    project=project,
                    label_id=int(label_pks[best[index]]),
                    uncertainty=float(doubt[index]),
                    probabilities={
                        "dawid_skene": dict(zip(categories, np.round(ds.posterior[index], 6).tolist(), strict=True)),
                        "mace": dict(zip(categories, np.round(mace.posterior[index], 6).tolist(), strict=True)),
                    },
                    computed_at=moment,
                )
            )
    curation_services.store_posteriors(project=project, rows=rows)
    doubts = np.array([row.uncertainty for row in rows])
    return {"above_0.1": int((doubts > 0.1).sum()), "above_0.3": int((doubts > 0.3).sum())}
