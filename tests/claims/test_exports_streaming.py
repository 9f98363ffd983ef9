"""Exports stream: the header leaves before any query runs, and memory does not grow with the project."""

import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotator.models import Annotation, Document, Label, Sentence, Source
from claims.exports import rows, streams
from curation.models import Decision
from tests.factories import ProjectFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db

FORMATS = ("annotations.csv", "annotations.jsonl", "wide.csv", "gold.csv", "gold.jsonl", "sources.csv",
           "webannotation.jsonld")  # fmt: skip


def build_project(owner, *, sentences: int, reviewers: int = 4):
    """A project of `sentences` x `reviewers` labels, and a decision per sentence, written in bulk (a test
    fixture, not the import path)."""
    project = ProjectFactory(owner=owner, name=f"Big {sentences}")
    people = [add_member(project, "annotator") for _ in range(reviewers)]
    labels = list(Label.objects.filter(project=project))
    per_document = 50
    text = " ".join(f"Sentence number {i} says something." for i in range(per_document))
    documents = Document.objects.bulk_create(
        Document(project=project, title=f"Article {d}", text=text) for d in range(sentences // per_document)
    )
    units = []
    for document in documents:
        offset = 0
        for i in range(per_document):
            body = f"Sentence number {i} says something."
            units.append(
                Sentence(document=document, index=i, paragraph=0, start=offset, end=offset + len(body), text=body)
            )
            offset += len(body) + 1
    units = Sentence.objects.bulk_create(units, batch_size=2000)
    annotations = Annotation.objects.bulk_create(
        (
            Annotation(sentence=s, annotator=p, label=labels[(n + r) % 3])
            for n, s in enumerate(units)
            for r, p in enumerate(people)
        ),
        batch_size=2000,
    )
    Source.objects.bulk_create(
        (Source(annotation=a, url=f"https://src.example/{a.pk}") for a in annotations[::10]), batch_size=2000
    )
    now = timezone.now()
    Decision.objects.bulk_create(
        (
            Decision(sentence=s, project=project, label=labels[n % 3], provenance="adjudicated", decided_by=owner,
                     decided_at=now, rationale="Read the whole paragraph.")
            for n, s in enumerate(units)
        ),
        batch_size=2000,
    )  # fmt: skip
    return project


def peak_while_streaming(client, project, name) -> tuple[int, int]:
    response = client.get(f"/api/v1/projects/{project.pk}/export/{name}")
    assert response.status_code == 200
    tracemalloc.start()
    try:
        size = sum(len(block) for block in response.streaming_content)
        return tracemalloc.get_traced_memory()[1], size
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_labels(api_client, monkeypatch):
    """Small reads and blocks, so that both projects span many of them: memory is bounded by those, not the data."""
    monkeypatch.setattr(rows, "CHUNK_SIZE", 100)
    monkeypatch.setattr(streams, "BLOCK", 8 * 1024)
    owner = UserFactory(username="lead")
    small = build_project(owner, sentences=300)
    large = build_project(owner, sentences=3000)
    api_client.force_authenticate(owner)
    for name in FORMATS:
        small_peak, small_size = peak_while_streaming(api_client, small, name)
        large_peak, large_size = peak_while_streaming(api_client, large, name)
        assert large_size > 9 * small_size, name
        assert large_peak < 1.5 * small_peak + 512 * 1024, (name, small_peak, large_peak, large_size)


@pytest.mark.parametrize("name", ["annotations.csv", "gold.csv"])
def test_the_header_arrives_before_any_query_runs(team, django_assert_num_queries, name):
    response = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/export/{name}")
    with django_assert_num_queries(0):
        first = next(iter(response.streaming_content))
    assert first.startswith(b"project,document,document_key,")


@pytest.mark.parametrize("name", ["gold.csv", "wide.csv", "webannotation.jsonld"])
def test_gold_costs_the_same_queries_however_many_decisions(api_client, name):
    owner = UserFactory(username="lead")
    api_client.force_authenticate(owner)
    counts = []
    for sentences in (50, 500):
        project = build_project(owner, sentences=sentences, reviewers=2)
        with CaptureQueriesContext(connection) as queries:
            body = b"".join(api_client.get(f"/api/v1/projects/{project.pk}/export/{name}").streaming_content)
        assert body.count(b"adjudicated" if name != "wide.csv" else b"\r\n") >= sentences
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.postgresql
def test_postgresql_serves_rows_from_a_server_side_cursor(api_client):
    owner = UserFactory(username="lead")
    project = build_project(owner, sentences=5000, reviewers=2)
    api_client.force_authenticate(owner)
    blocks = iter(api_client.get(f"/api/v1/projects/{project.pk}/export/annotations.csv").streaming_content)
    next(blocks), next(blocks)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), bool_or(is_holdable) FROM pg_cursors")
        open_cursors, holdable = cursor.fetchone()
    assert open_cursors >= 1
    assert holdable is False  # not WITH HOLD: PostgreSQL does not materialise every row first
    rest = sum(1 for _ in blocks)
    assert rest > 1
