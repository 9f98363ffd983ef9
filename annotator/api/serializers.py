"""Shapes of the API: they validate types and translate; services decide."""

import datetime

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotator.models import (
    Annotation,
    AnnotationEvent,
    ArticleImport,
    Assignment,
    Document,
    Invitation,
    Label,
    Membership,
    Outlet,
    Project,
    ReferenceLabel,
    Role,
    Scale,
    Sentence,
)
from annotator.services import ArticleInput, SourceInput
from annotator.services.articles import AUTO_FORMAT
from annotator.services.invitations import DEFAULT_INVITATION_USES
from annotator.text import tables
from annotator.validation import MAX_URL_LENGTH
from lede.converters import MAX_ID

# Far above any study's team; keeps the number inside the database column.
MAX_INVITATION_USES = 100_000
MAX_OVERLAP = 10_000


class LabelSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="In a PATCH of the scheme: the label to update, so that a rename keeps its annotations. "
        "Without it a label is matched by name, else added.",
    )
    color = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}$", required=False, error_messages={"invalid": "Use a colour like #1f77b4."}
    )
    key = serializers.CharField(max_length=1, required=False, allow_blank=True)

    class Meta:
        model = Label
        fields = ["id", "name", "description", "color", "key", "value"]
        # Uniqueness is checked across the whole scheme by the service, not per label.
        validators = []


class ProjectSerializer(serializers.ModelSerializer):
    labels = LabelSerializer(many=True, required=False, source="label_list")
    role = serializers.CharField(read_only=True, help_text="Your role in this project.")
    scale = serializers.ChoiceField(choices=Scale.choices, required=False)
    leanings = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        max_length=20,
        help_text="The leanings an outlet may be rated with, in the order analyses show them.",
    )
    overlap = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_OVERLAP,
        help_text="How many reviewers label each article (k); every reviewer labels every article when null.",
    )
    reclaim_after = serializers.DurationField(
        required=False,
        allow_null=True,
        min_value=datetime.timedelta(minutes=1),
        max_value=datetime.timedelta(days=365),
        help_text="An unfinished article its reviewer has not touched for this long (e.g. `2 00:00:00`, two days) "
        "goes back to the pool; never when null.",
    )
    training_threshold = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=1,
        help_text="The share of training sentences (0 to 1) a reviewer must label as the reference does before "
        "real articles are assigned; no gate when null.",
    )
    alpha_min = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=0.01,
        max_value=0.99,
        help_text="Your own smallest acceptable alpha: the agreement report gives Krippendorff's q for it beside "
        ".667 and .800 and plans the sample size with it; .800 for planning when null.",
    )
    suggestions = serializers.ChoiceField(
        choices=["off", "on"], required=False, help_text="Whether reviewers see the project model's suggestions."
    )
    unassisted_share = serializers.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        help_text="The share of each reviewer's articles, drawn when assigned, that come without suggestions.",
    )
    retrain_after = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="Train a new model version after this many new decisions; never when null.",
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "description",
            "scale",
            "blind",
            "guidelines",
            "leanings",
            "whole_quotations",
            "overlap",
            "reclaim_after",
            "training_threshold",
            "alpha_min",
            "suggestions",
            "unassisted_share",
            "retrain_after",
            "labels",
            "role",
            "created",
            "updated",
        ]
        read_only_fields = ["id", "role", "created", "updated"]


