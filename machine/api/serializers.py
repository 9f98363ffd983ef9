"""What the machine API reads and answers."""

from django.urls import reverse
from rest_framework import serializers

from machine.models import Basis, ModelVersion


class ModelRequestSerializer(serializers.Serializer):
    basis = serializers.ChoiceField(
        choices=Basis.choices,
        default=Basis.GOLD,
        help_text="What the model learns from: the curated decisions (`gold`) or each sentence's plurality.",
    )


class ModelVersionSerializer(serializers.ModelSerializer):
    """A version of the project's model: where its training stands, and its card once ready."""

    status_url = serializers.SerializerMethodField()

    class Meta:
        model = ModelVersion
        fields = ["version", "status", "basis", "card", "error", "progress", "requested", "finished", "status_url"]

    def get_status_url(self, version: ModelVersion) -> str:
        path = reverse("model-detail", kwargs={"project_id": version.project_id, "version": version.version})
        return self.context["request"].build_absolute_uri(path)


class SuggestionSerializer(serializers.Serializer):
    sentence = serializers.IntegerField(help_text="The sentence's id.")
    label = serializers.CharField(help_text="The label the model suggests.")
    score = serializers.FloatField(help_text="The model's probability for that label (0 to 1).")


class SuggestionsSerializer(serializers.Serializer):
    suggestions = SuggestionSerializer(many=True)
    reason = serializers.CharField(
        allow_null=True,
        help_text="Why there are none: off, calibration, training, not_assigned, assigned_by_hand, unassisted, "
        "no_model; null when suggestions are given.",
    )
    model_version = serializers.IntegerField(allow_null=True)


class MachineLabelFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV or JSONL file: sentence (id), label, score (0 to 1), model.")
