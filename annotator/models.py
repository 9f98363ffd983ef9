"""Projects, their members and label schemes, articles split into sentences, and reviewers' labels."""

import sys

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from .jobs import Job


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


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
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


class Annotation(models.Model):
    """One reviewer's label on one sentence (at most one: a database constraint)."""

    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="annotations")
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations")
    # RESTRICT, not PROTECT: a used label cannot be deleted on its own, but deleting the project
    # (which deletes its annotations too) must not be blocked by it.
    label = models.ForeignKey(Label, on_delete=models.RESTRICT, related_name="annotations")
    speaker = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True, max_length=5000)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sentence_id", "annotator_id"]
        constraints = [
            models.UniqueConstraint(fields=["sentence", "annotator"], name="one_label_per_reviewer_and_sentence")
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
    who deleted it, and how many labels by how many reviewers went with it.
    """

    class Action(models.TextChoices):
        CREATED = "created"
        UPDATED = "updated"
        DELETED = "deleted"
        DOCUMENT_DELETED = "document_deleted"

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
                condition=Q(action="document_deleted") | Q(sentence__isnull=False, annotator__isnull=False),
                name="label_event_names_sentence_and_reviewer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"


class ArticleImport(Job):
    """A bulk import of articles (JSONL) that a worker splits into sentences and saves, all or none.

    `processed` counts the articles split so far, of `articles` (splitting is 0-90 of `progress`,
    saving the rest); `documents` holds the ids created once it is ready; `error` names the
    article at fault, a message a line, when it failed (then nothing was saved). The uploaded
    file is kept under MEDIA_ROOT/imports/ until the import finishes.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="article_imports")
    file = models.FileField(upload_to="imports/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    articles = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    documents = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Import {self.pk} of project {self.project_id}: {self.status}"


class Invitation(models.Model):
    """A link that lets whoever opens it join `project` with `role`, without an admin making their account.

    `token` is the link's only secret, kept readable so that owners can copy the link again. A link
    stops working once revoked, past `expires`, or after `max_uses` people have joined with it.
    """

    class Status(models.TextChoices):
        ACTIVE = "active"
        EXPIRED = "expired"
        USED_UP = "used_up"
        REVOKED = "revoked"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=10, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True, help_text="After this the link no longer works.")
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="How many people may join with it.")
    uses = models.PositiveIntegerField(default=0)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(max_uses__gte=1), name="invitation_max_uses_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses__lte=models.F("max_uses")),
                name="invitation_uses_within_max",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.project_id} as {self.role}"

    @property
    def closed_reason(self) -> str:
        """Why the link no longer works, in words for the person who opened it; empty while it works."""
        return {
            self.Status.ACTIVE: "",
            self.Status.EXPIRED: "This invitation link has expired.",
            self.Status.USED_UP: "This invitation link has been used as many times as it allows.",
            self.Status.REVOKED: "This invitation link was revoked by the project's owner.",
        }[self.status]

    @property
    def status(self) -> str:
        if self.revoked:
            return self.Status.REVOKED
        if self.expires is not None and self.expires <= timezone.now():
            return self.Status.EXPIRED
        if self.max_uses is not None and self.uses >= self.max_uses:
            return self.Status.USED_UP
        return self.Status.ACTIVE


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


class ReferenceLabel(models.Model):
    """The right label of a training sentence and why, shown to a reviewer in training after they answer."""

    sentence = models.OneToOneField(Sentence, on_delete=models.CASCADE, related_name="reference")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    explanation = models.TextField(blank=True, max_length=5000)

    def __str__(self) -> str:
        return f"Reference for sentence {self.sentence_id}"
