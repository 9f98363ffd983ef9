"""Importing articles through the API: one at a time (JSON or file) and in bulk (JSONL), all or nothing."""

import json
import threading

import pytest
from django.db import connection

from annotator.models import ArticleImport, Document, Sentence
from annotator.validation import MAX_ARTICLE_BYTES

from ..factories import SAMPLE_ARTICLE, ProjectFactory, named_file


def documents_url(team):
    return f"/api/v1/projects/{team.project.pk}/documents/"


def import_url(team):
    return f"/api/v1/projects/{team.project.pk}/documents/import/"


def post_article(team, **body):
    return team.client("owner").post(documents_url(team), body, format="json")


def upload(team, name: str, content: bytes):
    return team.client("owner").post(documents_url(team), {"file": named_file(name, content)}, format="multipart")


def jsonl(*records) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records).encode()


@pytest.fixture
def bulk(team, django_capture_on_commit_callbacks, media_root):
    """bulk(content, who="owner") -> the POST's answer; the import job, run without a broker, is done by then."""

    def post(content: bytes, who: str = "owner"):
        with django_capture_on_commit_callbacks(execute=True):
            return team.client(who).post(import_url(team), {"file": named_file("a.jsonl", content)}, format="multipart")

    return post


def job_of(team, response) -> dict:
    """Follow a bulk import's Location, as a client polling it would."""
    assert response.status_code == 202, response.content[:300]
    status = team.client("owner").get(response["Location"])
    assert status.status_code == 200
    return status.json()


def test_imported_article_keeps_its_metadata(team):
    response = post_article(
        team,
        text=SAMPLE_ARTICLE,
        title="Bridge",
        author="Ann Lee",
        outlet="Gazette",
        url="https://example.org/a",
        published="2024-05-01",
    )
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("title", "author", "outlet", "url", "published")} == {
        "title": "Bridge",
        "author": "Ann Lee",
        "outlet": "Gazette",
        "url": "https://example.org/a",
        "published": "2024-05-01",
    }


def test_document_detail_has_the_contract_fields(team):
    body = team.client("annotator").get(f"/api/v1/documents/{team.document.pk}/").json()
    assert {"id", "project", "title", "author", "outlet", "url", "published", "text", "sentences"} <= set(body)
    assert set(body["sentences"][0]) == {"id", "index", "paragraph", "start", "end", "text"}


def test_every_sentence_is_its_slice_of_the_stored_text(team):
    body = team.client("annotator").get(f"/api/v1/documents/{team.document.pk}/").json()
    assert [s["text"] for s in body["sentences"]] == [body["text"][s["start"] : s["end"]] for s in body["sentences"]]
    assert [s["index"] for s in body["sentences"]] == list(range(len(body["sentences"])))


def test_sentences_carry_their_paragraph_number(team):
    body = team.client("annotator").get(f"/api/v1/documents/{team.document.pk}/").json()
    assert [s["paragraph"] for s in body["sentences"]] == [0, 0, 1, 1]


def test_uploaded_html_file_is_read_as_html(team):
    response = upload(team, "story.html", b"<html><body><p>First sentence here. Second one.</p></body></html>")
    assert response.status_code == 201
    assert [s["text"] for s in response.json()["sentences"]] == ["First sentence here.", "Second one."]
    assert Document.objects.get(pk=response.json()["id"]).format == "html"


def test_uploaded_markdown_file_is_read_as_markdown(team):
    response = upload(team, "story.md", b"# A title\n\nThe **bridge** reopened. People cheered.\n")
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "A title"
    assert "**" not in body["text"]


@pytest.mark.parametrize(
    "html",
    [
        "<p>Safe words here.<script>alert('x')</script> More words.</p>",
        '<p>Safe words here. <img src=x onerror="alert(1)">More words.</p>',
        '<p>Safe words <a href="javascript:alert(1)">here</a>. More <b onclick="x()">words</b>.</p>',
    ],
)
def test_article_html_is_reduced_to_text(team, html):
    response = post_article(team, text=html, format="html")
    assert response.status_code == 201
    document = Document.objects.get(pk=response.json()["id"])
    stored = document.text + "".join(document.sentences.values_list("text", flat=True))
    assert "<" not in stored
    assert "alert" not in stored
    assert "onerror" not in stored
    assert "Safe words" in document.text


def test_documents_can_be_filtered_by_title(team):
    post_article(team, text=SAMPLE_ARTICLE, title="Flood warning")
    rows = team.client("viewer").get(documents_url(team) + "?title=flood").json()["results"]
    assert [row["title"] for row in rows] == ["Flood warning"]


