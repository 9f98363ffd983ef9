"""Where a view's project comes from: the mixins that scope every endpoint inside a project.

A view that serves something inside a project mixes in `ProjectScoped`, says how to find the
project for the URL (`load_project`) and which roles may read and write. A user who is not a
member never learns the project exists: loading it raises 404 before any role is checked.
`InProject`, `DocumentScoped` and `SentenceScoped` find it from a project's, a document's or
a sentence's id in the URL; `claims` and `curation` use them too.
"""

from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from annotator import selectors
from annotator.models import Document, Project, Sentence
from annotator.roles import CAN_MANAGE, CAN_VIEW

from .permissions import HasProjectRole


def project_for_user_or_404(user, project_id, *, labels: bool = True) -> Project:
    """The project with the user's `role` (and, with `labels`, its `label_list`); 404 when they are not a member."""
    project = selectors.projects_for_user(user, labels=labels).filter(pk=project_id).first()
    if project is None:
        raise Http404
    return project


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


class InProject(ProjectScoped):
    permission_classes = [IsAuthenticated, HasProjectRole]
    project_kwarg = "project_id"  # the URL's name for the project's id

    def load_project(self):
        return project_for_user_or_404(self.request.user, self.kwargs[self.project_kwarg])


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
