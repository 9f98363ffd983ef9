"""Projects: their label schemes, members with their roles, and outlets."""

import sys

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class Scale(models.TextChoices):
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"


class Role(models.TextChoices):
    OWNER = "owner"
    CURATOR = "curator"
    ANNOTATOR = "annotator"
    VIEWER = "viewer"


DEFAULT_LABELS = (
    {"name": "claim", "description": "A factual assertion that can be checked.", "color": "#1f77b4", "key": "1"},
    {"name": "quote", "description": "Words attributed to a speaker.", "color": "#2ca02c", "key": "2"},
    {"name": "opinion", "description": "The writer's or a source's judgement.", "color": "#d62728", "key": "3"},
)


def default_leanings() -> list[str]:
    return ["left", "centre", "right"]


class Project(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    scale = models.CharField(max_length=10, choices=Scale.choices, default=Scale.NOMINAL)
    blind = models.BooleanField(default=True, help_text="Annotators see only their own labels.")
    guidelines = models.TextField(
        blank=True, max_length=50_000, help_text="The coding guidelines in Markdown, shown on the annotation screen."
    )
    leanings = models.JSONField(
        default=default_leanings,
        blank=True,
        help_text="The political leanings an outlet may be rated with, in the order analyses show them.",
    )
    whole_quotations = models.BooleanField(
        default=False,
        help_text="Keep a quotation that spans several sentences as one unit (for articles imported afterwards).",
    )
    overlap = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many reviewers label each article (k); every reviewer labels every article when empty.",
    )
    reclaim_after = models.DurationField(
        null=True,
        blank=True,
        help_text="An unfinished article a reviewer has not touched for this long goes back to the pool; "
        "never when empty.",
    )
    training_threshold = models.FloatField(
        null=True,
        blank=True,
        help_text="The share of training sentences (0 to 1) a reviewer must label as the reference does "
        "before real articles are assigned; no gate when empty.",
    )
    alpha_min = models.FloatField(
        null=True,
        blank=True,
        help_text="The lead's own smallest acceptable alpha (0 to 1, exclusive): reports give Krippendorff's q for it "
        "beside .667 and .800 and plan the sample size with it.",
    )
    label_order_confirmed = models.BooleanField(
        default=True,
        help_text="False while the scheme's order is the one an import happened to give: a switch to an ordinal or "
        "interval scale then asks for the order.",
    )
    suggestions = models.CharField(
        max_length=3,
        choices=[("off", "off"), ("on", "on")],
        default="off",
        help_text="Whether reviewers see the project's model's suggestions (machine/).",
    )
    unassisted_share = models.FloatField(
        default=0.2,
        help_text="The share (0 to 1) of each reviewer's articles drawn, when assigned, to come without suggestions.",
    )
    retrain_after = models.PositiveIntegerField(
        null=True, blank=True, help_text="Train a new model version after this many new decisions; never when empty."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overlap__isnull=True) | Q(overlap__gte=1), name="project_overlap_positive"
            ),
            models.CheckConstraint(
                condition=Q(training_threshold__isnull=True) | Q(training_threshold__gte=0, training_threshold__lte=1),
                name="project_training_threshold_is_a_share",
            ),
            models.CheckConstraint(
                condition=Q(alpha_min__isnull=True) | Q(alpha_min__gt=0, alpha_min__lt=1),
                name="project_alpha_min_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=Q(unassisted_share__gte=0, unassisted_share__lte=1),
                name="project_unassisted_share_is_a_share",
            ),
            models.CheckConstraint(condition=Q(suggestions__in=["off", "on"]), name="project_suggestions_off_or_on"),
        ]

    def __str__(self) -> str:
        return self.name


class Label(models.Model):
    """One category of a project's scheme; `order` is the scale order for ordinal projects."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(max_length=64)
    description = models.CharField(max_length=500, blank=True)
    color = models.CharField(max_length=7, default="#777777")
    key = models.CharField(max_length=1, blank=True)
    value = models.FloatField(null=True, blank=True, help_text="Numeric value on an interval scale.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["project_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="label_name_unique_in_project"),
            models.UniqueConstraint(
                fields=["project", "key"], condition=~Q(key=""), name="label_key_unique_in_project"
            ),
            # NaN and infinity are no place on a scale, and JSON cannot carry them. Bounds, not infinity
            # literals, because SQLite has no literal for infinity (and PostgreSQL sorts NaN above all).
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=-sys.float_info.max, value__lte=sys.float_info.max),
                name="label_value_finite",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingDecision(models.TextChoices):
    """What a lead decided about a reviewer's training; by default the training gate decides."""

    GATE = "", "the gate decides"
    LET_THROUGH = "let_through", "let through by a lead"
    SENT_BACK = "sent_back", "sent back to training by a lead"


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    training_decision = models.CharField(
        max_length=12,
        choices=TrainingDecision.choices,
        default=TrainingDecision.GATE,
        blank=True,
        help_text="A lead's decision that overrides the training gate (annotator/sql/training_standing.sql).",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "user__username"]
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.project}"


class Outlet(models.Model):
    """A news outlet in a project's own list; articles name it in `Document.outlet` (matched case-insensitively).

    `leaning` is one of the project's `leanings` (or empty: unrated) and `rating_source` says who
    rated it (e.g. "AllSides, 2024"), so an analysis by leaning can say where its groups come from.
    `domain` (e.g. "foxnews.com") lets an import recognise the outlet from an article's URL.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outlets")
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, blank=True)
    country = models.CharField(max_length=100, blank=True)
    leaning = models.CharField(max_length=64, blank=True)
    rating_source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["project_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "project", name="outlet_name_unique_in_project"),
            models.UniqueConstraint(
                fields=["project", "domain"], condition=~Q(domain=""), name="outlet_domain_unique_in_project"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="outlet_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.name