def test_document_list_counts_sentences(team):
    [row] = team.client("viewer").get(documents_url(team)).json()["results"]
    assert row["sentence_count"] == team.document.sentences.count()


def test_owner_deletes_a_document_with_its_sentences(team):
    response = team.client("owner").delete(f"/api/v1/documents/{team.document.pk}/")
    assert response.status_code == 204
    assert not Sentence.objects.filter(document_id=team.document.pk).exists()


# Bad articles: a 400 naming the field, nothing stored -------------------------------------------


def assert_rejected(response, field: str, team, documents_before: int = 1):
    assert response.status_code == 400, response.content[:300]
    assert field in response.json(), response.json()
    assert Document.objects.filter(project=team.project).count() == documents_before


def test_empty_article_is_rejected_naming_text(team):
    assert_rejected(post_article(team, text=""), "text", team)


def test_blank_article_is_rejected_naming_text(team):
    assert_rejected(post_article(team, text=" \n\n\t "), "text", team)


def test_article_over_two_megabytes_is_rejected_naming_text(team):
    text = ("The council met again today. " * (MAX_ARTICLE_BYTES // 28))[: MAX_ARTICLE_BYTES + 10]
    assert_rejected(post_article(team, text=text), "text", team)


def test_uploaded_file_over_two_megabytes_is_rejected_naming_file(team):
    content = b"The council met again today. " * (MAX_ARTICLE_BYTES // 28 + 10)
    response = upload(team, "big.txt", content)
    assert response.status_code == 413
    assert list(response.json()) == ["file"]
    assert Document.objects.filter(project=team.project).count() == 1


def test_undecodable_bytes_in_an_uploaded_file_are_rejected_naming_file(team):
    assert_rejected(upload(team, "story.txt", b"Caf\xe9 owners said the rent rose. Again."), "file", team)


def test_article_with_no_text_or_file_is_rejected_naming_text(team):
    assert_rejected(post_article(team, title="Only a title"), "text", team)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "ftp://x.org/a"])
def test_article_url_must_be_http_or_https(team, url):
    assert_rejected(post_article(team, text=SAMPLE_ARTICLE, url=url), "url", team)


def test_article_url_over_2000_characters_is_rejected_naming_url(team):
    url = "https://example.org/" + "a" * 2000
    assert_rejected(post_article(team, text=SAMPLE_ARTICLE, url=url), "url", team)


def test_unknown_format_is_rejected_naming_format(team):
    assert_rejected(post_article(team, text=SAMPLE_ARTICLE, format="pdf"), "format", team)


def test_bad_publication_date_is_rejected_naming_published(team):
    assert_rejected(post_article(team, text=SAMPLE_ARTICLE, published="yesterday"), "published", team)


# Bulk JSONL import -------------------------------------------------------------------------------


def test_bulk_import_answers_202_with_a_job_that_reports_what_it_created(team, bulk):
    response = bulk(jsonl({"text": SAMPLE_ARTICLE}, {"text": "Second article. It is short."}))
    assert response.json()["status_url"] == response["Location"]
    job = job_of(team, response)
    assert (job["status"], job["articles"], job["processed"], job["progress"], job["created"]) == (
        "ready",
        2,
        2,
        100,
        2,
    )
    assert job["error"] is None
    created = Document.objects.filter(project=team.project).exclude(pk=team.document.pk)
    assert sorted(job["documents"]) == sorted(created.values_list("pk", flat=True))
    assert created.count() == 2


def test_sentences_with_backslashes_read_back_as_imported(team, bulk):
    """The sentences go to PostgreSQL in one COPY stream, where a backslash (and `\\N`) is special."""
    text = "A path C:\\new\\table was found. The \\N marker and a tab\there stay."
    job = job_of(team, bulk(jsonl({"text": text, "id": "escapes"})))
    document = Document.objects.get(pk=job["documents"][0])
    sentences = list(document.sentences.order_by("index").values_list("text", "start", "end"))
    assert [s for s, _, _ in sentences] == ["A path C:\\new\\table was found.", "The \\N marker and a tab here stay."]
    assert all(document.text[start:end] == s for s, start, end in sentences)


def test_bulk_import_keeps_metadata_and_the_external_id(team, bulk):
    record = {
        "id": "a-17",
        "text": SAMPLE_ARTICLE,
        "title": "Bridge",
        "author": "Ann Lee",
        "outlet": "Gazette",
        "url": "https://example.org/b",
        "published": "2023-02-03",
    }
    bulk(jsonl(record))
    document = Document.objects.get(project=team.project, key="a-17")
    assert (document.title, document.author, document.outlet, document.url, str(document.published)) == (
        "Bridge",
        "Ann Lee",
        "Gazette",
        "https://example.org/b",
        "2023-02-03",
    )


def test_bulk_import_skips_blank_lines(team, bulk):
    assert job_of(team, bulk(jsonl({"text": SAMPLE_ARTICLE}, "", "   ", {"text": SAMPLE_ARTICLE})))["created"] == 2


def test_bulk_import_with_a_non_json_line_names_the_line_and_imports_nothing(team, bulk):
    response = bulk(jsonl({"text": SAMPLE_ARTICLE}, {"text": SAMPLE_ARTICLE}, "{not json"))
    assert_rejected(response, "file", team)
    assert "Line 3" in response.json()["file"][0]
    assert not ArticleImport.objects.exists()


def test_bulk_import_with_an_empty_article_is_refused_at_once_naming_it(team, bulk):
    response = bulk(jsonl({"text": SAMPLE_ARTICLE}, {"text": ""}))
    assert_rejected(response, "file", team)
    assert "Article 2" in response.json()["file"][0]


def test_bulk_import_with_a_bad_url_imports_nothing(team, bulk):
    response = bulk(jsonl({"text": SAMPLE_ARTICLE}, {"text": SAMPLE_ARTICLE, "url": "javascript:alert(1)"}))
    assert_rejected(response, "file", team)
    assert "Article 2: url" in response.json()["file"][0]


def test_bulk_import_of_a_line_that_is_not_an_object_names_the_line(team, bulk):
    response = bulk(jsonl({"text": SAMPLE_ARTICLE}, "[1, 2]"))
    assert_rejected(response, "file", team)
    assert "Line 2" in response.json()["file"][0]


def test_bulk_import_with_undecodable_bytes_is_rejected_naming_file(team, bulk):
    assert_rejected(bulk(b'{"text": "Caf\xe9 owners complained."}'), "file", team)


def test_an_article_found_wrong_only_when_split_fails_the_job_naming_it_and_imports_nothing(team, bulk):
    nothing_to_label = {"text": "<html><body><script>var a = 1;</script></body></html>", "format": "html"}
    job = job_of(team, bulk(jsonl({"text": SAMPLE_ARTICLE}, nothing_to_label)))
    assert job["status"] == "failed"
    assert job["error"]["file"][0].startswith("Article 2: text:")
    assert job["created"] == 0
    assert Document.objects.filter(project=team.project).count() == 1


def test_the_uploaded_file_is_removed_once_the_import_is_done(team, bulk, media_root):
    job_of(team, bulk(jsonl({"text": SAMPLE_ARTICLE})))
    assert not any(media_root.rglob("*.jsonl"))
    assert ArticleImport.objects.get().file.name == ""


@pytest.mark.parametrize(("who", "status"), [("curator", 200), ("annotator", 403), ("viewer", 403), ("outsider", 404)])
def test_who_may_follow_an_import(team, bulk, who, status):
    location = bulk(jsonl({"text": SAMPLE_ARTICLE}))["Location"]
    assert team.client(who).get(location).status_code == status


def test_an_import_of_another_project_is_not_found(team, bulk):
    location = bulk(jsonl({"text": SAMPLE_ARTICLE}))["Location"]
    other = ProjectFactory(owner=team.users["owner"])
    elsewhere = location.replace(f"/projects/{team.project.pk}/", f"/projects/{other.pk}/")
    assert team.client("owner").get(elsewhere).status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("media_root")
def test_without_a_broker_the_answer_already_says_ready(team):
    content = jsonl({"text": SAMPLE_ARTICLE}, {"text": SAMPLE_ARTICLE})
    response = team.client("owner").post(import_url(team), {"file": named_file("a.jsonl", content)}, format="multipart")
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["created"]) == ("ready", 2)


@pytest.mark.django_db(transaction=True)
def test_a_client_waiting_on_an_import_is_answered_when_it_finishes(team):
    job = ArticleImport.objects.create(project=team.project, requested_by=team.users["owner"], articles=1)
    worker = threading.Timer(
        0.2, lambda: (ArticleImport.objects.filter(pk=job.pk).finish(documents=[]), connection.close())
    )
    worker.start()

    answer = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/documents/imports/{job.pk}/", {"wait": 30})

    worker.join()
    assert answer.json()["status"] == "ready"


@pytest.mark.parametrize("wait", ["soon", "-1", "31"])
def test_a_wait_that_is_not_0_to_30_seconds_is_refused_naming_wait(team, bulk, wait):
    location = bulk(jsonl({"text": SAMPLE_ARTICLE}))["Location"]
    response = team.client("owner").get(location, {"wait": wait})
    assert response.status_code == 400
    assert list(response.json()) == ["wait"]
