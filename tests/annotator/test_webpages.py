"""Web pages: the article and its metadata out of a saved page, and pages fetched by URL from public servers only.

No test reaches the internet: address checks use literal IPs and localhost, and pages are
fetched from a server on 127.0.0.1 (tests/web_pages.py) under `LEDE_FETCH_LOOPBACK_ONLY`, which
tests/conftest.py sets.
"""

import datetime

import pytest

from annotator.text.segmentation import segment_article
from annotator.text.webfetch import FetchError, fetch_page, public_address

from ..web_pages import NEWS_PAGE

# --- a saved page ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_article():
    return segment_article(NEWS_PAGE, "html")


def test_saved_page_gives_title_author_date_and_site(page_article):
    assert page_article.title == "Bridge to reopen after two years"
    assert page_article.author == "Jane Doe"
    assert page_article.published == datetime.date(2024, 3, 5)
    assert page_article.site == "The Courier"


def test_saved_page_gives_only_the_article_body(page_article):
    text = page_article.text
    assert text.startswith("Officials said on Tuesday")
    for chrome in ("Sport", "Related stories", "Ferry fares", "Comments", "disaster from the start", "Privacy"):
        assert chrome not in text
    assert page_article.sentence_texts()[-1] == (
        "Traffic is expected to return to normal by June, according to the transport department."
    )


def test_html_fragment_is_read_without_page_extraction():
    article = segment_article("<p>Before.</p><p>After.</p>", "html")
    assert article.sentence_texts() == ["Before.", "After."]


# --- address checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
    ],
)
def test_private_loopback_link_local_and_reserved_addresses_are_refused(host):
    with pytest.raises(FetchError, match="not a public address"):
        public_address(host, 80)


@pytest.mark.parametrize("host", ["10.0.0.1", "169.254.169.254", "192.168.1.1", "93.184.216.34", "example.org"])
def test_loopback_only_mode_allows_nothing_else_and_looks_up_no_name(host):
    with pytest.raises(FetchError, match="not a public address"):
        public_address(host, 80, loopback_only=True)


def test_a_public_literal_address_is_accepted():
    assert public_address("93.184.216.34", 80) == "93.184.216.34"


# --- fetching from a local server ---------------------------------------------------------------


def test_fetch_follows_a_redirect_and_reads_the_page(local_server):
    page = fetch_page(f"{local_server}/to-news", loopback_only=True)
    assert (page.url, page.format) == (f"{local_server}/news", "html")
    assert "Harbour Bridge" in page.text


def test_fetch_refuses_a_redirect_to_a_private_address(local_server):
    with pytest.raises(FetchError, match="not a public address"):
        fetch_page(f"{local_server}/to-private", loopback_only=True)


def test_fetch_refuses_a_page_over_the_size_limit(local_server):
    with pytest.raises(FetchError, match="larger than the limit"):
        fetch_page(f"{local_server}/big", loopback_only=True, max_bytes=10_000)


def test_fetch_refuses_a_page_announced_over_the_size_limit(local_server):
    with pytest.raises(FetchError, match="larger than the limit of 5 MB"):
        fetch_page(f"{local_server}/huge", loopback_only=True)


def test_fetch_gives_up_on_a_server_slower_than_the_time_limit(local_server):
    with pytest.raises(FetchError, match="did not answer within 1 second"):
        fetch_page(f"{local_server}/slow", loopback_only=True, timeout=1.0)


def documents_url(team):
    return f"/api/v1/projects/{team.project.pk}/documents/"


@pytest.fixture
def fetch(team, django_capture_on_commit_callbacks):
    """fetch(url, **fields) -> the page import's job once it ended, as the lead polling its Location reads it.

    Without a broker the job runs once its request commits, in this process (a worker's tests are
    in tests/annotator/test_import_worker.py)."""

    def post(url: str, **fields) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            response = team.client("owner").post(documents_url(team), {"url": url, **fields}, format="json")
        assert response.status_code == 202, response.json()
        assert response.json()["url"] == url
        return team.client("owner").get(response["Location"]).json()

    return post


