"""Projects: list, create, read, change and delete them."""

from rest_framework import generics

from annotator import selectors, services

from ..scoping import InProject
from ..serializers import ProjectSerializer


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


class ProjectDetail(InProject, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ProjectSerializer
    project_kwarg = "pk"

    def get_object(self):
        return self.project

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        labels = data.pop("label_list", None)
        services.update_project(project=self.project, labels=labels, **data)
        serializer.instance = selectors.projects_for_user(self.request.user).get(pk=self.project.pk)

    def perform_destroy(self, instance):
        services.delete_project(project=instance)
