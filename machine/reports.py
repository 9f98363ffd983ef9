"""The agreement report's `assistance` section: the labels read by arm, the effect computed by `assistance`."""

import numpy as np

from annotator.models import Annotation, Project
from curation import sql as curation_sql
from curation.models import Decision, Provenance

from . import assistance
from .models import ArticleSuggestions, AssistanceDraw, Exposure, MachineLabel, ModelVersion


def assistance_section(project: Project) -> dict:
    """Assisted against unassisted labels (see `assistance`), and each machine coder against the humans and gold.

    A label is assisted where its reviewer was shown a suggestion on the sentence, unassisted where
    their assignment of the article was drawn to come without; other labels (suggestions off, an
    assignment by hand) are in neither arm. Gold counts where no suggestion could have shaped it: on
    articles nobody was shown suggestions on, or decided by a curator rather than by the rule.
    """
    categories = list(project.labels.order_by("order", "id").values_list("name", flat=True))
    index = {name: i for i, name in enumerate(categories)}
    label_ids = dict(project.labels.values_list("id", "name"))
    shown = {}
    exposed_articles = set()
    for sentence_id, reviewer_id, label, document_id in Exposure.objects.filter(
        model_version__project=project
    ).values_list("sentence_id", "reviewer_id", "label", "sentence__document_id"):
        shown[(sentence_id, reviewer_id)] = index.get(label, -1)
        exposed_articles.add(document_id)
    unassisted = set(
        AssistanceDraw.objects.filter(assignment__project=project, unassisted=True).values_list(
            "assignment__document_id", "assignment__reviewer_id"
        )
    )
    latest = ModelVersion.objects.filter(project=project, status=ModelVersion.Status.READY).order_by("-version").first()
    model_label = {}
    if latest is not None:
        for row in ArticleSuggestions.objects.filter(model_version=latest).values_list("suggestions", flat=True):
            model_label.update({sentence: index.get(label, -1) for sentence, label, _ in row})
    gold = {}
    for sentence_id, label_id, provenance, document_id in Decision.objects.filter(
        project=project, label__isnull=False
    ).values_list("sentence_id", "label_id", "provenance", "sentence__document_id"):
        if document_id not in exposed_articles or provenance == Provenance.ADJUDICATED:
            gold[sentence_id] = index[label_ids[label_id]]
    rows = []
    human_labels = Annotation.objects.filter(
        sentence__document__project=project, sentence__document__training=False, sentence__document__calibration=False
    )
    for sentence_id, reviewer_id, label_id, document_id in human_labels.values_list(
        "sentence_id", "annotator_id", "label_id", "sentence__document_id"
    ):
        label = index[label_ids[label_id]]
        if (sentence_id, reviewer_id) in shown:
            arm, model = True, shown[(sentence_id, reviewer_id)]
        elif (document_id, reviewer_id) in unassisted:
            arm, model = False, model_label.get(sentence_id, -1)
        else:
            continue
        rows.append((document_id, sentence_id, label, arm, model, gold.get(sentence_id, -1)))
    plurality = {
        sentence: index[found.label] if found.label is not None else None
        for sentence, found in curation_sql.pluralities(human_labels).items()
    }
    section = {"machine_coders": machine_coders(project, index, label_ids, gold, plurality)}
    if not rows or len({row[3] for row in rows}) < 2:
        return {**section, "effect": None, "reason": "needs both assisted and unassisted labels"}
    columns = np.array(rows, dtype=np.int64).T
    labels = assistance.Labels(
        article=columns[0],
        sentence=columns[1],
        label=columns[2],
        assisted=columns[3].astype(bool),
        model=columns[4],
        gold=columns[5],
    )
    return {**section, "effect": assistance.assistance_effect(labels, len(categories)), "reason": None}


def machine_coders(project: Project, index: dict, label_ids: dict, gold: dict, plurality: dict) -> list[dict]:
    """Each declared machine coder: its sentences, accuracy against gold, agreement with the humans' plurality
    (`plurality`: sentence -> the index of its plurality label, None on a tie)."""
    coders: dict[str, list] = {}
    for model, sentence_id, label_id in MachineLabel.objects.filter(project=project).values_list(
        "model", "sentence_id", "label_id"
    ):
        coders.setdefault(model, []).append((sentence_id, index[label_ids[label_id]]))
    found = []
    for model, labels in sorted(coders.items()):
        against_gold = [label == gold[s] for s, label in labels if s in gold]
        against_humans = [label == plurality[s] for s, label in labels if plurality.get(s) is not None]
        found.append(
            {
                "model": model,
                "sentences": len(labels),
                "accuracy_against_gold": float(np.mean(against_gold)) if against_gold else None,
                "gold_n": len(against_gold),
                "agreement_with_plurality": float(np.mean(against_humans)) if against_humans else None,
                "plurality_n": len(against_humans),
            }
        )
    return found