def imported(team, job) -> dict:
    assert (job["status"], job["created"]) == ("ready", 1), job
    return team.client("owner").get(f"/api/v1/documents/{job['documents'][0]}/").json()


def test_a_page_import_is_answered_at_once_with_the_job_to_follow(team, local_server):
    response = team.client("owner").post(documents_url(team), {"url": f"{local_server}/slow"}, format="json")
    assert response.status_code == 202
    job = response.json()
    assert (job["status"], job["url"], job["articles"]) == ("pending", f"{local_server}/slow", 1)
    assert response["Location"] == job["status_url"]


def test_lead_imports_a_page_by_url(team, local_server, fetch):
    body = imported(team, fetch(f"{local_server}/news"))
    assert (body["title"], body["author"], body["outlet"], body["published"]) == (
        "Bridge to reopen after two years",
        "Jane Doe",
        "The Courier",
        "2024-03-05",
    )
    assert body["url"] == f"{local_server}/news"
    assert body["sentences"][0]["text"].startswith("Officials said on Tuesday")


def test_what_the_lead_says_of_the_page_wins_over_what_it_says(team, local_server, fetch):
    job = fetch(f"{local_server}/news", title="Harbour Bridge", published="2024-03-06", topics=["transport"])
    body = imported(team, job)
    assert (body["title"], body["published"], body["topics"]) == ("Harbour Bridge", "2024-03-06", ["transport"])


def test_a_plain_text_page_is_imported_as_text(team, local_server, fetch):
    body = imported(team, fetch(f"{local_server}/plain"))
    assert [s["text"] for s in body["sentences"]] == ["The bridge reopened.", "Traffic returned."]


@pytest.mark.parametrize(
    ("path", "message"),
    [("/missing", "answered 404"), ("/image", "not a web page"), ("/to-private", "not a public address")],
)
def test_a_page_that_cannot_be_fetched_fails_its_job_naming_url(team, local_server, fetch, path, message):
    count = team.project.documents.count()
    job = fetch(f"{local_server}{path}")
    assert job["status"] == "failed"
    assert message in " ".join(job["error"]["url"])
    assert team.project.documents.count() == count


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/news", "http://localhost:9/", "http://169.254.169.254/latest/meta-data/"]
)
def test_loopback_and_private_urls_are_refused_outside_tests(team, settings, fetch, url):
    settings.LEDE_FETCH_LOOPBACK_ONLY = False  # a deployment's setting; every URL here is a literal or localhost
    job = fetch(url)
    assert job["status"] == "failed"
    assert "not a public address" in " ".join(job["error"]["url"])


@pytest.mark.parametrize("url", ["ftp://example.org/a", "file:///etc/passwd", "javascript:alert(1)"])
def test_other_schemes_are_refused_at_once_and_nothing_is_queued(team, url):
    response = team.client("owner").post(documents_url(team), {"url": url}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()
    assert not team.project.article_imports.exists()


def test_bad_metadata_for_a_page_is_refused_at_once_naming_the_field(team, local_server):
    response = team.client("owner").post(
        documents_url(team), {"url": f"{local_server}/news", "attributes": {"": "x"}}, format="json"
    )
    assert response.status_code == 400
    assert "attributes" in response.json()
    assert not team.project.article_imports.exists()


def test_a_request_without_text_file_or_url_names_text(team):
    response = team.client("owner").post(documents_url(team), {"title": "Nothing"}, format="json")
    assert response.status_code == 400
    assert "url" in " ".join(response.json()["text"])


def test_only_the_lead_fetches(team, local_server):
    response = team.client("annotator").post(documents_url(team), {"url": f"{local_server}/news"}, format="json")
    assert response.status_code == 403
