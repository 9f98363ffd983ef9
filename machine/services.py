"""Writes of the machine app: asking for and training a model version, logging what a reviewer was shown,
and importing a machine coder's labels."""

import csv
import io
import json

import numpy as np
from django.db import transaction
from django.utils import timezone

from annotator.errors import InvalidInput
from annotator.jobs import beating, failure_message
from annotator.models import Label, Project, Sentence
from lede import version as lede_version

from . import classifier, selectors
from .models import ArticleSuggestions, Basis, Exposure, MachineLabel, ModelVersion
from .tasks import train_model

# Fewer decided sentences than this, or fewer than two labels among them, teach no model worth a card.
MIN_TRAINING_SENTENCES = 10


def request_model(*, project: Project, basis: str, requested_by) -> ModelVersion:
    """Number a new version and queue its training on the bulk queue (after the commit)."""
    if basis not in Basis.values:
        raise InvalidInput("basis", f"'{basis}' is not a basis; one of {', '.join(Basis.values)}.")
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        model_version = ModelVersion.objects.create(
            project=project,
            version=selectors.next_version_number(project),
            basis=basis,
            requested_by=requested_by,
            decisions_at_request=selectors.decision_count(project),
        )
        transaction.on_commit(lambda: train_model.delay(model_version.pk))
    return model_version


def run_training(version_id: int) -> None:
    """Train version `version_id`, write its card and every ordinary article's suggestions (idempotent)."""
    rows = ModelVersion.objects.filter(pk=version_id).exclude(status=ModelVersion.Status.READY)
    if not rows.start():
        return
    model_version = ModelVersion.objects.select_related("project").get(pk=version_id)
    project = model_version.project
    with beating(ModelVersion.objects.filter(pk=version_id)):
        data = selectors.training_set(project, model_version.basis)
        categories = list(project.labels.order_by("order", "id").values_list("name", flat=True))
        index = {name: i for i, name in enumerate(categories)}
        labels = np.array([index[name] for name in data.labels], dtype=np.int64)
        if len(labels) < MIN_TRAINING_SENTENCES or len(np.unique(labels)) < 2 or len(set(data.articles)) < 2:
            rows.fail(
                f"A model needs at least {MIN_TRAINING_SENTENCES} {model_version.basis} labels of two labels or more, "
                f"from two articles or more; the project has {len(labels)}."
            )
            return
        card = model_card(data, labels, categories, selectors.exposed_sentence_ids(project), model_version.basis)
        fitted = classifier.fit(data.texts, labels)
        suggestions = _article_suggestions(project, fitted, categories)
        with transaction.atomic():
            ArticleSuggestions.objects.filter(model_version_id=version_id).delete()
            ArticleSuggestions.objects.bulk_create(
                ArticleSuggestions(model_version_id=version_id, document_id=document_id, suggestions=rows_)
                for document_id, rows_ in suggestions.items()
            )
            rows.finish(card=card, categories=categories, pipeline=classifier.dumps(fitted))


def model_card(data, labels: np.ndarray, categories: list[str], exposed: set[int], basis: str) -> dict:
    """The card: figures from predictions made without each sentence's article (folds by article), counted
    only on sentences whose labels no suggestion touched (Song et al. 2020)."""
    folds = classifier.cross_validate(data.texts, labels, np.array(data.articles))
    untouched = np.array([sentence_id not in exposed for sentence_id in data.sentence_ids], dtype=bool)
    figures = classifier.card_figures(
        labels[untouched], folds.predicted[untouched], np.array(data.articles)[untouched], categories
    )
    for category, row in enumerate(figures["labels"]):
        row["training_n"] = int(np.sum(labels == category))
    return {
        **figures,
        "evaluated_n": figures["training_n"],
        "training_n": len(labels),
        "left_out_exposed": int((~untouched).sum()),
        "folds": folds.folds,
        "basis": basis,
        "features": classifier.FEATURES,
        "linear_model": classifier.DEFAULT_LINEAR,
        "date": timezone.now().isoformat(),
        "lede_version": lede_version.described(),
    }


def _article_suggestions(project: Project, fitted, categories: list[str]) -> dict[int, list]:
    sentences = list(
        Sentence.objects.filter(document__project=project, document__calibration=False, document__training=False)
        .order_by("document_id", "index")
        .values_list("id", "document_id", "text")
    )
    predicted, scores = classifier.predict(fitted, [text for _, _, text in sentences])
    by_article: dict[int, list] = {}
    for (sentence_id, document_id, _), category, score in zip(sentences, predicted, scores, strict=True):
        by_article.setdefault(document_id, []).append([sentence_id, categories[category], round(float(score), 4)])
    return by_article


