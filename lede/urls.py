"""Where every request goes: /api/v1/ (REST), /admin/, /accounts/ (login), and the web pages at /."""

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .converters import IdConverter, UsernameConverter
from .views import favicon, healthz

# Registered before the apps' URL modules below are imported: they use `<id:pk>` and `<username:...>`.
register_converter(IdConverter, "id")
register_converter(UsernameConverter, "username")

handler403 = "lede.views.permission_denied"
handler404 = "lede.views.page_not_found"
handler500 = "lede.views.server_error"

api_v1 = [
    path("", include("annotator.api.urls")),
    path("", include("claims.api.urls")),
    path("", include("curation.api.urls")),
    path("", include("machine.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's set-up script is a file of its own (the split view), so the page needs no inline script;
    # Swagger UI does draw inline styles, which this page alone allows.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("frontend.urls")),
]
