"""Web pages: thin views that render templates; the pages' scripts read and write through /api/v1/."""

from django.urls import path

from . import views

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/new/", views.project_new, name="project-new"),
    path("projects/<id:pk>/", views.project_detail, name="project"),
    path("projects/<id:pk>/next/", views.project_next, name="project-next"),
    path("projects/<id:pk>/manage/", views.project_manage, name="project-manage"),
    path("projects/<id:pk>/settings/", views.project_settings, name="project-settings"),
    path("projects/<id:pk>/outlets/", views.project_outlets, name="project-outlets"),
    path("projects/<id:pk>/models/", views.project_models, name="project-models"),
    path("projects/<id:pk>/agreement/", views.project_agreement, name="project-agreement"),
    path("projects/<id:pk>/analysis/", views.project_analysis, name="project-analysis"),
    path("projects/<id:pk>/exports/", views.project_exports, name="project-exports"),
    path("documents/<id:pk>/", views.annotate, name="annotate"),
    path("documents/<id:pk>/curate/", views.curate, name="curate"),
    path("documents/<id:pk>/reference/", views.reference, name="reference"),
    path("join/<slug:token>/", views.join, name="join"),
    path("session/resumed/", views.session_resumed, name="session-resumed"),
]