class OutletSerializer(serializers.ModelSerializer):
    """An outlet of the project's list; `leaning` is one of the project's leanings or empty."""

    class Meta:
        model = Outlet
        fields = ["id", "name", "domain", "country", "leaning", "rating_source"]
        # Uniqueness of names (in any case) and domains is the service's to check and explain.
        validators = []


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["username", "role", "created"]
        read_only_fields = ["created"]


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation link: send `url` to the people who should join; anyone who opens it may join with `role`."""

    role = serializers.ChoiceField(choices=Role.choices)
    expires = serializers.DateTimeField(
        required=False, allow_null=True, help_text="When the link stops working; never when empty."
    )
    max_uses = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_INVITATION_USES,
        help_text=f"How many people may join with the link: {DEFAULT_INVITATION_USES} if not given; null: any number.",
    )
    status = serializers.ChoiceField(choices=Invitation.Status.choices, read_only=True)
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)
    url = serializers.SerializerMethodField(help_text="The join page's address: the link to send.")

    class Meta:
        model = Invitation
        fields = ["id", "role", "expires", "max_uses", "uses", "status", "url", "created_by", "created"]
        read_only_fields = ["id", "uses", "status", "url", "created_by", "created"]

    def get_url(self, invitation: Invitation) -> str:
        return self.context["request"].build_absolute_uri(reverse("frontend:join", kwargs={"token": invitation.token}))


class SentenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sentence
        fields = ["id", "index", "paragraph", "start", "end", "text"]


# What a list of articles and one article both show.
DOCUMENT_FIELDS = (
    "id", "project", "key", "title", "author", "outlet", "url", "published", "calibration", "training",
)  # fmt: skip


class DocumentListSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="The article's web address; empty when unknown.")
    sentence_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Document
        fields = [*DOCUMENT_FIELDS, "topics", "attributes", "sentence_count", "created"]


class RemovedSpanSerializer(serializers.Serializer):
    """Text of the article kept out of the sentences: `text[start:end]`, and what it looked like."""

    start = serializers.IntegerField()
    end = serializers.IntegerField()
    reason = serializers.ChoiceField(
        choices=["copyright", "newsletter", "share", "contact", "link", "byline", "dateline"]
    )


class RestoreSerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, help_text="The `start` of one of the document's `removed` spans.")


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="The article's web address; empty when unknown.")
    sentences = SentenceSerializer(many=True, read_only=True)
    removed = RemovedSpanSerializer(
        many=True, read_only=True, help_text="Lines kept out of the sentences (copyright, share lines, links...)."
    )

    class Meta:
        model = Document
        fields = [*DOCUMENT_FIELDS, "topics", "attributes", "format", "text", "sentences", "removed"]
        read_only_fields = ["calibration", "training"]


class DocumentMetadataSerializer(serializers.Serializer):
    """What is known about an article besides its text: given on import, changed with PATCH."""

    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    author = serializers.CharField(required=False, allow_blank=True, max_length=300)
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=200)
    url = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_URL_LENGTH, help_text="An http or https URL, or empty."
    )
    published = serializers.DateField(required=False, allow_null=True)
    topics = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=20, help_text="Topic tags."
    )
    attributes = serializers.DictField(
        child=serializers.CharField(max_length=1000, allow_blank=True),
        required=False,
        help_text='Free key-value fields, e.g. {"section": "politics"}.',
    )

    def validate(self, attrs):
        """A field that cannot be changed (the text, whose sentences are labelled) is refused, not ignored."""
        fixed = sorted(set(self.initial_data) - set(self.fields))
        if fixed:
            changeable = ", ".join(self.fields)
            raise serializers.ValidationError(
                {name: f"This cannot be changed; only {changeable} can." for name in fixed}
            )
        return attrs


class DocumentChangeSerializer(DocumentMetadataSerializer):
    """A PATCH of an article: its metadata, and its place in the study's design."""

    calibration = serializers.BooleanField(
        required=False, help_text="In the calibration set: every reviewer labels it; its agreement is reported apart."
    )
    training = serializers.BooleanField(
        required=False,
        help_text="For training: reviewers label it first and see the reference labels; its labels never enter "
        "agreement, exports or gold.",
    )


