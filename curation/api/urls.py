"""URLs of the curation API under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("sentences/<id:pk>/decision/", views.SentenceDecision.as_view(), name="sentence-decision"),
    path("documents/<id:pk>/decisions/", views.DocumentDecisions.as_view(), name="document-decisions"),
    path(
        "documents/<id:pk>/references/from-decisions/",
        views.DocumentReferencesFromDecisions.as_view(),
        name="document-references-from-decisions",
    ),
    path("documents/<id:pk>/curation/", views.DocumentCuration.as_view(), name="document-curation"),
    path("projects/<id:project_id>/decisions/auto/", views.ProjectAutoMerge.as_view(), name="project-auto-merge"),
    path("projects/<id:project_id>/curation/", views.ProjectCurationSettings.as_view(), name="project-curation"),
]
