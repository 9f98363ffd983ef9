"""A lead reads the coverage analyses: bars with intervals per outlet, small multiples by month, the difference of
two outlets, claims' sources and quotes' speakers, a table to copy; by default gold where decided and the plurality
elsewhere."""

import datetime

import pytest
from playwright.sync_api import expect

from annotator import services
from curation import services as curation
from tests.factories import DocumentFactory, label_document

from .conftest import PHONE, log_in
from .helpers import study, violations

# A group of one article: its figures show without an interval, and say why.
NONE = "no interval (under 20 articles)"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def coverage_study():
    """Two outlets, one article each in different months, labelled by anna and ben."""
    project, courier, users = study(published=datetime.date(2024, 3, 5))
    herald = DocumentFactory(
        project=project, title="Bridge delayed", outlet="The Herald", published=datetime.date(2024, 4, 9)
    )
    for document, labels in ((courier, ["claim", "opinion", "opinion", "quote"]), (herald, ["claim", "claim"])):
        label_document(document, users["anna"], labels)
        label_document(document, users["ben"], labels)
    return project, users


def open_coverage(page, project) -> None:
    """From the project's page, as a lead would; the page is drawn once the analysis is ready."""
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="Coverage").click()
    expect(page.locator("body")).to_have_attribute("data-status", "ready")


def test_lead_reads_the_shares_per_outlet_and_copies_the_table(new_page, screenshot):
    project, _ = coverage_study()
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, "lead")
    open_coverage(page, project)

    # Nothing decided: gold where decided, plurality elsewhere is the plurality of every sentence.
    expect(page.locator("#basis-n")).to_contain_text(
        "Basis: gold where decided, plurality elsewhere · n = 2 articles, 6 sentences, 0 decisions, 12 labels"
        " · sentences: 0 decided, "
    )
    expect(page.locator("#share-charts svg")).to_have_count(3)
    expect(page.get_by_role("img", name="Share of opinion by outlet, with 95% intervals")).to_be_visible()
    expect(page.locator("#month-charts h3")).to_have_text(["2024-03 (1 article)", "2024-04 (1 article)"])
    opinion = page.locator("#figures tr", has_text="The Courier").filter(has_text="share of opinion")
    # One article an outlet: the estimate, and no interval (far under the minimum the simulation supports).
    expect(opinion.locator("td")).to_have_text(["share of opinion", "0.500", "", "", "1", "4"])

    page.get_by_role("button", name="Copy table").click()
    expect(page.locator("#copy-status")).to_have_text("Copied 14 rows as tab-separated text.")
    copied = page.evaluate("navigator.clipboard.readText()").splitlines()
    assert copied[0] == "outlet\tfigure\testimate\t95% low\t95% high\tarticles\tsentences"
    assert "The Courier\tshare of opinion\t0.500\t\t\t1\t4" in copied
    screenshot(page, "coverage", full_page=True)
    assert page.errors == []


def test_lead_changes_the_grouping_and_the_basis(new_page):
    project, _ = coverage_study()
    page = new_page()
    log_in(page, "lead")
    open_coverage(page, project)

    page.get_by_label("Group by").select_option("month")
    expect(page.locator("#figures tr").nth(1).locator("th")).to_have_text("2024-03")
    assert page.url.endswith("?by=month&basis=combined")
    page.get_by_label("Basis").select_option("labels")
    expect(page.locator("#basis-n")).to_contain_text("Basis: every reviewer's label · n = 2 articles")

    page.get_by_label("Basis").select_option("gold")
    expect(page.locator("#analysis-error")).to_contain_text("basis: The 'gold' basis is not available")
    expect(page.locator("#analysis-results")).to_be_hidden()
    expect(page.locator("#basis-n")).to_have_text("Basis: gold decisions only · no figures")
    page.get_by_label("Basis").select_option("plurality")
    expect(page.locator("#analysis-results")).to_be_visible()
    expect(page.locator("#analysis-error")).to_have_text("")
    assert page.errors == []


def test_the_page_follows_a_recomputation_after_new_labels(new_page):
    project, users = coverage_study()
    page = new_page()
    log_in(page, "lead")
    open_coverage(page, project)
    expect(page.locator("#basis-n")).to_contain_text("12 labels")

    third = DocumentFactory(project=project, title="Bridge opens", outlet="The Herald")
    label_document(third, users["anna"], ["opinion"])
    page.get_by_label("Basis").select_option("labels")
    page.get_by_label("Basis").select_option("plurality")
    expect(page.locator("#basis-n")).to_contain_text("n = 3 articles")


def cite_and_name(project, users):
    """anna's claim in The Courier cites reuters.com, ben's in The Herald apnews.com; both name the Courier's quote's
    speaker."""
    courier, herald = project.documents.order_by("pk")
    for document, who, url in ((courier, "anna", "https://www.reuters.com/x"), (herald, "ben", "https://apnews.com/y")):
        services.label_sentence(
            sentence=document.sentences.get(index=0),
            annotator=users[who],
            label_name="claim",
            sources=[services.SourceInput(url=url)],
        )
    for who in ("anna", "ben"):
        services.label_sentence(
            sentence=courier.sentences.get(index=3), annotator=users[who], label_name="quote", speaker="the mayor"
        )
    return courier, herald


