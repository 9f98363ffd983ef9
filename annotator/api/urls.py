"""URLs of the `annotator` API under /api/v1/."""

from django.urls import path

from . import tokens
from .views import annotations, assignments, documents, history, imports, members, outlets, projects, references, root

urlpatterns = [
    path("", root.ApiRoot.as_view(), name="api-root"),
    path("auth/token/", tokens.ObtainToken.as_view(), name="api-token"),
    path("auth/token/revoke/", tokens.RevokeToken.as_view(), name="api-token-revoke"),
    path("projects/", projects.ProjectList.as_view(), name="project-list"),
    path("projects/<id:pk>/", projects.ProjectDetail.as_view(), name="project-detail"),
    path("projects/<id:project_id>/members/", members.MemberList.as_view(), name="member-list"),
    path("projects/<id:project_id>/members/<username:username>/", members.MemberDetail.as_view(), name="member-detail"),
    path(
        "projects/<id:project_id>/members/<username:username>/training/",
        members.MemberTraining.as_view(),
        name="member-training",
    ),
    path("projects/<id:project_id>/invitations/", members.InvitationList.as_view(), name="invitation-list"),
    path("projects/<id:project_id>/invitations/<id:pk>/", members.InvitationDetail.as_view(), name="invitation-detail"),
    path("projects/<id:project_id>/outlets/", outlets.OutletList.as_view(), name="outlet-list"),
    path("projects/<id:project_id>/outlets/<id:pk>/", outlets.OutletDetail.as_view(), name="outlet-detail"),
    path("projects/<id:project_id>/assignments/", assignments.AssignmentList.as_view(), name="assignment-list"),
    path("projects/<id:project_id>/assignments/next/", assignments.NextAssignment.as_view(), name="assignment-next"),
    path(
        "projects/<id:project_id>/assignments/<id:document_id>/<username:username>/",
        assignments.AssignmentDetail.as_view(),
        name="assignment-detail",
    ),
    path("projects/<id:project_id>/documents/", documents.DocumentList.as_view(), name="document-list"),
    path("projects/<id:project_id>/documents/import/", imports.DocumentImport.as_view(), name="document-import"),
    path(
        "projects/<id:project_id>/documents/imports/<id:pk>/",
        imports.ArticleImportDetail.as_view(),
        name="article-import-detail",
    ),
    path("projects/<id:project_id>/history/", history.ProjectHistory.as_view(), name="project-history"),
    path("documents/<id:pk>/", documents.DocumentDetail.as_view(), name="document-detail"),
    path("documents/<id:pk>/restore/", documents.DocumentRestore.as_view(), name="document-restore"),
    path("documents/<id:pk>/references/", references.DocumentReferences.as_view(), name="document-references"),
    path("documents/<id:pk>/annotations/", annotations.DocumentAnnotations.as_view(), name="document-annotations"),
    path("sentences/<id:pk>/annotation/", annotations.SentenceAnnotation.as_view(), name="sentence-annotation"),
    path("sentences/<id:pk>/reference/", references.SentenceReference.as_view(), name="sentence-reference"),
    path("sentences/<id:pk>/history/", history.SentenceHistory.as_view(), name="sentence-history"),
]
