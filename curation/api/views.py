"""REST endpoints of curation: a sentence's decision, an article's decisions and curator rows, the auto-merge."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.scoping import DocumentScoped, InProject, SentenceScoped
from annotator.errors import Conflict, InvalidInput
from annotator.models import Document
from annotator.roles import CAN_CURATE, CAN_MANAGE, CAN_VIEW, seeing_all_labels

from .. import merge, selectors, services
from ..models import CurationSettings, Decision, Provenance
from ..plurality import Rule
from .serializers import (
    AutoMergeOutcomeSerializer,
    AutoMergeSerializer,
    CurationQuerySerializer,
    CurationSerializer,
    CurationSettingsSerializer,
    DecisionSerializer,
    DecisionWriteSerializer,
    ReferencesTakenSerializer,
)


class DecisionReaders:
    """Every member may ask (the queryset says what they see); owners and curators decide."""

    read_roles = CAN_VIEW
    write_roles = CAN_CURATE

    def visible_decisions(self):
        return selectors.decisions(project=self.project, user=self.request.user, role=self.role)

    def get_serializer_context(self):
        """A reviewer who reads decisions only as feedback does not learn how the others labelled."""
        feedback_only = not selectors.reads_all_decisions(self.project, self.role)
        return {"request": self.request, "format": self.format_kwarg, "view": self, "feedback_only": feedback_only}


class SentenceDecision(DecisionReaders, SentenceScoped, APIView):
    """The sentence's decided label: PUT decides it (label null: unresolved), DELETE opens it again.

    Owners, curators and viewers read it, and annotators unless the project is blind; once the
    lead opens feedback, a reviewer also reads it where it differs from their own label.
    """

    @extend_schema(responses=DecisionSerializer)
    def get(self, request, pk):
        decision = self.visible_decisions().filter(sentence=self.sentence).first()
        if decision is None:
            return Response({"detail": "This sentence has no decision."}, status=status.HTTP_404_NOT_FOUND)
        return Response(DecisionSerializer(decision, context=self.get_serializer_context()).data)

    @extend_schema(request=DecisionWriteSerializer, responses={200: DecisionSerializer, 201: DecisionSerializer})
    def put(self, request, pk):
        serializer = DecisionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision, created = services.decide(
            sentence=self.sentence,
            curator=request.user,
            label_name=data.get("label"),
            rationale=data["rationale"],
            category=data["category"],
            speaker=data.get("speaker"),
            sources=serializer.source_inputs(),
            from_model=data["provenance"] == Provenance.MODEL,
        )
        decision = self.visible_decisions().filter(pk=decision.pk).first()
        if decision is None:  # a DELETE removed it between the save and this read
            raise Conflict("label", "The decision was removed as it was saved; decide the sentence again.")
        return Response(
            DecisionSerializer(decision).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        if not services.undecide(sentence=self.sentence, actor=request.user):
            return Response({"detail": "This sentence has no decision."}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentDecisions(DecisionReaders, DocumentScoped, generics.ListAPIView):
    """The article's decisions that the caller may see, in sentence order."""

    serializer_class = DecisionSerializer
    queryset = Decision.objects.none()

    def get_queryset(self):
        return self.visible_decisions().filter(sentence__document=self.document)


class DocumentCuration(DocumentScoped, APIView):
    """The curator screen's rows: every sentence with every reviewer's label and its decision, in one answer.

    With `since` (the `changed` of an earlier answer), only the sentences whose labels or
    decision changed: the screen polls it to refresh as labels arrive.
    """

    def allowed_roles(self, method: str) -> frozenset:
        return seeing_all_labels(self.project)

    @extend_schema(parameters=[CurationQuerySerializer], responses=CurationSerializer)
    def get(self, request, pk):
        query = CurationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        changed = timezone.now()
        rows = selectors.curation_rows(
            self.document, since=query.validated_data.get("since"), sort=query.validated_data["sort"]
        )
        return Response({"changed": changed, "rows": rows})


class DocumentReferencesFromDecisions(DocumentScoped, APIView):
    """A training article's reference labels taken from its decisions in one step (leads): each decided label
    becomes the sentence's reference, its rationale the explanation. 400 on `document` when nothing is decided
    or the article is not for training."""

    read_roles = CAN_CURATE
    write_roles = CAN_CURATE

    @extend_schema(
        request=None,
        responses={
            200: ReferencesTakenSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="`document`: not a training article, or no sentence decided yet."
            ),
        },
    )
    def post(self, request, pk):
        taken = services.references_from_decisions(document=self.document)
        return Response({"references": taken})


class ProjectAutoMerge(InProject, APIView):
    """Decide every open sentence whose labels pass the rule; `dry_run` only counts. Never overwrites a decision."""

    write_roles = CAN_CURATE

    @extend_schema(request=AutoMergeSerializer, responses=AutoMergeOutcomeSerializer)
    def post(self, request, project_id):
        serializer = AutoMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = None
        if "document" in data:
            document = Document.objects.defer("text").filter(project=self.project, pk=data["document"]).first()
            if document is None:
                raise InvalidInput("document", "No such article in this project.")
        outcome = merge.auto_merge(
            project=self.project,
            rule=Rule(min_labels=data["min_labels"], min_share=data["min_share"]),
            actor=request.user,
            document=document,
            dry_run=data["dry_run"],
        )
        return Response(outcome.as_dict())


class ProjectCurationSettings(InProject, generics.RetrieveUpdateAPIView):
    """The disagreement categories curators choose from, and whether reviewers see feedback: owners change them."""

    read_roles = CAN_VIEW
    write_roles = CAN_MANAGE
    serializer_class = CurationSettingsSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return CurationSettings.for_project(self.project)

    def perform_update(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.update_settings(
            project=self.project, categories=data.get("categories"), feedback=data.get("feedback")
        )
