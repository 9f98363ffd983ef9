"""URLs of the `machine` API under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("projects/<id:project_id>/models/", views.ModelList.as_view(), name="model-list"),
    path("projects/<id:project_id>/models/<int:version>/", views.ModelDetail.as_view(), name="model-detail"),
    path("projects/<id:project_id>/machine-labels/", views.MachineLabels.as_view(), name="machine-labels"),
    path("documents/<id:pk>/suggestions/", views.DocumentSuggestions.as_view(), name="document-suggestions"),
]
