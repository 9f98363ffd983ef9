"""Documents written by COPY (PostgreSQL, `annotator.sql.insert_documents`) read back exactly as `bulk_create`
writes them."""

import datetime

import pytest
from django.db import connection

from annotator.models import Document
from annotator.services.articles import ArticleInput, segment
from annotator.sql import insert_documents

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

LONG = "The council met again on Tuesday. " * 200

ARTICLES = [
    ArticleInput(text="A plain sentence to label."),
    ArticleInput(
        text=(
            "# Bridge to reopen\n\nThe bridge\twill reopen \\ on Monday, the mayor said.\r\n\nTraffic ¿sí? 🚲 resumes."
        ),
        format="markdown",
        author="Ana \\ Ruiz\t(desk)",
        outlet='The "Daily" Post',
        url="https://example.org/news/bridge?id=1&x=%20",
        published=datetime.date(2016, 10, 24),
        key="babe-\\42\n",
        topics=["transport", 'a "quoted" \\ topic', "tab\there"],
        attributes={"bias": "biased", "path": "C:\\news\\n", "note": "line\nbreak", "ünï": "çödé"},
    ),
    ArticleInput(
        text="<html><body><h1>Title here</h1><p>Share this article</p><p>An HTML text.</p></body></html>",
        format="html",
    ),
    ArticleInput(text=LONG, title="Long", published=None, key="long"),
]


def _documents(project, created_by):
    documents = []
    for article in ARTICLES:
        document, _ = segment(ArticleInput(**vars(article)))
        document.project, document.created_by = project, created_by
        documents.append(document)
    return documents


def _stored(documents):
    rows = Document.objects.filter(pk__in=[d.pk for d in documents]).order_by("pk").values()
    return [{name: value for name, value in row.items() if name not in ("id", "created")} for row in rows]


def _compression(documents):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(text) FROM annotator_document WHERE id = ANY(%s) ORDER BY id",
            [[d.pk for d in documents]],
        )
        return [row[0] for row in cursor.fetchall()]


def test_documents_copied_read_back_field_by_field_as_bulk_create_writes_them(team):
    lead = team.users["owner"]
    by_orm = Document.objects.bulk_create(_documents(team.project, lead))
    copied = _documents(team.project, lead)
    insert_documents(copied)

    assert _stored(copied) == _stored(by_orm)
    assert _compression(copied) == _compression(by_orm)
    assert _compression(copied)[-1] is not None  # the long text is stored compressed, as configured
    assert any(row["published"] for row in _stored(copied))
    assert any(row["removed"] for row in _stored(copied))


def test_copied_documents_come_back_saved_with_their_ids_and_creation_time(team):
    copied = _documents(team.project, None)
    insert_documents(copied)

    stored = {d.pk: d for d in Document.objects.filter(pk__in=[d.pk for d in copied])}
    assert len(stored) == len(copied)
    assert all(not d._state.adding for d in copied)
    for document in copied:
        assert stored[document.pk].created == document.created
        assert stored[document.pk].created_by_id is None
    later = Document.objects.create(project=team.project, text="Another.")
    assert later.pk > max(stored)