class ArticleSerializer(DocumentMetadataSerializer):
    """One article to import: its body as `text` (JSON), as an uploaded `file` (multipart), or only
    its `url`, which the server then fetches (public http/https pages only)."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False, write_only=True)
    format = serializers.ChoiceField(
        choices=[AUTO_FORMAT, "text", "markdown", "html"],
        required=False,
        help_text="`auto` (or absent): from the file's extension, else recognised from the text.",
    )
    key = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate(self, attrs):
        if "text" in attrs and "file" in attrs:
            raise serializers.ValidationError({"file": "Send the article as 'text' or as 'file', not both."})
        if "text" not in attrs and "file" not in attrs and not attrs.get("url", "").strip():
            raise serializers.ValidationError(
                {"text": "Send the article as 'text' (JSON), as 'file' (multipart), or give its 'url' to fetch."}
            )
        refused = tables.one_article_refused(getattr(attrs.get("file"), "name", "") or "")
        if refused:
            raise serializers.ValidationError({"file": refused})
        return attrs

    def to_article(self, text: str, fetched_format: str = "", text_field: str = "text") -> ArticleInput:
        data = self.validated_data
        fmt = data.get("format", AUTO_FORMAT)
        if fmt == AUTO_FORMAT:
            fmt = fetched_format or format_of_file(data.get("file"))
        return ArticleInput(
            text=text,
            format=fmt,
            title=data.get("title", ""),
            author=data.get("author", ""),
            outlet=data.get("outlet", ""),
            url=data.get("url", ""),
            published=data.get("published"),
            key=data.get("key", ""),
            topics=data.get("topics", []),
            attributes=data.get("attributes", {}),
            text_field=text_field,
        )


def format_of_file(upload) -> str:
    """The format an uploaded file's extension names; `auto` (recognised from the text) for pasted text
    or an extension that names none."""
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    if name.endswith(".txt"):
        return "text"
    return AUTO_FORMAT


class BulkImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A list of articles: CSV or TSV (UTF-8, a header row naming the columns: `text`, and any of "
        "`title`, `outlet`, `url`, `author`, `published`, `topics`, `calibration`, `training`), a JSON array of "
        "objects with those fields, or JSONL (one object a line). The kind is read from the file's name "
        "(.csv, .tsv, .json, .jsonl); any other kind of file is refused."
    )


class ImportWaitSerializer(serializers.Serializer):
    wait = serializers.FloatField(
        required=False,
        default=0,
        min_value=0,
        max_value=30,
        help_text="Seconds to wait for the import to finish before answering (at most 30): the answer comes "
        "as soon as it is ready or failed, so a client need not poll at an interval of its own.",
    )


class ImportErrorField(serializers.JSONField):
    """Why an import failed, on the field a 400 would name (the upload's `file`, or the page's `url`); the job
    stores a message a line."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, job: ArticleImport) -> dict[str, list[str]] | None:
        return {"url" if job.url else "file": job.error.split("\n")} if job.error else None


class ArticleImportSerializer(serializers.ModelSerializer):
    """An import's state: poll `status_url` until `status` is `ready` (or `failed`, with `error`).

    A bulk file's import names its `file_name`; a page's import its `url` (`file_name` then holds the
    address too, so that a list of imports names each), with one article to make."""

    progress = serializers.IntegerField(read_only=True, help_text="0 to 100; splitting is 0-90, saving 90-100.")
    created = serializers.SerializerMethodField(help_text="How many documents the import created (once ready).")
    error = ImportErrorField(read_only=True, allow_null=True)
    requested_at = serializers.DateTimeField(source="requested", read_only=True)
    stalled_since = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Set while no worker has worked on the import since this moment."
    )
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = ArticleImport
        fields = [
            "id",
            "status",
            "file_name",
            "url",
            "articles",
            "processed",
            "progress",
            "created",
            "documents",
            "error",
            "requested_at",
            "finished",
            "stalled_since",
            "status_url",
        ]
        read_only_fields = fields

    def get_created(self, job: ArticleImport) -> int:
        return len(job.documents)

    def get_status_url(self, job: ArticleImport) -> str:
        path = reverse("article-import-detail", kwargs={"project_id": job.project_id, "pk": job.pk})
        return self.context["request"].build_absolute_uri(path)


class SourceSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=None, trim_whitespace=True, help_text="An http or https URL.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def to_representation(self, instance):
        return {"url": instance.url, "title": instance.title, "note": instance.note}


