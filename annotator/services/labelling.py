"""Reviewers' labels: setting one on a sentence (with its sources and history event) and removing it."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from annotator.errors import InvalidInput
from annotator.models import Annotation, AnnotationEvent, Label, Project, Sentence, Source
from annotator.models.annotations import MAX_LABEL_SECONDS
from annotator.signals import announce_labels_changed
from annotator.sql import delete_sources, upsert_annotation
from annotator.validation import check_web_url

from .assignments import after_label_removed
from .training import check_may_label, refusal

MAX_SOURCES = 50


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str = ""
    note: str = ""


def check_sources(sources: Sequence[SourceInput]) -> list[SourceInput]:
    """The sources with their URLs checked and stripped; an InvalidInput names the one at fault."""
    if len(sources) > MAX_SOURCES:
        raise InvalidInput("sources", f"At most {MAX_SOURCES} sources can be attached to one label.")
    return [
        SourceInput(
            url=check_web_url(source.url, field=f"sources[{position}].url"), title=source.title, note=source.note
        )
        for position, source in enumerate(sources)
    ]


def snapshot(annotation: Annotation, sources: Sequence[SourceInput]) -> dict:
    """What a history event records of an annotation: its label, speaker, note and sources."""
    return history_data(annotation.label.name, annotation.speaker, annotation.note, sources)


def history_data(label_name: str, speaker: str, note: str, sources: Sequence[SourceInput]) -> dict:
    """`snapshot` of an annotation not read back yet."""
    return {
        "label": label_name,
        "speaker": speaker,
        "note": note,
        "sources": [{"url": s.url, "title": s.title, "note": s.note} for s in sources],
    }


def _unknown_label(project: Project, name: str) -> InvalidInput:
    names = ", ".join(project.labels.values_list("name", flat=True))
    return InvalidInput("label", f"'{name}' is not a label of this project; use one of: {names}.")


def find_label(project: Project, name: str) -> Label:
    label = Label.objects.filter(project=project, name=name).first()
    if label is None:
        raise _unknown_label(project, name)
    return label


def label_sentence(
    *,
    sentence: Sentence,
    annotator,
    label_name: str,
    sources: Sequence[SourceInput] = (),
    speaker: str = "",
    note: str = "",
    seconds: float | None = None,
    actor=None,
) -> tuple[Annotation, bool]:
    """Set `annotator`'s label on `sentence`, replacing any earlier one; return it and whether it is new.

    The busiest write: one statement (`annotator.sql.upsert_annotation`) that asks the study design
    (`lede_may_label()`: a 403 saying why, nothing written, when it refuses), writes the label, records the
    history event and, for a new label, finishes the reviewer's assignment of the article once every
    sentence is labelled (`Assignment.finished` is kept exact for the pages that count done work); then the
    sources.
    The annotation returned carries its sentence, annotator, label and sources, so that the
    caller can show it without reading it back.
    """
    project = sentence.document.project
    seconds = check_seconds(seconds)
    try:
        sources = check_sources(sources)
    except InvalidInput:
        find_label(project, label_name)  # an unknown label is reported first, as it always was
        raise
    speaker = speaker.strip()
    now = timezone.now()
    with transaction.atomic():
        saved = upsert_annotation(
            sentence_id=sentence.pk,
            document_id=sentence.document_id,
            annotator_id=annotator.pk,
            project_id=project.pk,
            label_name=label_name,
            speaker=speaker,
            note=note,
            seconds=seconds,
            now=now,
            actor_id=(actor or annotator).pk,
            history=history_data(label_name, speaker, note, sources),
        )
        if saved.refused is not None:
            raise refusal(saved.refused)
        if saved.id is None:
            raise _unknown_label(project, label_name)
        created = saved.created == now
        label = Label(
            id=saved.label_id,
            project=project,
            name=saved.label_name,
            description=saved.label_description,
            color=saved.label_color,
            key=saved.label_key,
            value=saved.label_value,
            order=saved.label_order,
        )
        annotation = Annotation(
            id=saved.id,
            sentence=sentence,
            annotator=annotator,
            label=label,
            speaker=speaker,
            note=note,
            seconds=saved.seconds,
            created=saved.created,
            updated=now,
        )
        if not created:
            # A statement of its own, not a subquery of the upsert: after waiting for another save of
            # this label (a second tab), only a new statement sees the sources that save committed.
            delete_sources(saved.id)
        saved_sources = []
        if sources:
            saved_sources = Source.objects.bulk_create(
                Source(annotation=annotation, url=s.url, title=s.title, note=s.note, position=position)
                for position, s in enumerate(sources)
            )
        annotation._prefetched_objects_cache = {"sources": saved_sources}
        announce_labels_changed(project_id=project.pk, document_ids=[sentence.document_id])
    return annotation, created


def check_seconds(seconds: float | None) -> float | None:
    """The active time given with a label, to a tenth of a second; None when not measured.

    Never negative, and at most MAX_LABEL_SECONDS (which the database's constraint holds too): a
    screen counts only the time a reviewer is active on a sentence, not the hours a tab stays open.
    """
    if seconds is None:
        return None
    if not math.isfinite(seconds) or seconds < 0:
        raise InvalidInput("seconds", "Give the active seconds as a number of 0 or more.")
    if seconds > MAX_LABEL_SECONDS:
        raise InvalidInput("seconds", f"Active time is counted up to {MAX_LABEL_SECONDS} seconds a sentence.")
    return round(seconds, 1)


@transaction.atomic
def delete_annotation(*, sentence: Sentence, annotator, actor=None) -> bool:
    """Remove `annotator`'s label on `sentence`; return False if there was none. The study design refuses it
    as it refuses a label (`lede_may_label()`)."""
    check_may_label(document_id=sentence.document_id, reviewer_id=annotator.pk)
    annotation = (
        Annotation.objects.select_for_update()
        .select_related("label")
        .filter(sentence=sentence, annotator=annotator)
        .first()
    )
    if annotation is None:
        return False
    sources = [SourceInput(url=s.url, title=s.title, note=s.note) for s in annotation.sources.all()]
    AnnotationEvent.objects.create(
        project_id=sentence.document.project_id,
        sentence=sentence,
        annotator=annotator,
        actor=actor or annotator,
        action=AnnotationEvent.Action.DELETED,
        data=snapshot(annotation, sources),
    )
    annotation.delete()
    project_id, document_id = sentence.document.project_id, sentence.document_id
    after_label_removed(document_id=document_id, reviewer_id=annotator.pk)
    announce_labels_changed(project_id=project_id, document_ids=[document_id])
    return True
