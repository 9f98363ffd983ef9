"""A lead reads agreement on an ordinal scale and downloads the reliability report, in a real browser."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotator.models import Role
from tests.factories import DocumentFactory, ProjectFactory, UserFactory, add_member, label_document

from .conftest import PHONE, log_in
from .helpers import ARTICLE, violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def ordinal_study():
    """An ordinal project on the default labels (claim < quote < opinion: words, not numbers), labelled by two."""
    lead = UserFactory(username="lead")
    project = ProjectFactory(owner=lead, name="Tone study", scale="ordinal")
    document = DocumentFactory(project=project, text=ARTICLE, format="markdown", title="Bridge to reopen")
    n = document.sentences.count()
    label_document(document, add_member(project, Role.ANNOTATOR, "anna"), (["claim", "quote", "opinion"] * n)[:n])
    label_document(document, add_member(project, Role.ANNOTATOR, "ben"), (["claim", "opinion", "opinion"] * n)[:n])
    return project


def test_the_agreement_page_warns_that_an_ordinal_order_of_words_is_the_leads(new_page, screenshot):
    project = ordinal_study()
    lead = new_page(PHONE)
    log_in(lead, "lead")
    lead.goto(f"/projects/{project.pk}/")
    lead.get_by_role("link", name="Agreement").click()

    warning = lead.locator("#order-warning")
    expect(warning).to_contain_text("claim < quote < opinion")
    expect(lead.locator("#freshness")).to_have_attribute("data-status", "ready")
    expect(lead.locator("#coefficients")).to_contain_text("Weighted percent agreement (linear)")
    expect(lead.locator("#pairs")).to_contain_text("Weighted kappa (linear)")
    expect(lead.locator("#pairs tr").filter(has_text="anna and ben")).to_be_visible()
    assert violations(lead) == []
    screenshot(lead, "agreement-ordinal-phone", full_page=True)

    warning.get_by_role("link", name="Check the order in the project's settings").click()
    expect(lead).to_have_url(f"{lead.url.split('/projects/')[0]}/projects/{project.pk}/settings/")


def test_a_lead_downloads_the_reliability_report_from_the_exports_page(new_page):
    project = ordinal_study()
    lead = new_page()
    log_in(lead, "lead")
    lead.goto(f"/projects/{project.pk}/agreement/")
    expect(lead.locator("#freshness")).to_have_attribute("data-status", "ready")
    alpha = lead.locator("#alpha").text_content()
    lead.goto(f"/projects/{project.pk}/")
    lead.get_by_role("link", name="Exports").click()
    # A reviewer chosen for the label files does not narrow the report: it is the whole project's.
    lead.get_by_label("Reviewer", exact=True).select_option("anna")

    with lead.expect_download() as download_info:
        lead.get_by_role("button", name="Download reliability.md").click()
    assert "annotator=" not in download_info.value.url
    text = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "# Reliability of the labels of Tone study" in text
    assert f"at the ordinal level was {alpha}" in text
    assert "with linear weights on the ranks" in text
    assert "| anna | ben |" in text
