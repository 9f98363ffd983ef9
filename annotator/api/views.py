"""REST endpoints for projects, members, articles, sentences and labels: thin, they call services."""

import django_filters
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator import selectors, services
from annotator.errors import Conflict
from annotator.models import (
    Annotation,
    AnnotationEvent,
    ArticleImport,
    Assignment,
    Document,
    Invitation,
    Membership,
    Outlet,
    ReferenceLabel,
    Sentence,
)
from annotator.roles import CAN_CURATE, CAN_LABEL, CAN_MANAGE
from annotator.validation import decode_text
from lede.converters import MAX_ID

from .filters import UtcIsoDateTimeFilter
from .parsers import JSONParser
from .permissions import HasProjectRole, ProjectScoped, project_for_user_or_404
from .serializers import (
    AnnotationEventSerializer,
    AnnotationSerializer,
    AnnotationWriteSerializer,
    ArticleImportSerializer,
    ArticleSerializer,
    AssignmentSerializer,
    BulkImportSerializer,
    DocumentChangeSerializer,
    DocumentListSerializer,
    DocumentReferenceSerializer,
    DocumentSerializer,
    ImportWaitSerializer,
    InvitationSerializer,
    MembershipSerializer,
    OutletSerializer,
    ProjectSerializer,
    ReferenceLabelSerializer,
    ReferenceUploadSerializer,
    RestoreSerializer,
)
from .uploads import ArticleUploadHandler, article_too_large


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
            whole_quotations=data.get("whole_quotations", False),
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


class OutletList(InProject, generics.ListCreateAPIView):
    """The project's own list of outlets, which articles name and analyses group by; owners and curators add."""

    write_roles = CAN_CURATE
    serializer_class = OutletSerializer
    queryset = Outlet.objects.none()

    def get_queryset(self):
        return selectors.outlets(self.project)

    def perform_create(self, serializer):
        serializer.instance = services.create_outlet(project=self.project, **serializer.validated_data)


class OutletDetail(InProject, generics.RetrieveUpdateDestroyAPIView):
    """One outlet; a new name is written into its articles. DELETE leaves its articles' outlet as plain text."""

    write_roles = CAN_CURATE
    serializer_class = OutletSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        return get_object_or_404(Outlet, project=self.project, pk=self.kwargs["pk"])

    def perform_update(self, serializer):
        services.update_outlet(outlet=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.delete_outlet(outlet=instance)


class AssignmentFilter(django_filters.FilterSet):
    reviewer = django_filters.CharFilter(field_name="reviewer__username")
    document = django_filters.NumberFilter(field_name="document_id", max_value=MAX_ID)
    status = django_filters.ChoiceFilter(choices=Assignment.Status.choices, method="filter_status")

    def filter_status(self, queryset, name, value):
        return queryset.filter(done=value == Assignment.Status.DONE)


class AssignmentList(InProject, generics.ListAPIView):
    """Who labels which article. Leads see every assignment; a reviewer sees their own."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    queryset = Assignment.objects.none()

    def get_queryset(self):
        queryset = selectors.assignments(self.project)
        return queryset if self.role in CAN_CURATE else queryset.filter(reviewer=self.request.user)


class NextAssignment(InProject, generics.GenericAPIView):
    """The article the caller should label next, assigned to them if needed (their unfinished one first,
    then training, calibration, and the least-covered article below the project's overlap); 204 when
    nothing is left, 409 on `training` when the project's training threshold is not reached."""

    write_roles = CAN_LABEL
    serializer_class = AssignmentSerializer

    def load_project(self):
        return project_for_user_or_404(self.request.user, self.kwargs["project_id"], labels=False)

    @extend_schema(request=None, responses={200: AssignmentSerializer, 204: None})
    def post(self, request, *args, **kwargs):
        assignment = services.next_assignment(project=self.project, reviewer=request.user)
        if assignment is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self.get_serializer(assignment).data)


class AssignmentDetail(InProject, generics.GenericAPIView):
    """A lead's assignment by hand: PUT gives the article to the reviewer (201, or 200 when they have it),
    DELETE takes it back (their labels stay)."""

    read_roles = CAN_CURATE
    write_roles = CAN_CURATE
    serializer_class = AssignmentSerializer

    def document(self) -> Document:
        return get_object_or_404(Document.objects.defer("text"), project=self.project, pk=self.kwargs["document_id"])

    @extend_schema(
        request=None,
        responses={
            200: AssignmentSerializer,
            201: AssignmentSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="`reviewer`: the user named does not label here."),
        },
    )
    def put(self, request, *args, **kwargs):
        assignment, created = services.assign(
            document=self.document(), reviewer_username=self.kwargs["username"], assigned_by=request.user
        )
        body = self.get_serializer(selectors.assignments(self.project).get(pk=assignment.pk)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def get_object(self) -> Assignment:
        return get_object_or_404(Assignment, document=self.document(), reviewer__username=self.kwargs["username"])

    @extend_schema(responses={204: None})
    def delete(self, request, *args, **kwargs):
        services.unassign(assignment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains")
    outlet = django_filters.CharFilter()
    key = django_filters.CharFilter()
    published_after = django_filters.DateFilter(field_name="published", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="published", lookup_expr="lte")

    class Meta:
        model = Document
        fields = ["title", "outlet", "key", "calibration", "training"]


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

    def initialize_request(self, request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers.insert(0, ArticleUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):  # a body too large that is not a file is the article's text
            exc = article_too_large("text")
        return super().handle_exception(exc)

    @extend_schema(request=ArticleSerializer, responses={201: DocumentSerializer})
    def post(self, request, *args, **kwargs):
        serializer = ArticleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "file" in data:
            article = serializer.to_article(decode_text(data["file"].read(), field="file"), text_field="file")
        elif "text" in data:
            article = serializer.to_article(data["text"])
        else:
            page = services.fetch_web_page(data["url"])
            article = serializer.to_article(page.text, page.format, text_field="url")
        document = services.import_document(project=self.project, created_by=request.user, article=article)
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

    def load_project(self):
        return project_for_user_or_404(self.request.user, self.kwargs["project_id"], labels=False)

    @extend_schema(responses={202: ArticleImportSerializer})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        job = services.request_article_import(
            project=self.project, requested_by=request.user, content=upload.read(), file_name=upload.name or ""
        )
        body = ArticleImportSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]})


