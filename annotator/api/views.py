"""REST endpoints for projects, members, articles, sentences and labels: thin, they call services."""

import django_filters
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator import selectors, services
from annotator.models import Annotation, AnnotationEvent, ArticleImport, Document, Invitation, Membership, Sentence
from annotator.roles import CAN_CURATE, CAN_LABEL, CAN_MANAGE
from annotator.validation import decode_text
from lede.converters import MAX_ID

from .parsers import JSONParser
from .permissions import HasProjectRole, ProjectScoped, project_for_user_or_404
from .serializers import (
    AnnotationEventSerializer,
    AnnotationSerializer,
    AnnotationWriteSerializer,
    ArticleImportSerializer,
    ArticleSerializer,
    BulkImportSerializer,
    DocumentListSerializer,
    DocumentMetadataSerializer,
    DocumentSerializer,
    InvitationSerializer,
    MembershipSerializer,
    ProjectSerializer,
)


class ProjectList(generics.ListCreateAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return selectors.projects_for_user(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        project = services.create_project(
            owner=self.request.user,
            name=data["name"],
            description=data.get("description", ""),
            scale=data.get("scale", "nominal"),
            blind=data.get("blind", True),
            guidelines=data.get("guidelines", ""),
            labels=data.get("label_list"),
        )
        serializer.instance = selectors.projects_for_user(self.request.user).get(pk=project.pk)


class ProjectDetail(ProjectScoped, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated, HasProjectRole]

    def load_project(self):
        return project_for_user_or_404(self.request.user, self.kwargs["pk"])

    def get_object(self):
        return self.project

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        labels = data.pop("label_list", None)
        services.update_project(project=self.project, labels=labels, **data)
        serializer.instance = selectors.projects_for_user(self.request.user).get(pk=self.project.pk)

    def perform_destroy(self, instance):
        services.delete_project(project=instance)


class InProject(ProjectScoped):
    permission_classes = [IsAuthenticated, HasProjectRole]

    def load_project(self):
        return project_for_user_or_404(self.request.user, self.kwargs["project_id"])


@extend_schema_view(
    post=extend_schema(
        responses={
            200: OpenApiResponse(MembershipSerializer, description="The member's role was changed."),
            201: OpenApiResponse(MembershipSerializer, description="The user was added to the project."),
        }
    )
)
class MemberList(InProject, generics.ListCreateAPIView):
    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()  # names the model for the schema; get_queryset scopes it

    def get_queryset(self):
        return selectors.members(self.project)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["user"]["username"]
        # A new member is created (201); a member's new role changes what exists (200).
        was_member = self.project.memberships.filter(user__username=username).exists()
        membership = services.add_member(
            project=self.project, username=username, role=serializer.validated_data["role"]
        )
        answer = status.HTTP_200_OK if was_member else status.HTTP_201_CREATED
        return Response(MembershipSerializer(membership).data, status=answer)


class MemberDetail(InProject, generics.RetrieveDestroyAPIView):
    serializer_class = MembershipSerializer

    def get_object(self):
        return get_object_or_404(
            Membership.objects.select_related("user"), project=self.project, user__username=self.kwargs["username"]
        )

    def destroy(self, request, *args, **kwargs):
        self.get_object()  # a member who is not there is a missing resource (404), like GET
        services.remove_member(project=self.project, username=self.kwargs["username"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationList(InProject, generics.ListCreateAPIView):
    """The project's invitation links (owners only); POST makes one and answers with its `url`."""

    read_roles = CAN_MANAGE
    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()

    def get_queryset(self):
        return selectors.invitations(self.project)

    def perform_create(self, serializer):
        serializer.instance = services.create_invitation(
            project=self.project, created_by=self.request.user, **serializer.validated_data
        )


class InvitationDetail(InProject, generics.DestroyAPIView):
    """DELETE revokes the link: nobody else can join with it; it stays in the list as revoked."""

    read_roles = CAN_MANAGE
    serializer_class = InvitationSerializer

    def get_object(self):
        return get_object_or_404(Invitation, project=self.project, pk=self.kwargs["pk"])

    def perform_destroy(self, instance):
        services.revoke_invitation(invitation=instance)


class DocumentFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains")
    outlet = django_filters.CharFilter()
    key = django_filters.CharFilter()
    published_after = django_filters.DateFilter(field_name="published", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="published", lookup_expr="lte")

    class Meta:
        model = Document
        fields = ["title", "outlet", "key"]


class DocumentList(InProject, generics.ListCreateAPIView):
    """List a project's articles, or import one (JSON `text`, or a multipart `file`)."""

    write_roles = CAN_CURATE
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_class = DocumentFilter
    queryset = Document.objects.none()

    def get_queryset(self):
        return selectors.documents(self.project)

    def get_serializer_class(self):
        return ArticleSerializer if self.request.method == "POST" else DocumentListSerializer

    @extend_schema(request=ArticleSerializer, responses={201: DocumentSerializer})
    def post(self, request, *args, **kwargs):
        serializer = ArticleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data.get("file")
        text = decode_text(upload.read(), field="file") if upload else serializer.validated_data["text"]
        document = services.import_document(
            project=self.project, created_by=request.user, article=serializer.to_article(text)
        )
        document = selectors.document_with_sentences(document.pk)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentImport(InProject, generics.GenericAPIView):
    """Import many articles from a JSONL file, all or none: 202 with the job, which a worker runs.

    Lines, fields, sizes, formats and URLs are checked at once (400 naming the line or article,
    nothing kept); a worker then splits the articles into sentences and saves them. Poll
    `status_url` for progress. Without a broker the import runs before the answer, which then
    already says `ready` (or `failed`).
    """

    write_roles = CAN_CURATE
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = BulkImportSerializer

    @extend_schema(responses={202: ArticleImportSerializer})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        job = services.request_article_import(
            project=self.project, requested_by=request.user, content=upload.read(), file_name=upload.name or ""
        )
        job.refresh_from_db()
        body = ArticleImportSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]})


class ArticleImportDetail(InProject, generics.RetrieveAPIView):
    """A bulk import's status and progress; the ids of the documents it created once ready."""

    read_roles = CAN_CURATE
    serializer_class = ArticleImportSerializer

    def get_object(self):
        return get_object_or_404(ArticleImport, project=self.project, pk=self.kwargs["pk"])


class DocumentScoped(ProjectScoped):
    permission_classes = [IsAuthenticated, HasProjectRole]

    def load_project(self):
        document = (
            Document.objects.defer("text")
            .select_related("project")
            .filter(pk=self.kwargs["pk"], project__memberships__user=self.request.user)
            .first()
        )
        if document is None:
            raise Http404
        self.document = document
        return document.project


class DocumentDetail(DocumentScoped, generics.RetrieveUpdateDestroyAPIView):
    """An article with its sentences. PATCH changes its metadata (owners and curators, who import articles);
    DELETE removes it with every label on it (owners), leaving an event in the project's history."""

    serializer_class = DocumentSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def allowed_roles(self, method: str) -> frozenset:
        return CAN_CURATE if method == "PATCH" else super().allowed_roles(method)

    def get_object(self):
        self.project_and_role()
        return selectors.document_with_sentences(self.document.pk)

    @extend_schema(request=DocumentMetadataSerializer, responses=DocumentSerializer)
    def patch(self, request, *args, **kwargs):
        serializer = DocumentMetadataSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_document(document=self.document, **serializer.validated_data)
        return Response(DocumentSerializer(self.get_object()).data)

    def perform_destroy(self, instance):
        services.delete_document(document=instance, actor=self.request.user)


class AnnotationFilter(django_filters.FilterSet):
    annotator = django_filters.CharFilter(field_name="annotator__username")
    label = django_filters.CharFilter(field_name="label__name")
    sentence = django_filters.NumberFilter(field_name="sentence_id", max_value=MAX_ID)
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated", lookup_expr="gte")


class DocumentAnnotations(DocumentScoped, generics.ListAPIView):
    """Every label on the article that the caller may see (only their own in a blind project)."""

    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter
    queryset = Annotation.objects.none()

    def get_queryset(self):
        return selectors.annotations(project=self.project, user=self.request.user, role=self.role).filter(
            sentence__document=self.document
        )


class SentenceScoped(ProjectScoped):
    permission_classes = [IsAuthenticated, HasProjectRole]

    def load_project(self):
        sentence = selectors.sentence_in_user_projects(self.kwargs["pk"], self.request.user)
        if sentence is None:
            raise Http404
        self.sentence: Sentence = sentence
        project = sentence.document.project
        project.role = sentence.role
        return project


class SentenceAnnotation(SentenceScoped, APIView):
    """The caller's own label on a sentence: PUT sets or replaces it, DELETE removes it."""

    read_roles = CAN_LABEL
    write_roles = CAN_LABEL

    @extend_schema(responses=AnnotationSerializer)
    def get(self, request, pk):
        annotation = selectors.own_annotation(sentence=self.sentence, user=request.user)
        if annotation is None:
            return Response({"detail": "You have not labelled this sentence."}, status=status.HTTP_404_NOT_FOUND)
        return Response(AnnotationSerializer(annotation).data)

    @extend_schema(request=AnnotationWriteSerializer, responses={200: AnnotationSerializer, 201: AnnotationSerializer})
    def put(self, request, pk):
        serializer = AnnotationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        annotation, created = services.label_sentence(
            sentence=self.sentence,
            annotator=request.user,
            label_name=data["label"],
            sources=serializer.source_inputs(),
            speaker=data["speaker"],
            note=data["note"],
        )
        return Response(
            AnnotationSerializer(annotation).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        if not services.delete_annotation(sentence=self.sentence, annotator=request.user):
            return Response({"detail": "You have not labelled this sentence."}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SentenceHistory(SentenceScoped, generics.ListAPIView):
    """Every change to any label on the sentence: for owners and curators."""

    read_roles = CAN_CURATE
    serializer_class = AnnotationEventSerializer
    queryset = AnnotationEvent.objects.none()

    def get_queryset(self):
        return selectors.history(project=self.project, sentence=self.sentence)


class ProjectHistory(InProject, generics.ListAPIView):
    read_roles = CAN_CURATE
    serializer_class = AnnotationEventSerializer
    queryset = AnnotationEvent.objects.none()

    def get_queryset(self):
        return selectors.history(project=self.project)


class ApiRoot(APIView):
    """Lede's API, version 1. Authenticate with a token (POST auth/token/) or a session."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        base = request.build_absolute_uri("/api/v1/")
        return Response(
            {
                "projects": base + "projects/",
                "token": base + "auth/token/",
                "schema": base + "schema/",
                "docs": base + "docs/",
            }
        )
