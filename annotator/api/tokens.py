"""API tokens: `POST auth/token/` signs in with a username and password, `POST auth/token/revoke/` ends a token."""

from django.contrib.auth import authenticate
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator import services

from .authentication import TokenAuthentication

LOCKOUT = OpenApiResponse(description="Too many failed sign-ins: see Retry-After.")
SIGNED_OUT = "Unable to log in with provided credentials."


class TokenScheme(OpenApiAuthenticationExtension):
    """Documents knox's tokens under the scheme name clients already know (`tokenAuth`)."""

    target_class = "annotator.api.authentication.TokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A token from POST auth/token/ with the prefix "Token"; it expires (see `expiry`) '
            "and ends with POST auth/token/revoke/ or a password change.",
        }


class SignInSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField(help_text="When the token stops working; sign in again for a new one.")


class ObtainToken(APIView):
    """A new API token for a username and password.

    The token expires after `API_TOKEN_TTL_HOURS` (24 by default), ends at once with
    `POST auth/token/revoke/`, and every token of an account ends when its password changes. After
    `SIGNIN_FAILURE_LIMIT` failed sign-ins from one address or for one account (the login form's
    count too), further tries answer 429 with `Retry-After` until the cool-off has passed.
    """

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=SignInSerializer,
        responses={
            200: TokenSerializer,
            429: OpenApiResponse(description="Too many failed sign-ins; see Retry-After."),
        },
    )
    def post(self, request):
        serializer = SignInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Django's own request, so that django-axes marks a refused sign-in where its middleware looks.
        user = authenticate(request._request, **serializer.validated_data)
        if user is None:
            raise serializers.ValidationError({"non_field_errors": [SIGNED_OUT]})
        secret, token = services.issue_token(user=user)
        return Response(TokenSerializer({"token": secret, "expiry": token.expiry}).data)


class RevokeToken(APIView):
    """End the token this request is signed with; it answers 401 from then on."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.revoke_token(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
