"""The work one article may cost: sentences, seconds of splitting, and bodies refused before they are read whole."""

import json

import pytest
from django.test.client import FakePayload, encode_multipart

from annotator.models import ArticleImport, Document, Sentence
from annotator.validation import MAX_ARTICLE_BYTES
from tests.factories import named_file

pytestmark = pytest.mark.django_db
BOUNDARY = "LedeBoundary"


def documents_url(team) -> str:
    return f"/api/v1/projects/{team.project.pk}/documents/"


def nothing_created(team) -> bool:
    return (
        Document.objects.filter(project=team.project).count() == 1
        and Sentence.objects.filter(document__project=team.project).count() == team.document.sentences.count()
    )


class CountingPayload(FakePayload):
    """The request body as the server reads it, remembering how many bytes were taken."""

    def __init__(self, content: bytes):
        super().__init__(content)
        self.taken = 0

    def read(self, size=-1, /):
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk

    def readline(self, size=-1, /):
        line = super().readline(size)
        self.taken += len(line)
        return line


def post_multipart(team, fields: dict) -> tuple:
    """POST `fields` as multipart to the one-article endpoint; the answer and how much of the body was read."""
    body = encode_multipart(BOUNDARY, fields)
    payload = CountingPayload(body)
    answer = team.client("owner").generic(
        "POST",
        documents_url(team),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **{"wsgi.input": payload, "CONTENT_LENGTH": str(len(body))},
    )
    return answer, payload.taken, len(body)


def test_a_10_mb_upload_is_refused_naming_file_before_it_is_read(team):
    answer, taken, size = post_multipart(team, {"title": "Huge", "file": named_file("huge.txt", b"A. " * 3_500_000)})

    assert answer.status_code == 413, answer.content[:300]
    assert list(answer.json()) == ["file"]
    assert taken < 100_000 < size
    assert nothing_created(team)


def test_an_upload_over_the_limit_in_a_body_that_hides_it_is_refused_at_the_limit(team):
    # The declared length is what the form's other fields could take: the file's bytes are counted as they arrive.
    content = b"The council met. " * (MAX_ARTICLE_BYTES // 17 + 1000)
    answer, taken, _ = post_multipart(team, {"file": named_file("long.txt", content)})

    assert answer.status_code == 413
    assert list(answer.json()) == ["file"]
    assert taken < MAX_ARTICLE_BYTES + 200_000
    assert nothing_created(team)


def test_a_json_body_over_the_data_limit_is_refused_naming_text_before_it_is_read(team, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
    body = json.dumps({"text": "The council met. " * 100_000}).encode()
    payload = CountingPayload(body)
    answer = team.client("owner").generic(
        "POST",
        documents_url(team),
        content_type="application/json",
        **{"wsgi.input": payload, "CONTENT_LENGTH": str(len(body))},
    )

    assert answer.status_code == 413
    assert list(answer.json()) == ["text"]
    assert payload.taken == 0
    assert nothing_created(team)


def test_a_json_body_over_the_data_limit_elsewhere_is_a_413(team, settings, sentence):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answer = team.client("annotator").put(
        f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "claim", "note": "n" * 2000}, format="json"
    )
    assert answer.status_code == 413
    assert "non_field_errors" in answer.json()
    assert not sentence.annotations.exists()


def test_an_article_with_more_sentences_than_the_cap_is_refused_naming_text(team, settings):
    settings.ARTICLE_MAX_SENTENCES = 50
    text = "\n\n".join(f"Paragraph {n} says the council met." for n in range(60))

    answer = team.client("owner").post(documents_url(team), {"text": text}, format="json")

    assert answer.status_code == 400
    assert "more than 50 sentences" in answer.json()["text"][0]
    assert nothing_created(team)


def test_an_uploaded_markdown_list_over_the_cap_is_refused_naming_file(team, settings):
    settings.ARTICLE_MAX_SENTENCES = 1000
    content = ("- A.\n" * 5000).encode()

    answer = team.client("owner").post(
        documents_url(team), {"file": named_file("list.md", content)}, format="multipart"
    )

    assert answer.status_code == 400
    assert "more than 1,000 sentences" in answer.json()["file"][0]
    assert nothing_created(team)


def test_an_article_at_the_cap_is_imported(team, settings):
    settings.ARTICLE_MAX_SENTENCES = 50
    text = "\n\n".join(f"Paragraph {n} says the council met." for n in range(50))

    answer = team.client("owner").post(documents_url(team), {"text": text}, format="json")

    assert answer.status_code == 201
    assert len(answer.json()["sentences"]) == 50


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_splitting_past_the_time_limit_is_refused_naming_text(team, settings, fmt):
    settings.ARTICLE_SEGMENTATION_SECONDS = 0
    text = "<p>The council met.</p>" if fmt == "html" else "The council met.\n\nIt voted."

    answer = team.client("owner").post(documents_url(team), {"text": text, "format": fmt}, format="json")

    assert answer.status_code == 400
    assert "took longer than 0 s" in answer.json()["text"][0]
    assert nothing_created(team)


def test_a_bulk_import_past_the_time_limit_fails_naming_the_article(
    team, settings, media_root, django_capture_on_commit_callbacks
):
    settings.ARTICLE_SEGMENTATION_SECONDS = 0
    content = b'{"text": "The council met today."}\n{"text": "The mayor spoke."}\n'

    with django_capture_on_commit_callbacks(execute=True):
        answer = team.client("owner").post(
            f"/api/v1/projects/{team.project.pk}/documents/import/",
            {"file": named_file("a.jsonl", content)},
            format="multipart",
        )
    job = team.client("owner").get(answer["Location"]).json()

    assert job["status"] == "failed"
    assert "Article 1" in job["error"]["file"][0]
    assert "took longer than 0 s" in job["error"]["file"][0]
    assert ArticleImport.objects.get().documents == []
    assert nothing_created(team)
