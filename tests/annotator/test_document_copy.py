"""Documents written by COPY (`annotator.sql.insert_documents`) read back exactly as `bulk_create`
writes them."""

import datetime
from dataclasses import asdict

import pytest
from django.db import connection

from annotator.models import Document
from annotator.services.articles import ArticleInput, check_article, segment
from annotator.sql import insert_documents

pytestmark = pytest.mark.django_db

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


def _rows():
    rows = []
    for article in ARTICLES:
        article = ArticleInput(**vars(article))
        check_article(article)
        rows.append(segment(article)[0])
    return rows


def _stored(ids):
    rows = Document.objects.filter(pk__in=ids).order_by("pk").values()
    return [{name: value for name, value in row.items() if name not in ("id", "created")} for row in rows]


def _compression(ids):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(text) FROM annotator_document WHERE id = ANY(%s) ORDER BY id", [ids]
        )
        return [row[0] for row in cursor.fetchall()]


def _server_offers_lz4():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        row = cursor.fetchone()
    return bool(row and row[0])


def test_documents_copied_read_back_field_by_field_as_bulk_create_writes_them(team):
    lead = team.users["owner"]
    by_orm = Document.objects.bulk_create(
        Document(project=team.project, created_by=lead, **asdict(row)) for row in _rows()
    )
    by_orm = [document.pk for document in by_orm]
    copied = insert_documents(_rows(), project_id=team.project.pk, created_by_id=lead.pk)

    assert _stored(copied) == _stored(by_orm)
    assert _compression(copied) == _compression(by_orm)
    assert _compression(copied)[-1] == ("lz4" if _server_offers_lz4() else "pglz")  # migration 0019
    assert any(row["published"] for row in _stored(copied))
    assert any(row["removed"] for row in _stored(copied))


def test_copied_documents_take_ids_from_the_sequence_in_the_order_given(team):
    rows = _rows()
    ids = insert_documents(rows, project_id=team.project.pk, created_by_id=None)

    stored = Document.objects.in_bulk(ids)
    assert [stored[pk].text for pk in ids] == [row.text for row in rows]
    assert all(document.created_by_id is None and document.created for document in stored.values())
    later = Document.objects.create(project=team.project, text="Another.")
    assert later.pk > max(ids)
