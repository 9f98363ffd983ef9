"""A project's articles: list, import one, read, change, delete, restore a removed line."""

import django_filters
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from annotator import selectors, services
from annotator.models import Document
from annotator.roles import CAN_CURATE
from annotator.validation import decode_text

from ..parsers import JSONParser
from ..scoping import DocumentScoped, InProject
from ..serializers import (
    ArticleImportSerializer,
    ArticleSerializer,
    DocumentChangeSerializer,
    DocumentListSerializer,
    DocumentSerializer,
    RestoreSerializer,
)
from ..uploads import ArticleUploadHandler, article_too_large


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

    @extend_schema(request=ArticleSerializer, responses={201: DocumentSerializer, 202: ArticleImportSerializer})
    def post(self, request, *args, **kwargs):
        """201 with the article imported from `text` or `file`; 202 with the job that fetches a `url` alone.

        A worker fetches the page (a slow server must not hold a web thread): poll the job's
        `status_url` until it is `ready`, with the article's id in `documents`, or `failed`, with
        why on `error.url`.
        """
        serializer = ArticleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "file" in data:
            article = serializer.to_article(decode_text(data["file"].read(), field="file"), text_field="file")
        elif "text" in data:
            article = serializer.to_article(data["text"])
        else:
            job = services.request_page_import(
                project=self.project, requested_by=request.user, article=serializer.to_article("", text_field="url")
            )
            body = ArticleImportSerializer(job, context={"request": request}).data
            return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]})
        document = services.import_document(project=self.project, created_by=request.user, article=article)
        document = selectors.document_with_sentences(document.pk)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


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