def fail_training(version_id: int, error: BaseException) -> None:
    """Record on the version that its training failed (the task's `records_failure`)."""
    ModelVersion.objects.filter(pk=version_id).fail(failure_message(error))


def retrain_if_due(*, project_id: int) -> ModelVersion | None:
    """Ask for a new version once the project has `retrain_after` more decisions than when the last was asked for."""
    project = Project.objects.filter(pk=project_id, retrain_after__isnull=False).first()
    if project is None:
        return None
    last = ModelVersion.objects.filter(project=project).order_by("-version").first()
    if last is not None and last.status in (ModelVersion.Status.PENDING, ModelVersion.Status.RUNNING):
        return None
    since = last.decisions_at_request if last else 0
    if selectors.decision_count(project) - since < project.retrain_after:
        return None
    return request_model(project=project, basis=last.basis if last else Basis.GOLD, requested_by=None)


def log_exposures(*, suggestions: selectors.Suggestions, reviewer) -> None:
    """Record that `reviewer` was shown each of `suggestions` (the first showing of each is kept)."""
    if not suggestions.rows:
        return
    now = timezone.now()
    Exposure.objects.bulk_create(
        [
            Exposure(
                sentence_id=row["sentence"],
                reviewer=reviewer,
                model_version=suggestions.version,
                label=row["label"],
                score=row["score"],
                shown=now,
            )
            for row in suggestions.rows
        ],
        ignore_conflicts=True,
    )


MACHINE_FIELDS = ("sentence", "label", "score", "model")


def _machine_rows(content: bytes, file_name: str) -> list[dict]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput("file", "The file is not UTF-8 text.") from error
    if file_name.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        missing = [field for field in ("sentence", "label", "model") if field not in (reader.fieldnames or [])]
        if missing:
            needed = ", ".join(MACHINE_FIELDS)
            raise InvalidInput("file", f"The CSV has no column {', '.join(missing)}; it needs {needed}.")
        return list(reader)
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise InvalidInput("file", f"Line {number} is not JSON: {error.msg}.") from error
        if not isinstance(row, dict):
            raise InvalidInput("file", f"Line {number} is not a JSON object.")
        rows.append(row)
    return rows


def import_machine_labels(*, project: Project, content: bytes, file_name: str = "") -> int:
    """Save a machine coder's labels from a CSV or JSONL file (`sentence` id, `label` name, `score`, `model`).

    Every line is checked before anything is written: a bad one is a 400 naming its line, and
    nothing is kept. A sentence and model already imported gets the new label.
    """
    rows = _machine_rows(content, file_name)
    labels = {label.name: label for label in Label.objects.filter(project=project)}
    sentences = set(
        Sentence.objects.filter(document__project=project, document__training=False).values_list("id", flat=True)
    )
    found = []
    for number, row in enumerate(rows, start=1):
        where = f"Line {number}"
        try:
            sentence = int(row.get("sentence"))
        except (TypeError, ValueError):
            raise InvalidInput("sentence", f"{where}: 'sentence' must be a sentence id of this project.") from None
        if sentence not in sentences:
            raise InvalidInput("sentence", f"{where}: sentence {sentence} is not in this project.")
        if row.get("label") not in labels:
            raise InvalidInput("label", f"{where}: '{row.get('label')}' is not a label of this project.")
        model = str(row.get("model") or "").strip()
        if not model or len(model) > 200:
            raise InvalidInput("model", f"{where}: 'model' must name the model (at most 200 characters).")
        score = row.get("score")
        if score in (None, ""):
            score = None
        else:
            try:
                score = float(score)
            except (TypeError, ValueError):
                raise InvalidInput("score", f"{where}: 'score' must be a number from 0 to 1.") from None
            if not 0 <= score <= 1:
                raise InvalidInput("score", f"{where}: 'score' must be a number from 0 to 1.")
        found.append(
            MachineLabel(project=project, sentence_id=sentence, model=model, label=labels[row["label"]], score=score)
        )
    if not found:
        raise InvalidInput("file", "The file holds no label.")
    with transaction.atomic():
        MachineLabel.objects.bulk_create(
            found, update_conflicts=True, unique_fields=["sentence", "model"], update_fields=["label", "score"]
        )
    return len(found)
