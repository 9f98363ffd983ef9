"""The model page: leads see the versions and the suggestion settings; reviewers do not."""

import html

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_lead_opens_the_model_page_with_the_projects_suggestion_settings(study):
    browser = Client()
    browser.force_login(study["owner"])
    response = browser.get(f"/projects/{study['project'].pk}/models/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Suggestions to reviewers" in page
    assert '"suggestions": "off"' in page
    assert '"unassisted_share": 0.2' in page


def test_a_reviewer_cannot_open_the_model_page(study):
    browser = Client()
    browser.force_login(study["reviewers"][0])
    assert browser.get(f"/projects/{study['project'].pk}/models/").status_code == 403


def test_the_annotation_screen_lists_the_key_that_takes_a_suggestion(study):
    from annotator.models import Assignment

    reviewer = study["reviewers"][0]
    Assignment.objects.create(project=study["project"], document=study["articles"][0], reviewer=reviewer)
    browser = Client()
    browser.force_login(reviewer)
    page = html.unescape(browser.get(f"/documents/{study['articles'][0].pk}/").content.decode())
    assert "a</kbd></dt><dd>take the model's suggestion" in page
