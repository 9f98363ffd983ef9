"""Shapes of the curation API: they validate types and translate; `curation.services` decides."""

from rest_framework import serializers

from annotator.api.serializers import SourceSerializer
from annotator.services import SourceInput
from lede.converters import MAX_ID

from ..models import CurationSettings, Decision, Provenance
from ..services import MAX_CATEGORIES, MAX_CATEGORY_LENGTH

FEEDBACK_ONLY = "(Null for a reviewer reading it as feedback: it tells of the other reviewers' labels.)"


class DecisionSerializer(serializers.ModelSerializer):
    """A decision; with `feedback_only` in the context, without what it says of the other reviewers' labels."""

    document = serializers.IntegerField(source="sentence.document_id")
    label = serializers.CharField(source="label.name", allow_null=True, help_text="None when unresolved.")
    provenance = serializers.ChoiceField(choices=Provenance.choices, allow_null=True, help_text=FEEDBACK_ONLY)
    rule = serializers.JSONField(
        allow_null=True, help_text=f"For `majority`: the auto-merge rule, {{min_labels, min_share}}. {FEEDBACK_ONLY}"
    )
    labels = serializers.IntegerField(
        allow_null=True, help_text=f"How many reviewers' labels the sentence had when it was decided. {FEEDBACK_ONLY}"
    )
    share = serializers.FloatField(
        allow_null=True, help_text=f"The share of those labels that agreed with the decided label. {FEEDBACK_ONLY}"
    )
    sources = SourceSerializer(many=True)
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)

    class Meta:
        model = Decision
        fields = [
            "sentence",
            "document",
            "label",
            "provenance",
            "rule",
            "labels",
            "share",
            "speaker",
            "sources",
            "rationale",
            "category",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields

    def to_representation(self, decision: Decision) -> dict:
        data = super().to_representation(decision)
        if self.context.get("feedback_only"):
            data.update(provenance=None, rule=None, labels=None, share=None)
        return data


# The provenances a curator's own decision can have: their label, or the model's that they chose to take.
DECIDED_BY_CURATOR = [Provenance.ADJUDICATED.value, Provenance.MODEL.value]


class DecisionWriteSerializer(serializers.Serializer):
    label = serializers.CharField(
        max_length=64,
        allow_null=True,
        required=False,
        help_text="The decided label; null marks the sentence unresolved. Not given with provenance `model`.",
    )
    provenance = serializers.ChoiceField(
        choices=DECIDED_BY_CURATOR,
        default=Provenance.ADJUDICATED.value,
        help_text="`model`: take the labelling model's most probable label (model consensus) instead of naming one.",
    )
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    category = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default="", help_text="One of the project's categories."
    )
    speaker = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="Who is quoted; left out, the one the reviewers who gave the label agree on (see the docs).",
    )
    sources = SourceSerializer(
        many=True,
        required=False,
        help_text="The sources the decision cites; left out, those the reviewers who gave the label agree on.",
    )

    def validate(self, attrs):
        if attrs["provenance"] == Provenance.MODEL and attrs.get("label") is not None:
            raise serializers.ValidationError({"label": ["Give no label with provenance `model`: the model names it."]})
        if attrs["provenance"] != Provenance.MODEL and "label" not in attrs:
            raise serializers.ValidationError({"label": ["This field is required."]})
        return attrs

    def source_inputs(self) -> list[SourceInput] | None:
        """The sources given, or None when left out."""
        if "sources" not in self.validated_data:
            return None
        return [SourceInput(**source) for source in self.validated_data["sources"]]


class AutoMergeSerializer(serializers.Serializer):
    min_labels = serializers.IntegerField(min_value=1, max_value=1000, default=2)
    min_share = serializers.FloatField(
        min_value=0.0, max_value=1.0, default=0.5, help_text="The least share of labels that agree with the plurality."
    )
    dry_run = serializers.BooleanField(default=False, help_text="Only count what the merge would decide.")
    document = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Merge one article of the project only."
    )


class AutoMergeRuleSerializer(serializers.Serializer):
    min_labels = serializers.IntegerField()
    min_share = serializers.FloatField()


class AutoMergeOutcomeSerializer(serializers.Serializer):
    rule = AutoMergeRuleSerializer()
    dry_run = serializers.BooleanField()
    sentences = serializers.IntegerField(help_text="Sentences in the scope.")
    decided_before = serializers.IntegerField(help_text="Sentences that had a decision: left as they were.")
    below_rule = serializers.IntegerField(help_text="Open sentences the rule does not accept (left open).")
    decided = serializers.IntegerField(help_text="Sentences decided (or that would be, in a dry run).")
    unanimous = serializers.IntegerField()
    majority = serializers.IntegerField()
    by_label = serializers.DictField(child=serializers.IntegerField(), help_text="Decided sentences per label.")


class CurationSettingsSerializer(serializers.ModelSerializer):
    categories = serializers.ListField(
        child=serializers.CharField(max_length=MAX_CATEGORY_LENGTH, allow_blank=True),
        max_length=MAX_CATEGORIES,
        required=False,
        help_text="In the order curators see them. Renaming or removing one leaves decisions with the text they have.",
    )

    class Meta:
        model = CurationSettings
        fields = ["categories", "feedback"]


class ReviewerLabelSerializer(serializers.Serializer):
    reviewer = serializers.CharField()
    label = serializers.CharField()
    speaker = serializers.CharField()
    note = serializers.CharField()
    sources = SourceSerializer(many=True)


class CurationDecisionSerializer(serializers.Serializer):
    sentence = serializers.IntegerField()
    label = serializers.CharField(allow_null=True)
    provenance = serializers.ChoiceField(choices=Provenance.choices)
    rule = serializers.JSONField(allow_null=True)
    labels = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)
    speaker = serializers.CharField()
    rationale = serializers.CharField()
    category = serializers.CharField()
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField()
    sources = SourceSerializer(many=True)


class PluralitySerializer(serializers.Serializer):
    label = serializers.CharField(allow_null=True, help_text="The label most reviewers chose; null on a tie or none.")
    count = serializers.IntegerField(help_text="How many reviewers chose it (the top count on a tie).")
    labels = serializers.IntegerField(help_text="How many labels the sentence has.")


class PosteriorSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The most probable label under Dawid & Skene's model.")
    uncertainty = serializers.FloatField(help_text="One minus that label's posterior probability.")


class CurationRowSerializer(serializers.Serializer):
    sentence = serializers.IntegerField()
    index = serializers.IntegerField()
    text = serializers.CharField()
    labels = ReviewerLabelSerializer(many=True)
    plurality = PluralitySerializer()
    posterior = PosteriorSerializer(allow_null=True, help_text="Null until the project report has run.")
    decision = CurationDecisionSerializer(allow_null=True)


class CurationSerializer(serializers.Serializer):
    """The curator screen's one answer: rows are built by `selectors.curation_rows`, this documents them."""

    changed = serializers.DateTimeField(help_text="Send it back as `since` to get only the sentences changed after.")
    rows = CurationRowSerializer(many=True)


class CurationQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        required=False, help_text="Only sentences whose labels or decision changed since."
    )
    sort = serializers.ChoiceField(
        choices=["order", "uncertainty"],
        default="order",
        help_text="`uncertainty`: the sentences the labelling model is least sure of first (no posterior last).",
    )


class ReferencesTakenSerializer(serializers.Serializer):
    references = serializers.IntegerField(help_text="How many sentences' reference labels were set.")
