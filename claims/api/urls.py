"""URLs of the `claims` API (agreement reports and exports) under /api/v1/."""

urlpatterns: list = []

# Research exports (claims/api/export_views.py).
from django.urls import path  # noqa: E402

from . import export_views  # noqa: E402

urlpatterns += [
    path("projects/<id:project_id>/export.zip", export_views.ExportArchiveStart.as_view(), name="export-archive"),
    path(
        "projects/<id:project_id>/exports/<id:pk>/",
        export_views.ExportArchiveDetail.as_view(),
        name="export-archive-detail",
    ),
    path(
        "projects/<id:project_id>/exports/<id:pk>/download/",
        export_views.ExportArchiveDownload.as_view(),
        name="export-archive-download",
    ),
    path("projects/<id:project_id>/export/<str:name>", export_views.ExportFile.as_view(), name="export-file"),
]

# Agreement reports and annotation import (claims/api/views.py).
from . import views  # noqa: E402

urlpatterns += [
    path("projects/<id:project_id>/agreement/", views.ProjectAgreement.as_view(), name="project-agreement"),
    path(
        "projects/<id:project_id>/agreement/articles/",
        views.ProjectDocumentsAgreement.as_view(),
        name="project-documents-agreement",
    ),
    path("projects/<id:project_id>/analysis/", views.ProjectAnalysis.as_view(), name="project-analysis"),
    path("documents/<id:pk>/agreement/", views.DocumentAgreement.as_view(), name="document-agreement"),
    path("projects/<id:project_id>/annotations/import/", views.AnnotationImport.as_view(), name="annotation-import"),
]