def test_lead_compares_two_outlets_and_reads_sources_and_speakers(new_page):
    project, users = coverage_study()
    cite_and_name(project, users)
    page = new_page()
    log_in(page, "lead")
    open_coverage(page, project)

    claim = page.locator("#differences tr", has_text="share of claim")
    expect(page.locator("#differences th").nth(1)).to_have_text("The Courier minus The Herald")
    expect(claim.locator("td")).to_have_text(["-75 pts", NONE, "", ""])
    expect(page.locator("#basis-n")).to_contain_text("differences' p adjusted by Holm's method")
    page.get_by_label("Group", exact=True).select_option("The Herald")
    page.get_by_label("minus").select_option("The Courier")
    expect(claim.locator("td")).to_have_text(["+75 pts", NONE, "", ""])
    sourced = page.locator("#differences tr", has_text="claims with a source")
    expect(sourced.locator("td")).to_have_text(["-50 pts", NONE, "", ""])

    courier = page.locator("#claims tr", has_text="The Courier")
    expect(courier.locator("td")).to_have_text(["1", "100%", NONE, "1.00", NONE, "reuters.com (1)"])
    herald = page.locator("#claims tr", has_text="The Herald")
    expect(herald.locator("td")).to_have_text(["2", "50%", NONE, "0.50", NONE, "apnews.com (1)"])
    quotes = page.locator("#quotes tr", has_text="The Courier")
    expect(quotes.locator("td")).to_have_text(["1", "1", NONE, "100%", NONE, "the mayor (1)"])
    expect(page.locator("#quotes tr", has_text="The Herald").locator("td").last).to_have_text("no named speaker")
    assert violations(page) == []
    assert page.errors == []


def test_decisions_count_where_curators_decided_and_the_plurality_elsewhere(new_page):
    project, users = coverage_study()
    courier, herald = project.documents.order_by("pk")
    curator = users["lead"]
    for sentence, label in zip(courier.sentences.order_by("index"), ["claim", "claim", "opinion", None], strict=False):
        curation.decide(sentence=sentence, curator=curator, label_name=label)
    curation.decide(sentence=herald.sentences.get(index=0), curator=curator, label_name="quote", speaker="a voter")
    page = new_page()
    log_in(page, "lead")
    open_coverage(page, project)

    expect(page.get_by_label("Basis")).to_have_value("combined")
    expect(page.locator("#basis-n")).to_contain_text(
        "Basis: gold where decided, plurality elsewhere · n = 2 articles, 6 sentences, 4 decisions, 12 labels"
        " · sentences: 4 decided, "
    )
    page.get_by_label("Basis").select_option("gold")
    expect(page.locator("#basis-n")).to_have_text(
        "Basis: gold decisions only · n = 2 articles, 4 sentences, 4 decisions · 1000 resamples"
        " · no interval for a group under 20 articles; differences' p adjusted by Holm's method"
    )
    opinion = page.locator("#figures tr", has_text="The Courier").filter(has_text="share of opinion")
    expect(opinion.locator("td")).to_have_text(["share of opinion", "0.333", "", "", "1", "3"])
    expect(page.locator("#quotes tr", has_text="The Herald").locator("td").last).to_have_text("a voter (1)")

    page.get_by_label("Basis").select_option("plurality")
    expect(page.locator("#basis-n")).to_contain_text("Basis: plurality label · n = 2 articles, 6 sentences, 12 labels")
    assert page.url.endswith("?by=outlet&basis=plurality")
    assert page.errors == []


def test_coverage_fits_a_phone(new_page):
    project, users = coverage_study()
    cite_and_name(project, users)
    page = new_page(PHONE)
    log_in(page, "lead")
    open_coverage(page, project)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#figures").scroll_into_view_if_needed()
    expect(page.locator("#basis-n")).to_be_in_viewport()
    page.locator("#differences").scroll_into_view_if_needed()
    expect(page.locator("#basis-n")).to_be_in_viewport()
    expect(page.locator("#differences tr", has_text="share of claim").locator("td").first).to_have_text("-75 pts")
    assert violations(page) == []


def test_annotator_of_a_blind_project_has_no_coverage_link(new_page):
    project, _ = coverage_study()
    page = new_page()
    log_in(page, "anna")
    page.goto(f"/projects/{project.pk}/")
    expect(page.get_by_role("link", name="Coverage")).to_have_count(0)
    assert page.goto(f"/projects/{project.pk}/analysis/").status == 403


def test_annotator_of_an_open_project_reads_the_coverage(new_page):
    project, _ = coverage_study()
    services.update_project(project=project, blind=False)
    page = new_page()
    log_in(page, "anna")
    open_coverage(page, project)
    expect(page.locator("#share-charts svg")).to_have_count(3)
