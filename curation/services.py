"""Every write of curation: a curator's decision on a sentence, its removal, and the project's curation settings.

The auto-merge, which decides many sentences by a rule, is in `merge.py`.
"""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from annotator import services as annotator_services
from annotator.errors import InvalidInput
from annotator.models import Annotation, Document, Project, Sentence

from . import sql
from .models import CurationSettings, Decision, DecisionEvent, DecisionSource, Provenance, SentencePosterior
from .signals import announce_decisions_changed

MAX_CATEGORIES = 30
MAX_CATEGORY_LENGTH = 100


def snapshot(decision: Decision, sources: Sequence) -> dict:
    """What a history event records of a decision."""
    return {
        "label": decision.label.name if decision.label_id else None,
        "provenance": decision.provenance,
        "rule": decision.rule,
        "labels": decision.labels,
        "share": decision.share,
        "speaker": decision.speaker,
        "rationale": decision.rationale,
        "category": decision.category,
        "sources": [{"url": s.url, "title": s.title, "note": s.note} for s in sources],
    }


def _check_category(project: Project, sentence: Sentence, category: str) -> str:
    """One of the project's categories, or the one the sentence's decision already has.

    Renaming or removing a category leaves decisions with the text they were given; such a
    decision may be decided again with that text kept, but no new decision takes it.
    """
    category = category.strip()
    categories = CurationSettings.for_project(project).categories
    kept = Decision.objects.filter(sentence=sentence).values_list("category", flat=True).first()
    if category and category not in categories and category != kept:
        raise InvalidInput(
            "category", f"'{category}' is not a category of this project; use one of: {', '.join(categories)}."
        )
    return category


def _lock(sentence: Sentence) -> None:
    """Take the sentence's row lock: decisions on one sentence are written one after the other.

    NO KEY UPDATE, not UPDATE: an auto-merge inserting this sentence's decision meanwhile only
    needs the sentence to stay (a key-share lock), so it neither waits for the curator nor
    deadlocks with them; the decision's unique constraint then orders the two writes.
    """
    Sentence.objects.select_for_update(no_key=True).filter(pk=sentence.pk).values_list("pk").first()


def decide(
    *,
    sentence: Sentence,
    curator,
    label_name: str | None,
    rationale: str = "",
    category: str = "",
    speaker: str | None = None,
    sources: Sequence[annotator_services.SourceInput] | None = None,
    from_model: bool = False,
) -> tuple[Decision, bool]:
    """Set the sentence's decision (`label_name` None marks it unresolved); return it and whether it is new.

    A speaker or sources left out (None) are those the reviewers who gave the decided label agree
    on, by the auto-merge's rule (`sql.agreed_on`); given, even empty, they are the curator's.
    An unresolved sentence has neither. `from_model`: the curator takes the labelling model's most
    probable label (`SentencePosterior`) instead of naming one, and the decision's provenance says
    so (`model`, with the model and the probability in `rule`). Only this explicit choice ever gives
    that provenance. The sentence's row is locked first, so two curators deciding it at once take
    turns: the later one's decision stands and both are in the history.
    """
    project = sentence.document.project
    posterior = None
    if from_model:
        posterior = SentencePosterior.objects.filter(sentence=sentence).select_related("label").first()
        if posterior is None:
            raise InvalidInput(
                "provenance", "This sentence has no model consensus yet: the project report has not run."
            )
        label_name = posterior.label.name
    label = annotator_services.find_label(project, label_name) if label_name is not None else None
    if label is None and speaker and speaker.strip():
        raise InvalidInput("speaker", "An unresolved sentence has no speaker: choose a label or leave it out.")
    if label is None and sources:
        raise InvalidInput("sources", "An unresolved sentence has no sources: choose a label or leave them out.")
    category = _check_category(project, sentence, category)
    sources = annotator_services.check_sources(sources) if label and sources is not None else sources
    with transaction.atomic():
        _lock(sentence)
        if label is None:
            speaker, sources = "", []
        elif speaker is None or sources is None:
            agreed_speaker, agreed_sources = sql.agreed_on(sentence_id=sentence.pk, label_id=label.pk)
            speaker = agreed_speaker if speaker is None else speaker
            if sources is None:
                sources = [annotator_services.SourceInput(**source) for source in agreed_sources]
        counts = dict(
            Annotation.objects.filter(sentence=sentence).values_list("label_id").annotate(n=Count("id")).order_by()
        )
        labels = sum(counts.values())
        fields = {
            "project": project,
            "label": label,
            "provenance": Provenance.MODEL
            if from_model
            else Provenance.ADJUDICATED
            if label
            else Provenance.UNRESOLVED,
            "rule": {"model": "dawid-skene", "probability": 1.0 - posterior.uncertainty} if from_model else None,
            "labels": labels,
            "share": counts.get(label.pk, 0) / labels if label and labels else None,
            "speaker": speaker.strip(),
            "rationale": rationale,
            "category": category,
            "decided_by": curator,
            "decided_at": timezone.now(),
        }
        decision, created = Decision.objects.update_or_create(sentence=sentence, defaults=fields)
        if not created:
            DecisionSource.objects.filter(decision=decision).delete()
        DecisionSource.objects.bulk_create(
            DecisionSource(decision=decision, url=s.url, title=s.title, note=s.note, position=position)
            for position, s in enumerate(sources)
        )
        DecisionEvent.objects.create(
            project=project,
            sentence=sentence,
            actor=curator,
            action=DecisionEvent.Action.DECIDED,
            data=snapshot(decision, sources),
        )
        announce_decisions_changed(project_id=project.pk)
    return decision, created


