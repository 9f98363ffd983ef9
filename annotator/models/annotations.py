"""Reviewers' labels with their sources, the history of every change, and training's reference labels."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .documents import Sentence
from .projects import Label, Project

# The longest active time a label's `seconds` may hold: a reviewer is idle long before an hour on one sentence.
MAX_LABEL_SECONDS = 3600


class Annotation(models.Model):
    """One reviewer's label on one sentence (at most one: a database constraint)."""

    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="annotations")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations")
    # RESTRICT, not PROTECT: a used label cannot be deleted on its own, but deleting the project
    # (which deletes its annotations too) must not be blocked by it.
    label = models.ForeignKey(Label, on_delete=models.RESTRICT, related_name="annotations")
    speaker = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True, max_length=5000)
    seconds = models.FloatField(
        null=True,
        blank=True,
        help_text="Active time the reviewer spent on the sentence before this label (tab visible, not idle); "
        "null when not measured.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sentence_id", "annotator_id"]
        constraints = [
            models.UniqueConstraint(fields=["sentence", "annotator"], name="one_label_per_reviewer_and_sentence"),
            models.CheckConstraint(
                condition=Q(seconds__gte=0, seconds__lte=MAX_LABEL_SECONDS), name="label_seconds_in_range"
            ),
        ]
        indexes = [models.Index(fields=["annotator", "sentence"]), models.Index(fields=["updated"])]

    def __str__(self) -> str:
        return f"{self.annotator_id} on sentence {self.sentence_id}"


class SourceFields(models.Model):
    """A web address with an optional title and note, in its place in a list: what a reviewer's label
    and a curator's decision cite alike."""

    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.url


class Source(SourceFields):
    """Evidence attached to an annotation."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="sources")

    class Meta:
        ordering = ["annotation_id", "position", "id"]


class AnnotationEvent(models.Model):
    """History of every label change: who changed whose label on which sentence, when, to what.

    Deleting an article removes its sentences, their labels and their events; one event without a
    sentence or reviewer (`document_deleted`) keeps in the project's history which article went,
    who deleted it, and how many labels by how many reviewers went with it. A lead letting a reviewer
    through training or sending them back (`let_through`, `sent_back`) is an event of the reviewer
    without a sentence, with the reviewer's training figures at the time in `data`.
    """

    class Action(models.TextChoices):
        CREATED = "created"
        UPDATED = "updated"
        DELETED = "deleted"
        DOCUMENT_DELETED = "document_deleted"
        LET_THROUGH = "let_through"
        SENT_BACK = "sent_back"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="annotation_events")
    sentence = models.ForeignKey(Sentence, null=True, on_delete=models.CASCADE, related_name="annotation_events")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    data = models.JSONField(default=dict, help_text="The annotation after the change (before it, for a deletion).")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["project", "-at"]), models.Index(fields=["sentence", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(action="document_deleted")
                | Q(action__in=["let_through", "sent_back"], annotator__isnull=False)
                | Q(sentence__isnull=False, annotator__isnull=False),
                name="label_event_names_sentence_and_reviewer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"


class ReferenceLabel(models.Model):
    """The right label of a training sentence and why, shown to a reviewer in training after they answer."""

    sentence = models.OneToOneField(Sentence, on_delete=models.CASCADE, related_name="reference")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    explanation = models.TextField(blank=True, max_length=5000)

    def __str__(self) -> str:
        return f"Reference for sentence {self.sentence_id}"


class TrainingAnswer(models.Model):
    """A reviewer's first answer on a training sentence, fixed when its reference was first shown to them.

    The reviewer may change their label afterwards for practice; the training gate counts this one
    (annotator/sql/training_standing.sql).
    """

    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="training_answers")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    fixed = models.DateTimeField(help_text="When the reference was first shown to the reviewer.")

    class Meta:
        ordering = ["sentence_id", "reviewer_id"]
        constraints = [
            models.UniqueConstraint(fields=["sentence", "reviewer"], name="one_first_answer_per_reviewer_and_sentence")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id}'s first answer on sentence {self.sentence_id}"
