"""URLs of the `annotator` API under /api/v1/."""

from django.urls import path

from . import tokens, views

urlpatterns = [
    path("", views.ApiRoot.as_view(), name="api-root"),
    path("auth/token/", tokens.ObtainToken.as_view(), name="api-token"),
    path("auth/token/revoke/", tokens.RevokeToken.as_view(), name="api-token-revoke"),
    path("projects/", views.ProjectList.as_view(), name="project-list"),
    path("projects/<id:pk>/", views.ProjectDetail.as_view(), name="project-detail"),
    path("projects/<id:project_id>/members/", views.MemberList.as_view(), name="member-list"),
    path("projects/<id:project_id>/members/<username:username>/", views.MemberDetail.as_view(), name="member-detail"),
    path("projects/<id:project_id>/invitations/", views.InvitationList.as_view(), name="invitation-list"),
    path("projects/<id:project_id>/invitations/<id:pk>/", views.InvitationDetail.as_view(), name="invitation-detail"),
    path("projects/<id:project_id>/outlets/", views.OutletList.as_view(), name="outlet-list"),
    path("projects/<id:project_id>/outlets/<id:pk>/", views.OutletDetail.as_view(), name="outlet-detail"),
    path("projects/<id:project_id>/assignments/", views.AssignmentList.as_view(), name="assignment-list"),
    path("projects/<id:project_id>/assignments/next/", views.NextAssignment.as_view(), name="assignment-next"),
    path(
        "projects/<id:project_id>/assignments/<id:document_id>/<username:username>/",
        views.AssignmentDetail.as_view(),
        name="assignment-detail",
    ),
    path("projects/<id:project_id>/documents/", views.DocumentList.as_view(), name="document-list"),
    path("projects/<id:project_id>/documents/import/", views.DocumentImport.as_view(), name="document-import"),
    path(
        "projects/<id:project_id>/documents/imports/<id:pk>/",
        views.ArticleImportDetail.as_view(),
        name="article-import-detail",
    ),
    path("projects/<id:project_id>/history/", views.ProjectHistory.as_view(), name="project-history"),
    path("documents/<id:pk>/", views.DocumentDetail.as_view(), name="document-detail"),
    path("documents/<id:pk>/restore/", views.DocumentRestore.as_view(), name="document-restore"),
    path("documents/<id:pk>/references/", views.DocumentReferences.as_view(), name="document-references"),
    path("documents/<id:pk>/annotations/", views.DocumentAnnotations.as_view(), name="document-annotations"),
    path("sentences/<id:pk>/annotation/", views.SentenceAnnotation.as_view(), name="sentence-annotation"),
    path("sentences/<id:pk>/reference/", views.SentenceReference.as_view(), name="sentence-reference"),
    path("sentences/<id:pk>/history/", views.SentenceHistory.as_view(), name="sentence-history"),
]
