"""The project page's articles (search, order, pages) and the agreement page: what they show, and that their
query counts do not grow with the number of articles or reviewers."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotator.models import Role
from annotator.services.assignments import assign
from claims.reports import compute_project_now
from tests.factories import DocumentFactory, ProjectFactory, UserFactory, add_member, label_document


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries_of(client: Client, *paths: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        for path in paths:
            assert client.get(path).status_code == 200, path
    return len(queries)


def project_of(articles: int, reviewers: int = 2, name: str = "Study"):
    """A project of `articles` two-sentence articles, each labelled by `reviewers` reviewers and
    assigned to the first of them, with the lead (its owner)."""
    lead = UserFactory()
    project = ProjectFactory(owner=lead, name=name)
    members = [add_member(project, Role.ANNOTATOR) for _ in range(reviewers)]
    for number in range(articles):
        document = DocumentFactory(
            project=project,
            text="The council met. It voted.",
            title=f"Article {number:03d}",
            outlet="Coast Herald" if number % 2 else "Daily Bench",
            published=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
        )
        for reviewer in members:
            label_document(document, reviewer, "claim" if number % 3 else ["claim", "quote"])
        assign(document=document, reviewer_username=members[0].username, assigned_by=lead)
    return project, lead


def titles(response) -> list[str]:
    return [document.title for document in response.context["documents"]]


def test_project_page_query_count_does_not_grow_with_the_articles(db):
    small, small_lead = project_of(3)
    large, large_lead = project_of(60)
    pairs = ((small, small_lead), (large, large_lead))
    counts = [queries_of(signed_in(lead), f"/projects/{project.pk}/") for project, lead in pairs]
    assert counts[0] == counts[1]
    assert queries_of(signed_in(large_lead), f"/projects/{large.pk}/?page=2&q=Article&sort=title") == counts[1] + 1


def test_project_page_lists_articles_fifty_a_page_and_reaches_every_one(db):
    project, lead = project_of(55, reviewers=1)
    client = signed_in(lead)
    first = client.get(f"/projects/{project.pk}/")
    second = client.get(f"/projects/{project.pk}/?page=2")
    assert len(titles(first)) == 50
    assert titles(second) == [f"Article {n:03d}" for n in range(50, 55)]
    assert 'href="?page=2"' in first.content.decode()


def test_project_page_finds_articles_by_title_or_outlet(db):
    project, lead = project_of(12, reviewers=1)
    client = signed_in(lead)
    by_title = client.get(f"/projects/{project.pk}/", {"q": "article 01"})
    assert titles(by_title) == [f"Article {n:03d}" for n in range(10, 12)]
    assert "Articles matching “article 01” (2 of 12)" in by_title.content.decode()
    by_outlet = client.get(f"/projects/{project.pk}/", {"q": "coast"})
    assert titles(by_outlet) == [f"Article {n:03d}" for n in range(1, 12, 2)]
    nothing = client.get(f"/projects/{project.pk}/", {"q": "no such words"})
    assert "title or outlet contains “no such words”" in nothing.content.decode()


def test_project_page_sorts_articles_by_title_outlet_or_date(db):
    project, lead = project_of(4, reviewers=1)
    client = signed_in(lead)
    assert titles(client.get(f"/projects/{project.pk}/", {"sort": "newest"})) == [
        "Article 003",
        "Article 002",
        "Article 001",
        "Article 000",
    ]
    assert titles(client.get(f"/projects/{project.pk}/", {"sort": "outlet"})) == [
        "Article 001",
        "Article 003",
        "Article 000",
        "Article 002",
    ]


def test_project_page_keeps_search_and_order_in_its_page_links(db):
    project, lead = project_of(55, reviewers=1)
    body = signed_in(lead).get(f"/projects/{project.pk}/", {"q": "Article", "sort": "title"}).content.decode()
    assert 'href="?q=Article&amp;sort=title&amp;page=2"' in body


@pytest.mark.parametrize("query", [{"sort": "popularity"}, {"q": "x" * 201}])
def test_project_page_refuses_an_unknown_order_or_an_overlong_search_naming_the_field(db, query):
    project, lead = project_of(1, reviewers=1)
    response = signed_in(lead).get(f"/projects/{project.pk}/", query)
    assert response.status_code == 400
    field = "Sort by" if "sort" in query else "Search titles and outlets"
    assert f"{field}:" in response.content.decode()


def test_agreement_page_query_count_does_not_grow_with_the_reviewers(db):
    counts = []
    for reviewers in (2, 8):
        project, lead = project_of(3, reviewers=reviewers, name=f"Panel of {reviewers}")
        compute_project_now(project)
        base = f"/projects/{project.pk}"
        paths = (f"{base}/agreement/", f"/api/v1{base}/agreement/", f"/api/v1{base}/agreement/articles/")
        counts.append(queries_of(signed_in(lead), *paths))
    assert counts[0] == counts[1]


def test_every_articles_alpha_comes_in_one_answer(db):
    project, lead = project_of(3, reviewers=2)
    empty = DocumentFactory(project=project, text="Nobody labelled this.", title="Unread")
    compute_project_now(project)
    answer = signed_in(lead).get(f"/api/v1/projects/{project.pk}/agreement/articles/").json()
    assert [row["title"] for row in answer] == ["Article 000", "Article 001", "Article 002", "Unread"]
    assert answer[0]["alpha"] == pytest.approx(1.0)  # two labels, always agreed on
    assert answer[1]["alpha"] is None  # one label only: nothing to tell agreement from chance
    assert answer[-1] == {"id": empty.pk, "title": "Unread", "alpha": None, "alpha_ci95": None}
