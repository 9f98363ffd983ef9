"""Shapes of the API: they validate types and translate; services decide."""

from django.urls import reverse
from rest_framework import serializers

from annotator.models import (
    Annotation,
    AnnotationEvent,
    ArticleImport,
    Document,
    Label,
    Membership,
    Project,
    Role,
    Scale,
    Sentence,
)
from annotator.services import ArticleInput, SourceInput
from annotator.validation import MAX_URL_LENGTH


class LabelSerializer(serializers.ModelSerializer):
    color = serializers.RegexField(
        r"^#[0-9a-fA-F]{6}$", required=False, error_messages={"invalid": "Use a colour like #1f77b4."}
    )
    key = serializers.CharField(max_length=1, required=False, allow_blank=True)

    class Meta:
        model = Label
        fields = ["id", "name", "description", "color", "key", "value"]
        read_only_fields = ["id"]
        # Uniqueness is checked across the whole scheme by the service, not per label.
        validators = []


class ProjectSerializer(serializers.ModelSerializer):
    labels = LabelSerializer(many=True, required=False, source="label_list")
    role = serializers.CharField(read_only=True, help_text="Your role in this project.")
    scale = serializers.ChoiceField(choices=Scale.choices, required=False)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "description",
            "scale",
            "blind",
            "whole_quotations",
            "labels",
            "role",
            "created",
            "updated",
        ]
        read_only_fields = ["id", "role", "created", "updated"]


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["username", "role", "created"]
        read_only_fields = ["created"]


class SentenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sentence
        fields = ["id", "index", "paragraph", "start", "end", "text"]


class DocumentListSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="The article's web address; empty when unknown.")
    sentence_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Document
        fields = ["id", "project", "key", "title", "author", "outlet", "url", "published", "sentence_count", "created"]


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
        fields = [
            "id",
            "project",
            "key",
            "title",
            "author",
            "outlet",
            "url",
            "published",
            "format",
            "text",
            "sentences",
            "removed",
        ]


class ArticleSerializer(serializers.Serializer):
    """One article to import: its body as `text` (JSON), as an uploaded `file` (multipart), or only
    its `url`, which the server then fetches (public http/https pages only)."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False, write_only=True)
    format = serializers.ChoiceField(choices=["text", "markdown", "html"], required=False)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    author = serializers.CharField(required=False, allow_blank=True, max_length=300)
    outlet = serializers.CharField(required=False, allow_blank=True, max_length=200)
    url = serializers.CharField(required=False, allow_blank=True, max_length=MAX_URL_LENGTH)
    published = serializers.DateField(required=False, allow_null=True)
    key = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate(self, attrs):
        if "text" in attrs and "file" in attrs:
            raise serializers.ValidationError({"file": "Send the article as 'text' or as 'file', not both."})
        if "text" not in attrs and "file" not in attrs and not attrs.get("url", "").strip():
            raise serializers.ValidationError(
                {"text": "Send the article as 'text' (JSON), as 'file' (multipart), or give its 'url' to fetch."}
            )
        return attrs

    def to_article(self, text: str, fetched_format: str = "") -> ArticleInput:
        data = self.validated_data
        fmt = data.get("format") or fetched_format or guess_format(data.get("file"))
        return ArticleInput(
            text=text,
            format=fmt,
            title=data.get("title", ""),
            author=data.get("author", ""),
            outlet=data.get("outlet", ""),
            url=data.get("url", ""),
            published=data.get("published"),
            key=data.get("key", ""),
        )


def guess_format(upload) -> str:
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    return "text"


class BulkImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A JSONL file: one JSON object per line with 'text' and optional metadata.")


class ImportErrorField(serializers.JSONField):
    """Why an import failed, on the upload's `file` field as a 400 names it; the job stores a message a line."""

    def to_representation(self, value: str) -> dict[str, list[str]] | None:
        return {"file": value.split("\n")} if value else None


class ArticleImportSerializer(serializers.ModelSerializer):
    """A bulk import's state: poll `status_url` until `status` is `ready` (or `failed`, with `error`)."""

    progress = serializers.IntegerField(read_only=True, help_text="0 to 100; splitting is 0-90, saving 90-100.")
    created = serializers.SerializerMethodField(help_text="How many documents the import created (once ready).")
    error = ImportErrorField(read_only=True, allow_null=True)
    requested_at = serializers.DateTimeField(source="requested", read_only=True)
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = ArticleImport
        fields = [
            "id",
            "status",
            "file_name",
            "articles",
            "processed",
            "progress",
            "created",
            "documents",
            "error",
            "requested_at",
            "finished",
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


class AnnotationWriteSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=64)
    sources = SourceSerializer(many=True, required=False, default=list)
    speaker = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")

    def source_inputs(self) -> list[SourceInput]:
        return [SourceInput(**source) for source in self.validated_data["sources"]]


class AnnotationSerializer(serializers.ModelSerializer):
    annotator = serializers.CharField(source="annotator.username")
    label = serializers.CharField(source="label.name")
    sources = SourceSerializer(many=True)
    document = serializers.IntegerField(source="sentence.document_id")

    class Meta:
        model = Annotation
        fields = [
            "id",
            "sentence",
            "document",
            "annotator",
            "label",
            "sources",
            "speaker",
            "note",
            "created",
            "updated",
        ]


class AnnotationEventSerializer(serializers.ModelSerializer):
    annotator = serializers.CharField(source="annotator.username")
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = AnnotationEvent
        fields = ["id", "sentence", "annotator", "actor", "action", "data", "at"]
