"""Reads of decisions shared by the API, the pages and the exports, scoped to what a member may see."""

from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from annotator.models import Annotation, AnnotationEvent, Document, Project, Sentence, Source
from annotator.roles import seeing_all_labels

from . import sql
from .models import CurationSettings, Decision, DecisionEvent, DecisionSource, Provenance, SentencePosterior
from .plurality import NO_LABELS

# A change is stamped when its transaction writes it but seen only once it commits: a refresh
# asks again for this much before its `since`, so a change committed late is not missed.
SINCE_OVERLAP = timedelta(seconds=10)


def reads_all_decisions(project: Project, role: str | None) -> bool:
    """Whoever sees every reviewer's label sees every decision (annotators of a blind project do not)."""
    return role in seeing_all_labels(project)


def reads_own_feedback(project: Project, role: str | None) -> bool:
    """Reviewers who do not see every decision see, once the lead opens feedback, those where they differed."""
    return (
        role is not None and not reads_all_decisions(project, role) and CurationSettings.for_project(project).feedback
    )


def decisions(*, project: Project, user, role: str | None) -> QuerySet[Decision]:
    """The decisions of `project` that `user` may see, with label, decider, sentence and sources loaded.

    Everyone who sees every label sees every decision; a reviewer with feedback open sees the
    decisions that differ from their own label; anyone else none.
    """
    queryset = Decision.objects.filter(project=project)
    if not reads_all_decisions(project, role):
        if not reads_own_feedback(project, role):
            return Decision.objects.none()
        differed = Annotation.objects.filter(sentence=OuterRef("sentence"), annotator=user).exclude(
            label=OuterRef("label")
        )
        queryset = queryset.filter(label__isnull=False).filter(Exists(differed))
    return (
        queryset.select_related("label", "decided_by", "sentence")
        .prefetch_related(Prefetch("sources", queryset=DecisionSource.objects.order_by("position", "id")))
        .order_by("sentence__document_id", "sentence__index")
    )


def feedback_on_document(*, document: Document, user) -> dict[int, dict]:
    """Per sentence of `document` where `user`'s label differs from the decided one: that label, rationale, category.

    Empty until the lead opens feedback. Only the decision's own words: never the other
    reviewers' labels or how many agreed, which a blind project keeps from annotators.
    """
    if not CurationSettings.for_project(document.project).feedback:
        return {}
    differed = Annotation.objects.filter(sentence=OuterRef("sentence"), annotator=user).exclude(label=OuterRef("label"))
    rows = (
        Decision.objects.filter(sentence__document=document, label__isnull=False)
        .filter(Exists(differed))
        .values("sentence_id", "label__name", "rationale", "category")
    )
    return {
        row["sentence_id"]: {"label": row["label__name"], "rationale": row["rationale"], "category": row["category"]}
        for row in rows
    }


def decisions_by_category(project: Project) -> dict[str, int]:
    """Category text -> how many of the project's decisions have it (categories no longer listed included)."""
    found = Decision.objects.filter(project=project).exclude(category="").values_list("category")
    return dict(found.annotate(n=Count("id")).order_by())


def history(*, sentence: Sentence) -> QuerySet[DecisionEvent]:
    return DecisionEvent.objects.filter(sentence=sentence).select_related("actor").order_by("-at", "-id")