class ArticleImportDetail(InProject, generics.RetrieveAPIView):
    """A bulk import's status and progress; the ids of the documents it created once ready.

    With `?wait=S` the answer waits up to S seconds for the import to finish and comes as soon as it
    has, so following an import costs one request per S seconds and learns the end at once.
    """

    read_roles = CAN_CURATE
    serializer_class = ArticleImportSerializer

    def load_project(self):
        return project_for_user_or_404(self.request.user, self.kwargs["project_id"], labels=False)

    @extend_schema(parameters=[ImportWaitSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        query = ImportWaitSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        job = get_object_or_404(ArticleImport, project=self.project, pk=self.kwargs["pk"])
        return selectors.finished_import(job, wait=query.validated_data["wait"])


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

    @extend_schema(request=DocumentChangeSerializer, responses=DocumentSerializer)
    def patch(self, request, *args, **kwargs):
        serializer = DocumentChangeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        metadata = dict(serializer.validated_data)
        design = {name: metadata.pop(name) for name in ("calibration", "training") if name in metadata}
        with transaction.atomic():
            if design:
                services.set_document_design(document=self.document, **design)
            services.update_document(document=self.document, **metadata)
        return Response(DocumentSerializer(self.get_object()).data)

    def perform_destroy(self, instance):
        services.delete_document(document=instance, actor=self.request.user)


class DocumentRestore(DocumentScoped, generics.GenericAPIView):
    """Turn a line that segmentation kept out (one of the document's `removed`) into sentences to label."""

    serializer_class = RestoreSerializer

    @extend_schema(responses={200: DocumentSerializer})
    def post(self, request, *args, **kwargs):
        self.project_and_role()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.restore_removed_text(document=self.document, start=serializer.validated_data["start"])
        return Response(DocumentSerializer(selectors.document_with_sentences(self.document.pk)).data)


class AnnotationFilter(django_filters.FilterSet):
    annotator = django_filters.CharFilter(field_name="annotator__username")
    label = django_filters.CharFilter(field_name="label__name")
    sentence = django_filters.NumberFilter(field_name="sentence_id", max_value=MAX_ID)
    updated_since = UtcIsoDateTimeFilter(field_name="updated", lookup_expr="gte")


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
    find_sentence = staticmethod(selectors.sentence_in_user_projects)

    def load_project(self):
        sentence = self.find_sentence(self.kwargs["pk"], self.request.user)
        if sentence is None:
            raise Http404
        self.sentence: Sentence = sentence
        project = sentence.document.project
        project.role = sentence.role
        return project


QUEUED_BY = OpenApiParameter(
    "X-Lede-User",
    str,
    OpenApiParameter.HEADER,
    description="The username the change was made as: 409, nothing saved, if the caller is logged in as another.",
)


class SentenceAnnotation(SentenceScoped, APIView):
    """The caller's own label on a sentence: PUT sets or replaces it, DELETE removes it.

    The annotation screen keeps changes in the browser until they are saved, and a reviewer may
    log in again as someone else before they are: it sends the user each change was made as, and
    a change made as another user is refused, so it is never saved under the wrong name.
    """

    read_roles = CAN_LABEL
    write_roles = CAN_LABEL
    find_sentence = staticmethod(selectors.sentence_to_label)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        made_as = request.headers.get(QUEUED_BY.name)
        if request.method in ("PUT", "DELETE") and made_as is not None and made_as != request.user.username:
            raise Conflict(
                "user",
                f"This change was made as {made_as}, but you are logged in as {request.user.username}; "
                "it was not saved.",
            )

    @extend_schema(responses=AnnotationSerializer)
    def get(self, request, pk):
        annotation = selectors.own_annotation(sentence=self.sentence, user=request.user)
        if annotation is None:
            return Response({"detail": "You have not labelled this sentence."}, status=status.HTTP_404_NOT_FOUND)
        return Response(AnnotationSerializer(annotation).data)

    @extend_schema(
        request=AnnotationWriteSerializer,
        responses={200: AnnotationSerializer, 201: AnnotationSerializer},
        parameters=[QUEUED_BY],
    )
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

    @extend_schema(responses={204: None}, parameters=[QUEUED_BY])
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


class SentenceReference(SentenceScoped, APIView):
    """A training sentence's reference label and explanation. Leads set it with PUT; a reviewer reads it
    once they have labelled the sentence (404 before), so that training shows the answer after each one."""

    read_roles = CAN_LABEL | CAN_CURATE
    write_roles = CAN_CURATE

    @extend_schema(responses=ReferenceLabelSerializer)
    def get(self, request, pk):
        reference = ReferenceLabel.objects.select_related("label").filter(sentence=self.sentence).first()
        answered = self.role in CAN_CURATE or selectors.own_annotation(sentence=self.sentence, user=request.user)
        if reference is None or not answered:
            return Response(
                {"detail": "No reference to show: label the sentence first, on a training article."},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(ReferenceLabelSerializer(reference).data)

    @extend_schema(request=ReferenceLabelSerializer, responses=ReferenceLabelSerializer)
    def put(self, request, pk):
        serializer = ReferenceLabelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reference = services.set_reference(
            sentence=self.sentence,
            label_name=serializer.validated_data["label"]["name"],
            explanation=serializer.validated_data["explanation"],
        )
        return Response(ReferenceLabelSerializer(reference).data)


class DocumentReferences(DocumentScoped, generics.GenericAPIView):
    """A training article's reference labels (leads). POST a file of them (`sentence`, `label`, `explanation`;
    CSV or JSONL) to set them all at once: all or none, a 400 on `file` naming the line at fault."""

    read_roles = CAN_CURATE
    write_roles = CAN_CURATE
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = DocumentReferenceSerializer
    pagination_class = None
    queryset = ReferenceLabel.objects.none()

    def listing(self) -> Response:
        return Response(DocumentReferenceSerializer(selectors.references(self.document), many=True).data)

    @extend_schema(responses=DocumentReferenceSerializer(many=True))
    def get(self, request, pk):
        return self.listing()

    @extend_schema(request=ReferenceUploadSerializer, responses=DocumentReferenceSerializer(many=True))
    def post(self, request, pk):
        upload = ReferenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        references = services.read_references(file.read(), file.name or "")
        services.import_references(document=self.document, references=references)
        return self.listing()


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