@transaction.atomic
def undecide(*, sentence: Sentence, actor) -> bool:
    """Remove the sentence's decision (it is open again); False if it had none."""
    _lock(sentence)
    decision = Decision.objects.select_related("label").filter(sentence=sentence).first()
    if decision is None:
        return False
    DecisionEvent.objects.create(
        project_id=decision.project_id,
        sentence=sentence,
        actor=actor,
        action=DecisionEvent.Action.DELETED,
        data=snapshot(decision, list(decision.sources.all())),
    )
    decision.delete()
    announce_decisions_changed(project_id=decision.project_id)
    return True


def _category_error(position: int, message: str) -> InvalidInput:
    """An error on one category, shaped as DRF shapes a list item's: {"categories": {"2": [message]}}."""
    return InvalidInput({"categories": {str(position): [message]}})


def update_settings(*, project: Project, categories: list[str] | None = None, feedback: bool | None = None):
    """Change the disagreement categories (in order) or open or close feedback to reviewers.

    Decisions keep the category text they were given: a renamed or removed category is not rewritten in them
    (nor in their history), so exports show what the curator chose.
    """
    found = CurationSettings.for_project(project)
    if categories is not None:
        cleaned = [name.strip() for name in categories]
        if len(cleaned) > MAX_CATEGORIES:
            raise InvalidInput("categories", f"At most {MAX_CATEGORIES} categories.")
        for position, name in enumerate(cleaned):
            if not name or len(name) > MAX_CATEGORY_LENGTH:
                raise _category_error(position, f"A category is 1 to {MAX_CATEGORY_LENGTH} characters.")
            if name in cleaned[:position]:
                raise _category_error(position, f"'{name}' is listed twice; each category may be listed once.")
        found.categories = cleaned
    if feedback is not None:
        found.feedback = feedback
    found.save()
    return found


def references_from_decisions(*, document: Document) -> int:
    """A training article's reference labels taken from its decided labels, rationale as explanation; how many.

    Unresolved sentences and undecided ones keep whatever reference they had.
    """
    decided = {
        sentence: (label, rationale)
        for sentence, label, rationale in Decision.objects.filter(
            sentence__document=document, label__isnull=False
        ).values_list("sentence_id", "label_id", "rationale")
    }
    if not decided:
        raise InvalidInput(
            "document", "No sentence of this article has a decided label yet: decide them on the curator page first."
        )
    return annotator_services.references_from_decisions(document=document, decisions=decided)


@transaction.atomic
def store_posteriors(*, project: Project, rows: list[SentencePosterior]) -> None:
    """Replace the project's stored posteriors with `rows` (the project report's run computes them all at once)."""
    SentencePosterior.objects.filter(project=project).delete()
    SentencePosterior.objects.bulk_create(rows, batch_size=2000)
