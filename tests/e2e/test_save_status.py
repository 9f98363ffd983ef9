"""The save status tells the truth about changes that another user left waiting in this browser."""

import pytest
from playwright.sync_api import expect

from annotator.models import Annotation

from .conftest import log_in, open_annotation_screen
from .helpers import study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVES = "**/api/v1/sentences/**"


def labels_of(document, username) -> list[str]:
    return list(
        Annotation.objects.filter(sentence__document=document, annotator__username=username).values_list(
            "label__name", flat=True
        )
    )


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(lambda url: "/logout/" in url or "/login/" in url)


def test_a_change_left_offline_by_one_reviewer_is_shown_waiting_for_them_and_sent_when_they_return(new_page):
    _, document, _ = study(title="Bridge to reopen")
    page = new_page()
    log_in(page, "anna")
    open_annotation_screen(page, document.pk)
    page.context.set_offline(True)
    page.keyboard.press("1")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "failed")
    # Back online only to sign out: the save itself still cannot get through.
    page.route(SAVES, lambda route: route.abort("internetdisconnected"))
    page.context.set_offline(False)
    log_out(page)

    log_in(page, "ben")
    open_annotation_screen(page, document.pk)
    expect(page.locator("#save-text")).to_have_text("1 change waits for anna: sign in as them to send them.")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "waiting-for-others")
    page.unroute(SAVES)
    page.keyboard.press("2")  # ben's own change is saved as his; anna's still waits
    expect(page.locator("#save-text")).to_have_text("1 change waits for anna: sign in as them to send them.")
    assert labels_of(document, "ben") == ["quote"]
    assert labels_of(document, "anna") == []
    log_out(page)

    log_in(page, "anna")
    open_annotation_screen(page, document.pk)
    expect(page.locator("#save-text")).to_have_text("All changes saved")
    assert labels_of(document, "anna") == ["claim"]
