"""A project's model versions, the suggestions precomputed per article, who was drawn to work without them,
what each reviewer was shown, and labels from machine coders."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotator.jobs import Job
from annotator.models import Assignment, Document, Label, Project, Sentence


class Basis(models.TextChoices):
    """What a version learns from: the curated decisions, or each sentence's most frequent label."""

    GOLD = "gold"
    PLURALITY = "plurality"


class ModelVersion(Job):
    """One trained version of a project's model: numbered 1, 2, ... per project, with its card.

    `pipeline` holds the fitted scikit-learn pipeline, pickled by Lede's own worker (see
    `classifier.loads`: only bytes Lede wrote are ever read back). `categories` are the project's
    label names in the order of the model's category numbers when it was trained.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="model_versions")
    version = models.PositiveIntegerField()
    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.GOLD)
    card = models.JSONField(null=True, blank=True)
    categories = models.JSONField(default=list)
    pipeline = models.BinaryField(null=True, blank=True, editable=False)
    decisions_at_request = models.PositiveIntegerField(
        default=0, help_text="How many decisions the project had when this version was asked for (for retraining)."
    )

    class Meta(Job.Meta):
        ordering = ["project_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="model_version_unique_in_project")]

    def __str__(self) -> str:
        return f"Model {self.version} of project {self.project_id}"


class ArticleSuggestions(models.Model):
    """A version's suggestion for every sentence of an article, computed once when the version is ready:
    [[sentence id, label name, score], ...] in sentence order, read with the article in one row."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    model_version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="article_suggestions")
    suggestions = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model_version", "document"], name="one_suggestion_row_per_version_article")
        ]

    def __str__(self) -> str:
        return f"Suggestions of model {self.model_version_id} on article {self.document_id}"


class AssistanceDraw(models.Model):
    """Whether an assignment was drawn to come without suggestions; written by the database as the
    assignment is inserted (machine/sql/assistance_draw.sql), with the project's share at that moment."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, primary_key=True, related_name="draw")
    unassisted = models.BooleanField()
    share = models.FloatField()
    drawn = models.DateTimeField()

    def __str__(self) -> str:
        return f"Assignment {self.assignment_id}: {'unassisted' if self.unassisted else 'assisted'}"


class Exposure(models.Model):
    """One suggestion shown to one reviewer: which sentence, which version, what it said, when first shown."""

    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    model_version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="exposures")
    label = models.CharField(max_length=64)
    score = models.FloatField()
    shown = models.DateTimeField()

    class Meta:
        ordering = ["sentence_id", "reviewer_id", "model_version_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sentence", "reviewer", "model_version"], name="one_exposure_per_sentence_reviewer_version"
            )
        ]
        indexes = [models.Index(fields=["reviewer", "sentence"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.score:.2f}) shown to {self.reviewer_id} on sentence {self.sentence_id}"


class MachineLabel(models.Model):
    """A label from a declared machine coder (`model`, e.g. an LLM run elsewhere), imported from a file.

    Never a reviewer's label: no human figure reads this table."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="machine_labels")
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="machine_labels")
    model = models.CharField(max_length=200)
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(null=True, blank=True)
    imported = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "model", "sentence_id"]
        constraints = [
            models.UniqueConstraint(fields=["sentence", "model"], name="one_machine_label_per_sentence_and_model"),
            models.CheckConstraint(condition=~Q(model=""), name="machine_label_names_its_model"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1), name="machine_label_score_is_a_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model}: {self.label_id} on sentence {self.sentence_id}"
