"""A project's outlets, which its articles name."""

from django.shortcuts import get_object_or_404
from rest_framework import generics

from annotator import selectors, services
from annotator.models import Outlet
from annotator.roles import CAN_CURATE

from ..scoping import InProject
from ..serializers import OutletSerializer


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
