"""Role-based access to everything inside a project, checked on the server for every request.

The view says which roles may read and write (`annotator.api.scoping.ProjectScoped`); this
class refuses the others.
"""

from rest_framework.permissions import BasePermission


class HasProjectRole(BasePermission):
    message = "Your role in this project does not allow this."

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return view.role in view.allowed_roles(request.method)
