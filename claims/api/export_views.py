"""Export endpoints: streamed files (CSV, JSONL, JSON, JSON-LD) and the whole-project zip built by a worker."""

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.scoping import InProject
from annotator.roles import CAN_SEE_ALL_LABELS
from claims.exports import FORMATS, archive, filters_from_query
from claims.models import ExportArchive

FILTER_PARAMETERS = [
    OpenApiParameter("document", int, description="Only this document's labels (and decisions)."),
    OpenApiParameter(
        "annotator",
        str,
        description="Only this reviewer's labels (username, or pseudonym); no effect on gold.csv/.jsonl.",
    ),
    OpenApiParameter("label", str, description="Only labels with this name (gold.csv/.jsonl: the decided label)."),
    OpenApiParameter(
        "since",
        OpenApiTypes.DATETIME,
        description="Only labels changed at or after this time (gold.csv/.jsonl: decided at or after).",
    ),
    OpenApiParameter("pseudonymize", bool, description="Replace usernames with annotator-1, annotator-2, ..."),
    OpenApiParameter(
        "spreadsheet_safe",
        bool,
        description="Yes by default: a CSV text cell starting with = + - @, a tab or a carriage return gets a "
        "leading apostrophe so a spreadsheet does not run it as a formula (numbers untouched). 0 writes text cells "
        "exactly as stored, for pandas or R; header cells are guarded either way.",
    ),
    OpenApiParameter("excel", bool, description="Start CSV files with a byte-order mark so Excel reads UTF-8."),
]


class AnyAccept(BaseContentNegotiation):
    """Files are served in the format their path names, whatever the client's Accept header says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


class ExportScoped(InProject):
    """Owners, curators and viewers of the project; annotators never (they would see others' labels)."""

    read_roles = CAN_SEE_ALL_LABELS
    write_roles = CAN_SEE_ALL_LABELS
    content_negotiation_class = AnyAccept


class ExportFile(ExportScoped, APIView):
    """Stream one export of the project: annotations.csv/.jsonl, wide.csv, gold.csv/.jsonl, sources.csv,
    agreement.json/.csv, webannotation.jsonld and the reliability files."""

    @extend_schema(parameters=FILTER_PARAMETERS, responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request, project_id: int, name: str):
        export = FORMATS.get(name)
        if export is None:
            raise Http404
        export.check_query(name, request.query_params)
        filters = filters_from_query(request.query_params)
        response = StreamingHttpResponse(export.writer(self.project, filters), content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="lede-project-{self.project.pk}-{name}"'
        response["X-Accel-Buffering"] = "no"  # let a proxy pass the first bytes on at once
        return response


def archive_status(request, item: ExportArchive) -> dict:
    kwargs = {"project_id": item.project_id, "pk": item.pk}
    download = reverse("export-archive-download", kwargs=kwargs)
    return {
        "id": item.pk,
        "status": item.status,
        "progress": item.progress,
        "options": item.options,
        "error": item.error,
        "created": item.requested,
        "finished": item.finished,
        "stalled_since": item.stalled_since,
        "status_url": request.build_absolute_uri(reverse("export-archive-detail", kwargs=kwargs)),
        "download_url": request.build_absolute_uri(download) if item.status == ExportArchive.Status.READY else None,
    }


class ExportArchiveStart(ExportScoped, APIView):
    """Ask for the whole-project zip. 202 with a status URL while a worker builds it.

    POST starts a build, unless an archive with these options is being built or still current:
    then it answers with that one (409 while an archive with other options is being built; a
    project has one build at a time). GET starts nothing: it answers with the archive that is
    being built (202) or still current (303 to its download), 404 when there is none. Options:
    `pseudonymize=1`, `spreadsheet_safe=0`, `excel=1`.
    """

    @extend_schema(parameters=FILTER_PARAMETERS[4:], request=None, responses={202: OpenApiTypes.OBJECT})
    def post(self, request, project_id: int):
        options = archive.options_from_query(request.query_params)
        item = archive.request_archive(project=self.project, user=request.user, options=options)
        return self._accepted(request, item)

    @extend_schema(parameters=FILTER_PARAMETERS[4:], responses={202: OpenApiTypes.OBJECT, 303: None})
    def get(self, request, project_id: int):
        options = archive.options_from_query(request.query_params)
        item = archive.reusable_archive(self.project, options)
        if item is None:
            raise NotFound("No archive with these options is current or being built; POST to build one.")
        if item.status == ExportArchive.Status.READY:
            body = archive_status(request, item)
            return Response(body, status=status.HTTP_303_SEE_OTHER, headers={"Location": body["download_url"]})
        return self._accepted(request, item)

    def _accepted(self, request, item: ExportArchive) -> Response:
        item.refresh_from_db()
        body = archive_status(request, item)
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]})


class ExportArchiveDetail(ExportScoped, APIView):
    """Status and progress (0-100) of an archive, with its download URL once ready."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, project_id: int, pk: int):
        item = get_object_or_404(ExportArchive, project=self.project, pk=pk)
        return Response(archive_status(request, item))


class ExportArchiveDownload(ExportScoped, APIView):
    """The zip, once ready (409 before)."""

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY, 409: OpenApiTypes.OBJECT})
    def get(self, request, project_id: int, pk: int):
        item = get_object_or_404(ExportArchive, project=self.project, pk=pk)
        if item.status != ExportArchive.Status.READY or not item.file:
            return Response(archive_status(request, item), status=status.HTTP_409_CONFLICT)
        return FileResponse(
            item.file.open("rb"), as_attachment=True, filename=f"lede-project-{item.project_id}-export.zip"
        )
