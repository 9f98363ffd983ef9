"""Which reviewer labels which article."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .documents import Document
from .projects import Project


class Assignment(models.Model):
    """An article given to a reviewer to label: by the assignment service when they ask for work, or by a lead.

    `touched` is when the reviewer last asked for it or labelled in it; an unfinished automatic
    assignment untouched for the project's `reclaim_after` goes back to the pool.
    """

    class Status(models.TextChoices):
        """Open until the reviewer has labelled every sentence of the article, then done."""

        OPEN = "open"
        DONE = "done"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignments")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The lead who assigned it by hand; empty when Lede assigned it.",
    )
    assigned = models.DateTimeField(default=timezone.now)
    touched = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the reviewer had labelled every sentence; empty while one is unlabelled "
        "(kept by the labelling and article services).",
    )

    class Meta:
        ordering = ["project_id", "assigned", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "reviewer"], name="one_assignment_per_reviewer_and_article")
        ]
        indexes = [
            models.Index(fields=["project", "reviewer", "assigned"]),
            models.Index(fields=["project", "touched"], condition=Q(finished__isnull=True), name="assignment_open"),
        ]

    def __str__(self) -> str:
        return f"Article {self.document_id} to {self.reviewer_id}"
