"""Articles and the sentences they are split into."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .projects import Project


class Document(models.Model):
    """An imported article; `text` is the plain body that sentence offsets point into."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    # Room for a news page's address as the id (BABE's run to 283 characters); at most 4 bytes a
    # character, a key still fits PostgreSQL's 2,704-byte limit on an entry of the (project, key) index.
    key = models.CharField(max_length=600, blank=True, help_text="The document's id in an imported dataset.")
    title = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=300, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    published = models.DateField(null=True, blank=True)
    topics = models.JSONField(default=list, blank=True, help_text="Topic tags, a list of short strings.")
    attributes = models.JSONField(
        default=dict, blank=True, help_text="Free key-value fields (strings) that a study records per article."
    )
    format = models.CharField(max_length=10, default="text")
    text = models.TextField()
    removed = models.JSONField(
        default=list,
        blank=True,
        help_text="Spans of `text` kept out of the sentences: [{start, end, reason}], e.g. copyright or share lines.",
    )
    calibration = models.BooleanField(
        default=False, help_text="Every reviewer labels it, whatever the overlap; its agreement is reported apart."
    )
    training = models.BooleanField(
        default=False,
        help_text="Labelled for practice against reference labels; its labels never enter agreement, exports or gold.",
    )
    coverage = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="How many reviewers the article is assigned to (kept by the assignment service).",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "id"]
        indexes = [
            models.Index(fields=["project", "key"]),
            # The assignment service walks a project's ordinary articles least-covered first.
            models.Index(
                fields=["project", "coverage", "id"],
                condition=Q(calibration=False, training=False),
                name="document_pool",
            ),
            # Every request for work looks for training and calibration articles first.
            models.Index(fields=["project", "id"], condition=Q(training=True), name="document_training"),
            models.Index(fields=["project", "id"], condition=Q(calibration=True), name="document_calibration"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(calibration=True, training=True), name="document_calibration_or_training"
            )
        ]

    def __str__(self) -> str:
        return self.title or f"Document {self.pk}"

    def removed_lines(self) -> list[dict]:
        """Each span of `removed` with its text, in article order."""
        return [{**span, "text": self.text[span["start"] : span["end"]]} for span in self.removed]


class Sentence(models.Model):
    """A unit of annotation.

    `text` repeats `document.text[start:end]`: articles never change after import, and keeping
    the sentence beside its offsets lets exports and lists read sentences without loading
    whole articles.
    """

    # No index of its own: the unique (document, index) constraint's index finds a document's sentences,
    # and a bulk import writes one index fewer for each of its hundred thousand sentences.
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sentences", db_index=False)
    index = models.PositiveIntegerField()
    paragraph = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    key = models.CharField(max_length=200, blank=True, help_text="The unit's id in an imported dataset.")

    class Meta:
        ordering = ["document_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["document", "index"], name="sentence_index_unique_in_document"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="sentence_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
