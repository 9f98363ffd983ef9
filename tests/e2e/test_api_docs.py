"""The API's documentation page works on a machine without internet: Swagger UI is served by the app itself."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_api_docs_list_the_operations_with_every_request_off_this_machine_blocked(new_page):
    UserFactory(username="lead")
    page = new_page()
    blocked = []

    def only_this_machine(route):
        if urlsplit(route.request.url).hostname in {"localhost", "127.0.0.1"}:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    page.context.route("**/*", only_this_machine)
    log_in(page, "lead")
    page.goto("/api/v1/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Lede API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/projects/").first).to_be_visible()
    assert page.locator(".opblock").count() > 20
    assert blocked == []
    assert page.errors == []
