"""Bulk imports of articles from a JSONL file, and their progress."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from annotator import selectors, services
from annotator.models import ArticleImport
from annotator.roles import CAN_CURATE

from ..scoping import InProject, project_for_user_or_404
from ..serializers import ArticleImportSerializer, BulkImportSerializer, ImportWaitSerializer


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
