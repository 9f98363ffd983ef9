"""Role-based access to everything inside a project, checked on the server for every request.

A view that serves something inside a project mixes in `ProjectScoped`, says how to find the
project for the URL (`load_project`) and which roles may read and write. A user who is not a
member never learns the project exists: loading it raises 404 before any role is checked.
"""

from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from annotator import selectors
from annotator.models import Project
from annotator.roles import CAN_MANAGE, CAN_VIEW


class ProjectScoped:
    read_roles: frozenset = CAN_VIEW
    write_roles: frozenset = CAN_MANAGE

    def load_project(self) -> Project:
        """Return the project the URL points into; raise Http404 when the user is not a member."""
        raise NotImplementedError

    def project_and_role(self) -> tuple[Project, str]:
        if not hasattr(self, "_project_and_role"):
            project = self.load_project()
            role = getattr(project, "role", None) or selectors.role_in_project(self.request.user, project.pk)
            if role is None:
                raise Http404
            self._project_and_role = (project, role)
        return self._project_and_role

    @property
    def project(self) -> Project:
        return self.project_and_role()[0]

    @property
    def role(self) -> str:
        return self.project_and_role()[1]

    def allowed_roles(self, method: str) -> frozenset:
        return self.read_roles if method in SAFE_METHODS else self.write_roles


class HasProjectRole(BasePermission):
    message = "Your role in this project does not allow this."

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return view.role in view.allowed_roles(request.method)


def project_for_user_or_404(user, project_id, *, labels: bool = True) -> Project:
    """The project with the user's `role` (and, with `labels`, its `label_list`); 404 when they are not a member."""
    project = selectors.projects_for_user(user, labels=labels).filter(pk=project_id).first()
    if project is None:
        raise Http404
    return project