class SecondsField(serializers.FloatField):
    """A number of seconds: JSON's true and false are not numbers, though Python counts them as 1 and 0."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class AnnotationWriteSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=64)
    sources = SourceSerializer(many=True, required=False, default=list)
    speaker = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    seconds = SecondsField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Active seconds the reviewer spent on the sentence (0 to 3600); absent or null keeps the earlier.",
    )

    def source_inputs(self) -> list[SourceInput]:
        return [SourceInput(**source) for source in self.validated_data["sources"]]


_DATETIME = serializers.DateTimeField()


class AnnotationSerializer(serializers.ModelSerializer):
    """A reviewer's label, addressed by its sentence and reviewer (`/sentences/{id}/annotation/`).

    It has no `id`: annotation ids come from one sequence for the whole instance, so the gap
    between two ids an annotator of a blind project receives would count the labels everyone
    else saved meanwhile, which is what a blind project hides. No endpoint takes one.
    """

    annotator = serializers.CharField(source="annotator.username")
    label = serializers.CharField(source="label.name")
    sources = SourceSerializer(many=True)
    document = serializers.IntegerField(source="sentence.document_id")

    class Meta:
        model = Annotation
        fields = [
            "sentence",
            "document",
            "annotator",
            "label",
            "sources",
            "speaker",
            "note",
            "seconds",
            "created",
            "updated",
        ]

    def to_representation(self, instance):
        """What the declared fields give, written out: a ModelSerializer builds its fields from the model for
        every serializer made, a sizeable part of the CPU of a label save, which answers with one."""
        return {
            "sentence": instance.sentence_id,
            "document": instance.sentence.document_id,
            "annotator": instance.annotator.username,
            "label": instance.label.name,
            "sources": [{"url": s.url, "title": s.title, "note": s.note} for s in instance.sources.all()],
            "speaker": instance.speaker,
            "note": instance.note,
            "seconds": instance.seconds,
            "created": _DATETIME.to_representation(instance.created),
            "updated": _DATETIME.to_representation(instance.updated),
        }


class AnnotationEventSerializer(serializers.ModelSerializer):
    """A change in the history; a deleted article's event has no sentence or reviewer, and `data` names the
    article (`document`, `title`, `key`) and the `labels` and `reviewers` that went with it. A lead's decision
    on a reviewer's training (`let_through`, `sent_back`) names the reviewer and no sentence; `data` holds
    their training figures then (`agreed`, `total`, `threshold`)."""

    annotator = serializers.CharField(source="annotator.username", default=None)
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = AnnotationEvent
        fields = ["id", "sentence", "annotator", "actor", "action", "data", "at"]


class AssignmentSerializer(serializers.ModelSerializer):
    """An article given to a reviewer: `done` once they have labelled every sentence of it."""

    document = serializers.IntegerField(source="document_id", read_only=True)
    title = serializers.CharField(source="document.title", read_only=True)
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)
    assigned_by = serializers.CharField(
        source="assigned_by.username",
        default=None,
        read_only=True,
        allow_null=True,
        help_text="The lead who assigned it; null: Lede.",
    )
    calibration = serializers.BooleanField(source="document.calibration", read_only=True)
    training = serializers.BooleanField(source="document.training", read_only=True)
    sentence_count = serializers.IntegerField(read_only=True)
    labelled = serializers.IntegerField(read_only=True, help_text="The reviewer's labels on the article.")
    done = serializers.BooleanField(read_only=True)
    annotate_url = serializers.SerializerMethodField(help_text="The page where the reviewer labels it.")

    class Meta:
        model = Assignment
        fields = [
            "id",
            "document",
            "title",
            "reviewer",
            "assigned_by",
            "calibration",
            "training",
            "sentence_count",
            "labelled",
            "done",
            "assigned",
            "touched",
            "annotate_url",
        ]
        read_only_fields = fields

    def get_annotate_url(self, assignment: Assignment) -> str:
        path = reverse("frontend:annotate", kwargs={"pk": assignment.document_id})
        return self.context["request"].build_absolute_uri(path)


class DocumentReferenceSerializer(serializers.ModelSerializer):
    """A training article's reference label of one sentence, which `position` (1 for the first) names in a file."""

    position = serializers.SerializerMethodField()
    label = serializers.CharField(source="label.name")

    class Meta:
        model = ReferenceLabel
        fields = ["sentence", "position", "label", "explanation"]
        read_only_fields = fields

    def get_position(self, reference: ReferenceLabel) -> int:
        return reference.sentence.index + 1


class TrainingDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=["let_through", "sent_back"],
        help_text="let_through: the reviewer labels real articles whatever their training figures; sent_back: "
        "they label only training articles until a lead lets them through.",
    )


class ReferenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV with a header `sentence,label,explanation`, or JSONL with those keys; `sentence` is the "
        "sentence's number in the article (1 for the first)."
    )


class ReferenceLabelSerializer(serializers.ModelSerializer):
    """The right label of a training sentence and why."""

    label = serializers.CharField(source="label.name", max_length=64)
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    first_answer = serializers.SerializerMethodField(
        help_text="The caller's first answer on the sentence, fixed when the reference was first shown to them: "
        "what the training gate counts. Null when they have not labelled it."
    )

    class Meta:
        model = ReferenceLabel
        fields = ["sentence", "label", "explanation", "first_answer"]
        read_only_fields = ["sentence"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_first_answer(self, reference) -> str | None:
        return getattr(reference, "first_answer", None)
