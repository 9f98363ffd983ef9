"""The machine API: a project's model versions, a reviewer's suggestions, machine coders' labels."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.scoping import DocumentScoped, InProject
from annotator.roles import CAN_CURATE, CAN_LABEL, seeing_all_labels
from machine import selectors, services
from machine.models import ModelVersion

from .serializers import (
    MachineLabelFileSerializer,
    ModelRequestSerializer,
    ModelVersionSerializer,
    SuggestionsSerializer,
)


class CardReaders:
    """A model's card holds figures against the gold and the reviewers' labels: read by whoever reads the
    agreement reports (annotators only where the project is not blind); trained by leads and curators."""

    def allowed_roles(self, method: str) -> frozenset:
        return seeing_all_labels(self.project) if method in SAFE_METHODS else CAN_CURATE


class ModelList(CardReaders, InProject, generics.GenericAPIView):
    """The project's model versions, newest first (GET); train a new one (POST, leads and curators): 202."""

    serializer_class = ModelVersionSerializer
    pagination_class = None
    queryset = ModelVersion.objects.none()  # for the schema: every read goes through `selectors.versions`

    @extend_schema(operation_id="projects_models_list", responses=ModelVersionSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(selectors.versions(self.project), many=True).data)

    @extend_schema(request=ModelRequestSerializer, responses={202: ModelVersionSerializer})
    def post(self, request, *args, **kwargs):
        asked = ModelRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        version = services.request_model(
            project=self.project, basis=asked.validated_data["basis"], requested_by=request.user
        )
        version.refresh_from_db()
        body = self.get_serializer(version).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]})


class ModelDetail(CardReaders, InProject, generics.GenericAPIView):
    """One version: its status while it trains, its card once ready."""

    serializer_class = ModelVersionSerializer
    queryset = ModelVersion.objects.none()  # for the schema: every read goes through `selectors.versions`

    def get(self, request, *args, version: int, **kwargs):
        found = selectors.versions(self.project).filter(version=version).first()
        if found is None:
            raise Http404
        return Response(self.get_serializer(found).data)


class DocumentSuggestions(DocumentScoped, APIView):
    """The model's suggestions on this article for the caller, each logged as shown; none, with the reason,
    where the project, the article or the caller's randomized draw allows none."""

    read_roles = CAN_LABEL

    @extend_schema(responses=SuggestionsSerializer)
    def get(self, request, *args, **kwargs):
        found = selectors.suggestions_for(document=self.document, user=request.user)
        services.log_exposures(suggestions=found, reviewer=request.user)
        return Response(
            {
                "suggestions": found.rows,
                "reason": found.reason,
                "model_version": found.version.version if found.version else None,
            }
        )


class MachineLabels(InProject, APIView):
    """Import a machine coder's labels (CSV or JSONL: sentence, label, score, model): all or none."""

    write_roles = CAN_CURATE
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=MachineLabelFileSerializer, responses={201: dict})
    def post(self, request, *args, **kwargs):
        upload = MachineLabelFileSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        count = services.import_machine_labels(project=self.project, content=file.read(), file_name=file.name or "")
        return Response({"imported": count}, status=status.HTTP_201_CREATED)
