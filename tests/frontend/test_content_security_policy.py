"""Every answer carries a strict Content-Security-Policy; only the API's docs page allows inline styles."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


def directives(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def test_a_plain_page_forbids_inline_script_and_style_and_framing():
    response = Client().get("/accounts/login/")

    assert response.status_code == 200
    assert directives(response) == STRICT


def test_api_docs_page_allows_inline_styles_but_no_inline_script():
    client = Client()
    client.force_login(UserFactory())

    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in directives(response)
    assert "script-src 'self'" in directives(response)
    assert b"<script>" not in response.content
