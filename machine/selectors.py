"""Reads of the machine app: model versions, what a model learns from, and a reviewer's suggestions."""

from dataclasses import dataclass

from django.db.models import Max, QuerySet

from annotator.models import Annotation, Assignment, Document, Project, Sentence
from curation import sql as curation_sql
from curation.models import Decision, Provenance

from .models import ArticleSuggestions, Exposure, ModelVersion


def versions(project: Project) -> QuerySet[ModelVersion]:
    return ModelVersion.objects.filter(project=project).defer("pipeline").order_by("-version")


def latest_ready(project: Project) -> ModelVersion | None:
    return versions(project).filter(status=ModelVersion.Status.READY).first()


def decision_count(project: Project) -> int:
    return Decision.objects.filter(project=project).exclude(provenance=Provenance.UNRESOLVED).count()


@dataclass
class TrainingSet:
    texts: list[str]
    labels: list[str]  # label names
    articles: list[int]  # each sentence's document id
    sentence_ids: list[int]


def _ordinary_sentences(project: Project) -> QuerySet[Sentence]:
    # Training articles' labels never enter gold or exports; they teach no model either.
    return Sentence.objects.filter(document__project=project, document__training=False)


def training_set(project: Project, basis: str) -> TrainingSet:
    """Each decided sentence with its gold label, or each labelled one with its plurality (ties left out)."""
    rows = []
    if basis == "gold":
        decided = (
            Decision.objects.filter(project=project, label__isnull=False, sentence__document__training=False)
            .order_by("sentence_id")
            .values_list("sentence_id", "sentence__text", "label__name", "sentence__document_id")
        )
        rows = list(decided)
    else:
        found = curation_sql.pluralities(Annotation.objects.filter(sentence__in=_ordinary_sentences(project)))
        decided = {sentence: plurality.label for sentence, plurality in found.items() if plurality.label is not None}
        rows = [
            (sentence_id, text, decided[sentence_id], document_id)
            for sentence_id, text, document_id in Sentence.objects.filter(pk__in=list(decided))
            .order_by("pk")
            .values_list("pk", "text", "document_id")
        ]
    return TrainingSet(
        sentence_ids=[row[0] for row in rows],
        texts=[row[1] for row in rows],
        labels=[row[2] for row in rows],
        articles=[row[3] for row in rows],
    )


def exposed_sentence_ids(project: Project) -> set[int]:
    """Sentences on which some reviewer was shown a suggestion: their labels may carry the model's mark."""
    return set(Exposure.objects.filter(model_version__project=project).values_list("sentence_id", flat=True).distinct())


def next_version_number(project: Project) -> int:
    return (ModelVersion.objects.filter(project=project).aggregate(top=Max("version"))["top"] or 0) + 1


@dataclass
class Suggestions:
    rows: list[dict]  # [{"sentence", "label", "score"}]
    reason: str | None  # why there are none, where they are not allowed
    version: ModelVersion | None = None


def suggestions_for(*, document: Document, user) -> Suggestions:
    """The suggestions `user` may see on `document`, or none with the reason.

    None while the project has suggestions off; on calibration and training articles (their
    figures must be a reviewer's own); without an assignment of the article that Lede made (its
    assignment function gives ordinary articles only past the training gate; a lead's assignment
    by hand does not pass it); on an assignment drawn to be unassisted; before a model is ready.
    """
    project = document.project
    if project.suggestions != "on":
        return Suggestions([], "off")
    if document.calibration or document.training:
        return Suggestions([], "calibration" if document.calibration else "training")
    assignment = (
        Assignment.objects.filter(document=document, reviewer=user).values("assigned_by_id", "draw__unassisted").first()
    )
    if assignment is None:
        return Suggestions([], "not_assigned")
    if assignment["assigned_by_id"] is not None:
        return Suggestions([], "assigned_by_hand")
    if assignment["draw__unassisted"] is not False:
        return Suggestions([], "unassisted")
    row = (
        ArticleSuggestions.objects.filter(document=document, model_version__status=ModelVersion.Status.READY)
        .select_related("model_version")
        .defer("model_version__pipeline", "model_version__card")
        .order_by("-model_version__version")
        .first()
    )
    if row is None:
        return Suggestions([], "no_model")
    rows = [{"sentence": sentence, "label": label, "score": score} for sentence, label, score in row.suggestions]
    return Suggestions(rows, None, row.model_version)


def exposures(project: Project) -> QuerySet[Exposure]:
    return (
        Exposure.objects.filter(model_version__project=project)
        .select_related("reviewer", "model_version", "sentence")
        .order_by("sentence__document_id", "sentence__index", "reviewer__username", "model_version__version")
    )


def final_labels(project: Project) -> dict[tuple[int, int], str]:
    """Each (sentence, reviewer)'s label now, for sentences some reviewer was shown a suggestion on."""
    return {
        (sentence_id, reviewer_id): label
        for sentence_id, reviewer_id, label in Annotation.objects.filter(
            sentence_id__in=Exposure.objects.filter(model_version__project=project).values("sentence_id")
        ).values_list("sentence_id", "annotator_id", "label__name")
    }
