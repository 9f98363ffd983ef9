"""The gold standard as it leaves Lede: a row per decided sentence (gold.csv/.jsonl) and its Web Annotations.

A decision's `labels` and `agreeing_share` are counted from the reviewers' labels at export
time, as annotations.csv holds them (the decision also keeps its counts from when it was
decided: see the curation API). Unresolved decisions are rows too, with a blank label, so the
file says which sentences a curator looked at and left open. Filters: `document`, `label`
(the decided label) and `since` (decided at or after); `annotator` narrows reviewers' labels,
which the gold is not, so it leaves gold.csv whole and keeps gold out of webannotation.jsonld.
"""

import json
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, IntegerField, Min, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce

from annotator.models import Annotation, Project
from curation.models import Decision, DecisionEvent, DecisionSource, Provenance

from . import rows
from .rows import ExportFilters


def decider_names(project: Project, names: dict[int, str], *, pseudonymize: bool) -> dict[int, str]:
    """User id -> the name gold exports give whoever decided, on top of the reviewers' `names`.

    A curator who also labels keeps the name the other exports give them (`rows.annotator_names`),
    so one person has one pseudonym across every file. One who never labelled is named by username,
    or with `pseudonymize` as `curator-N`, numbered in the order of their first decision in the
    project's history (a namespace of its own, so no reviewer's `annotator-N` ever moves).
    """
    deciders = set(
        Decision.objects.filter(project=project, decided_by__isnull=False)
        .order_by()
        .values_list("decided_by_id", flat=True)
        .distinct()
    )
    others = deciders - set(names)
    if not others:
        return names
    if not pseudonymize:
        usernames = dict(get_user_model().objects.filter(pk__in=others).values_list("pk", "username"))
        return {**names, **usernames}
    first = dict(
        DecisionEvent.objects.filter(project=project, actor_id__in=others)
        .values("actor_id")
        .annotate(first=Min("id"))
        .values_list("actor_id", "first")
    )
    order = sorted(others, key=lambda uid: (uid not in first, first.get(uid, 0), uid))
    return {**names, **{uid: f"curator-{n}" for n, uid in enumerate(order, start=1)}}


def _label_count(*, agreeing: bool):
    """How many reviewers' labels the decision's sentence has now (`agreeing`: of the decided label)."""
    labels = Annotation.objects.filter(sentence_id=OuterRef("sentence_id"))
    if agreeing:
        labels = labels.filter(label_id=OuterRef("label_id"))
    count = labels.order_by().values("sentence_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def decisions(project: Project, filters: ExportFilters) -> QuerySet:
    """The project's decisions that pass `filters` (never on training articles), by article and position."""
    queryset = Decision.objects.filter(project=project, sentence__document__training=False)
    if filters.document is not None:
        queryset = queryset.filter(sentence__document_id=filters.document)
    if filters.label is not None:
        queryset = queryset.filter(label__name=filters.label)
    if filters.since is not None:
        queryset = queryset.filter(decided_at__gte=filters.since)
    return queryset.order_by("sentence__document_id", "sentence__index").annotate(
        sources_json=rows.sources_json(DecisionSource, "decision")
    )


_GOLD_FIELDS = (
    "sentence__document_id", "sentence__document__key", "sentence__document__title", "sentence__document__outlet",
    "sentence__document__url", "published_text", "sentence__document__topics", "sentence_id", "sentence__key",
    "sentence__index", "sentence__paragraph", "sentence__start", "sentence__end", "sentence__text", "label_id",
    "provenance", "labels_now", "agreeing", "rationale", "category", "decided_by_id", "decided_at_text", "speaker",
    "sources_json",
)  # fmt: skip


def gold_rows(project: Project, filters: ExportFilters) -> QuerySet:
    """One named row per decision: its sentence and article, the decided label, the labels now, who and when."""
    return (
        decisions(project, filters)
        .annotate(
            published_text=Cast("sentence__document__published", CharField()),
            decided_at_text=rows.IsoDateTime("decided_at"),
            labels_now=_label_count(agreeing=False),
            agreeing=_label_count(agreeing=True),
        )
        .values_list(*_GOLD_FIELDS, named=True)
    )


def share(agreeing: int, labels: int) -> float | None:
    """The share of a sentence's labels that agree with its decided label (None without labels)."""
    return round(agreeing / labels, 6) if labels else None


def records(project: Project, filters: ExportFilters, *, csv_cells: bool) -> Iterator[tuple]:
    """The rows of gold.csv/.jsonl: CSV cells (blank for none, lists as JSON text) or JSON values."""
    names = decider_names(
        project, rows.annotator_names(project, pseudonymize=filters.pseudonymize), pseudonymize=filters.pseudonymize
    )
    labels = rows.label_table(project)
    none = "" if csv_cells else None

    def as_list(value):
        return json.dumps(value, ensure_ascii=False) if csv_cells else value

    for row in gold_rows(project, filters).iterator(chunk_size=rows.CHUNK_SIZE):
        name, value = labels[row.label_id] if row.label_id is not None else (none, None)
        resolved = row.provenance != Provenance.UNRESOLVED
        found = share(row.agreeing, row.labels_now) if resolved else None
        yield (
            project.pk,
            row.sentence__document_id,
            row.sentence__document__key,
            row.sentence__document__title,
            row.sentence__document__outlet,
            row.sentence__document__url,
            row.published_text or none,
            as_list(row.sentence__document__topics or []),
            row.sentence_id,
            row.sentence__key or str(row.sentence_id),
            row.sentence__index,
            row.sentence__paragraph,
            row.sentence__start,
            row.sentence__end,
            row.sentence__text,
            name,
            none if value is None else value,
            row.provenance,
            row.labels_now,
            row.agreeing if resolved else none,
            none if found is None else found,
            row.rationale,
            row.category,
            names.get(row.decided_by_id, none),  # none when the decider's account is gone
            row.decided_at_text,
            row.speaker,
            as_list(json.loads(row.sources_json) if row.sources_json else []),
        )


def quote_rows(project: Project, filters: ExportFilters) -> QuerySet:
    """Per decision with a label, what its Web Annotation needs (none when `annotator` narrows to a reviewer)."""
    if filters.annotator is not None:
        return Decision.objects.none().values_list("pk", named=True)
    return (
        decisions(project, filters)
        .exclude(provenance=Provenance.UNRESOLVED)
        .annotate(**rows.quote_context())
        .values_list(
            "pk", "sentence_id", "sentence__document_id", "sentence__document__url", "sentence__start",
            "sentence__end", "sentence__text", "prefix", "suffix", "label_id", "provenance", "rationale", "speaker",
            "sources_json", "decided_at", named=True,
        )
    )  # fmt: skip
