"""The API's root: links to where to start."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lede import version


class ApiRoot(APIView):
    """Lede's API, version 1. Authenticate with a token (POST auth/token/) or a session."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        base = request.build_absolute_uri("/api/v1/")
        return Response(
            {
                "projects": base + "projects/",
                "token": base + "auth/token/",
                "schema": base + "schema/",
                "docs": base + "docs/",
                "version": version.described(),
            }
        )