def progress_by_document(project: Project, document_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per document: sentences `decided` (with a label), `unresolved`, and `open` (no decision yet). Two queries."""
    totals = dict(
        Sentence.objects.filter(document_id__in=document_ids)
        .values_list("document_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    decided = (
        Decision.objects.filter(project=project, sentence__document_id__in=document_ids)
        .values_list("sentence__document_id")
        .annotate(
            unresolved=Count("id", filter=Q(provenance=Provenance.UNRESOLVED)),
            decided=Count("id", filter=~Q(provenance=Provenance.UNRESOLVED)),
        )
        .order_by()
    )
    found = {pk: {"decided": 0, "unresolved": 0, "open": totals.get(pk, 0)} for pk in document_ids}
    for document_id, unresolved, decided_count in decided:
        found[document_id] = {
            "decided": decided_count,
            "unresolved": unresolved,
            "open": totals.get(document_id, 0) - decided_count - unresolved,
        }
    return found


def _changed_sentence_ids(document: Document, since: datetime) -> set[int]:
    since = since - SINCE_OVERLAP
    labelled = AnnotationEvent.objects.filter(sentence__document=document, at__gte=since).values_list(
        "sentence_id", flat=True
    )
    decided = DecisionEvent.objects.filter(sentence__document=document, at__gte=since).values_list(
        "sentence_id", flat=True
    )
    return set(labelled) | set(decided)


def _sources(rows) -> list[dict]:
    return [{"url": url, "title": title, "note": note} for url, title, note in rows]


def curation_rows(document: Document, *, since: datetime | None = None, sort: str = "order") -> list[dict]:
    """Every sentence of `document` (or those changed `since`) with every reviewer's label, their plurality,
    the labelling model's reading (`posterior`: label and uncertainty, null before the project report ran) and
    the decision; in sentence order, or with `sort="uncertainty"` the least certain first.

    Compact dicts built from five queries whatever the size of the article: the curator screen
    draws a 2,000-sentence article with five reviewers from one answer, and shows the plurality
    as it comes (the label a curator accepts with one key).
    """
    sentences = Sentence.objects.filter(document=document).order_by("index")
    if since is not None:
        sentences = sentences.filter(pk__in=_changed_sentence_ids(document, since))
    rows = {
        pk: {"sentence": pk, "index": index, "text": text, "labels": [], "decision": None}
        for pk, index, text in sentences.values_list("pk", "index", "text")
    }
    annotations = (
        Annotation.objects.filter(sentence_id__in=rows)
        if since
        else Annotation.objects.filter(sentence__document=document)
    )
    sources: dict[int, list] = {}
    for annotation_id, url, title, note in (
        Source.objects.filter(annotation__in=annotations).order_by("annotation_id", "position", "id")
    ).values_list("annotation_id", "url", "title", "note"):
        sources.setdefault(annotation_id, []).append((url, title, note))
    for pk, sentence_id, reviewer, label, speaker, note in annotations.order_by(
        "sentence_id", "annotator__username"
    ).values_list("pk", "sentence_id", "annotator__username", "label__name", "speaker", "note"):
        rows[sentence_id]["labels"].append(
            {
                "reviewer": reviewer,
                "label": label,
                "speaker": speaker,
                "note": note,
                "sources": _sources(sources.get(pk, ())),
            }
        )
    decided = (
        Decision.objects.filter(sentence_id__in=rows) if since else Decision.objects.filter(sentence__document=document)
    )
    decision_sources: dict[int, list] = {}
    for decision_id, url, title, note in (
        DecisionSource.objects.filter(decision__in=decided)
        .order_by("decision_id", "position", "id")
        .values_list("decision_id", "url", "title", "note")
    ):
        decision_sources.setdefault(decision_id, []).append((url, title, note))
    for decision in decided.values(
        "pk",
        "sentence_id",
        "label__name",
        "provenance",
        "rule",
        "labels",
        "share",
        "speaker",
        "rationale",
        "category",
        "decided_by__username",
        "decided_at",
    ):
        rows[decision["sentence_id"]]["decision"] = {
            "sentence": decision["sentence_id"],
            "label": decision["label__name"],
            "provenance": decision["provenance"],
            "rule": decision["rule"],
            "labels": decision["labels"],
            "share": decision["share"],
            "speaker": decision["speaker"],
            "rationale": decision["rationale"],
            "category": decision["category"],
            "decided_by": decision["decided_by__username"],
            "decided_at": decision["decided_at"],
            "sources": _sources(decision_sources.get(decision["pk"], ())),
        }
    posteriors = SentencePosterior.objects.filter(sentence_id__in=rows).values_list(
        "sentence_id", "label__name", "uncertainty"
    )
    for sentence_id, label, doubt in posteriors:
        rows[sentence_id]["posterior"] = {"label": label, "uncertainty": doubt}
    found = sql.pluralities(annotations)
    for pk, row in rows.items():
        plurality = found.get(pk, NO_LABELS)
        row["plurality"] = {"label": plurality.label, "count": plurality.count, "labels": plurality.labels}
        row.setdefault("posterior", None)
    if sort == "uncertainty":
        return sorted(rows.values(), key=lambda row: -row["posterior"]["uncertainty"] if row["posterior"] else 1.0)
    return list(rows.values())
