"""Agreement reports and annotation imports over REST: thin views over `claims.reports` and `annotator.services`."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator import selectors, services
from annotator.api.scoping import DocumentScoped, InProject
from annotator.roles import CAN_CURATE, seeing_all_labels
from claims import reports
from claims.models import AgreementReport

from .serializers import (
    AgreementReportSerializer,
    AnalysisQuerySerializer,
    AnalysisReportSerializer,
    AnnotationImportSerializer,
    DocumentAgreementSerializer,
    DocumentAlphaSerializer,
    OrderingSerializer,
    RecomputationSerializer,
)


class ReportReaders:
    """Owners, curators and viewers read reports; annotators too, unless the project is blind.

    Asking for a recomputation changes no data, so the same people may POST.
    """

    def allowed_roles(self, method: str) -> frozenset:
        return seeing_all_labels(self.project)

    def report(self, document_id: int | None) -> AgreementReport:
        """The stored report; the first reader of a scope that never had one asks for its computation."""
        found = reports.stored_report(self.project, document_id)
        if found is None:
            reports.request_recomputation(project_id=self.project.pk, document_ids=[document_id] if document_id else [])
            found = reports.stored_report(self.project, document_id)
        return found

    def recompute(self, document_id: int | None) -> Response:
        reports.request_recomputation(project_id=self.project.pk, document_ids=[document_id] if document_id else [])
        report = reports.stored_report(self.project, document_id)
        return Response(RecomputationSerializer(report).data, status=status.HTTP_202_ACCEPTED)


class ProjectAgreement(ReportReaders, InProject, APIView):
    """The latest agreement report of the whole project; POST asks for a recomputation."""

    @extend_schema(responses=AgreementReportSerializer)
    def get(self, request, project_id):
        return Response(AgreementReportSerializer(self.report(None)).data)

    @extend_schema(request=None, responses={202: RecomputationSerializer})
    def post(self, request, project_id):
        return self.recompute(None)


class ProjectDocumentsAgreement(ReportReaders, InProject, APIView):
    """Every article's alpha and interval, from the stored reports, in one answer; an article never
    reported on gets its first computation asked for, as a reader of its own report would."""

    @extend_schema(responses=DocumentAlphaSerializer(many=True))
    def get(self, request, project_id):
        rows = reports.document_alphas(self.project)
        missing = [row["id"] for row in rows if not row["reported"]]
        if missing:
            reports.request_recomputation(project_id=self.project.pk, document_ids=missing)
        return Response(DocumentAlphaSerializer(rows, many=True).data)


class DocumentAgreement(ReportReaders, DocumentScoped, APIView):
    """The latest agreement report of one document, with a row per sentence to sort by disagreement."""

    @extend_schema(
        parameters=[
            OpenApiParameter("ordering", str, description="index, contested, labels, plurality_share; -: flip")
        ],
        responses=DocumentAgreementSerializer,
    )
    def get(self, request, pk):
        query = OrderingSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        context = {
            "ordering": query.validated_data["ordering"],
            "sees_labels": selectors.sees_all_labels(self.project, self.role),
        }
        return Response(DocumentAgreementSerializer(self.report(self.document.pk), context=context).data)

    @extend_schema(request=None, responses={202: RecomputationSerializer})
    def post(self, request, pk):
        return self.recompute(self.document.pk)


class ProjectAnalysis(ReportReaders, InProject, APIView):
    """What the labels say about the coverage, per outlet, leaning, topic or month, with bootstrap intervals."""

    @extend_schema(parameters=[AnalysisQuerySerializer], responses=AnalysisReportSerializer)
    def get(self, request, project_id):
        query = AnalysisQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = reports.stored_analysis(self.project, **query.validated_data)
        return Response(AnalysisReportSerializer(report).data)


class AnnotationImport(InProject, APIView):
    """Import a finished study: long-format annotations (CSV or JSONL), all rows or none."""

    write_roles = CAN_CURATE
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=AnnotationImportSerializer, responses={201: dict})
    def post(self, request, project_id):
        serializer = AnnotationImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        fmt = data.get("format") or ("jsonl" if upload.name.lower().endswith((".jsonl", ".ndjson")) else "csv")
        summary = services.import_annotations(
            project=self.project,
            imported_by=request.user,
            content=upload.read(),
            fmt=fmt,
            columns=serializer.columns(),
            add_labels=data["add_labels"],
            annotator_prefix=data["annotator_prefix"],
            file_name=upload.name or "imported annotations",
        )
        return Response(summary.as_dict(), status=status.HTTP_201_CREATED)
