"""A project's members and the invitation links that let people join."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response

from annotator import selectors, services
from annotator.models import Invitation, Membership
from annotator.roles import CAN_CURATE, CAN_MANAGE

from ..scoping import InProject
from ..serializers import InvitationSerializer, MembershipSerializer, TrainingDecisionSerializer


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


class MemberTraining(InProject, generics.GenericAPIView):
    """A lead's decision on a reviewer's training (owners and curators): POST `let_through` to let them label
    real articles whatever their training figures, or `sent_back` to hold them to training articles until a
    lead lets them through. Each decision is an event in the project's history (`let_through`, `sent_back`)."""

    read_roles = CAN_CURATE
    write_roles = CAN_CURATE
    serializer_class = TrainingDecisionSerializer

    @extend_schema(request=TrainingDecisionSerializer, responses=TrainingDecisionSerializer)
    def post(self, request, project_id, username):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.decide_training(
            project=self.project,
            reviewer_username=username,
            decision=serializer.validated_data["decision"],
            actor=request.user,
        )
        return Response({"decision": membership.training_decision})


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
