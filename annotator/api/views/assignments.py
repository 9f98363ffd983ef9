"""Who labels which article: the list, the next article for the caller, a lead's assignment by hand."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from annotator import selectors, services
from annotator.models import Assignment, Document
from annotator.roles import CAN_CURATE, CAN_LABEL
from lede.converters import MAX_ID

from ..scoping import InProject, project_for_user_or_404
from ..serializers import AssignmentSerializer


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
