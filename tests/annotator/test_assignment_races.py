"""Reviewers asking for work at once, each on their own database connection, never push an article past k."""

import pytest
from django.db.models import Count

from annotator import services
from annotator.models import Assignment, Document, Role

from ..factories import DocumentFactory, add_member
from .test_concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

CALLERS = 32


def ask_for_work(project, reviewer):
    return lambda: services.next_assignment(project=project, reviewer=reviewer)


def test_thirty_two_reviewers_asking_at_once_never_push_an_article_past_k(team):
    services.update_project(project=team.project, overlap=2)
    for n in range(9):
        DocumentFactory(project=team.project, text="The council met on Monday.", title=f"Article {n}")
    people = [add_member(team.project, Role.ANNOTATOR, f"racer{n}") for n in range(CALLERS)]
    run_at_once(*(ask_for_work(team.project, person) for person in people))
    per_article = dict(Assignment.objects.values_list("document_id").annotate(n=Count("id")).order_by())
    assert sorted(per_article.values()) == [2] * 10
    assert Assignment.objects.count() == 20
    coverage = dict(Document.objects.filter(project=team.project).values_list("id", "coverage"))
    assert coverage == per_article


def test_one_reviewer_asking_twice_at_once_gets_one_article(team):
    services.update_project(project=team.project, overlap=1)
    DocumentFactory(project=team.project, text="The council met on Monday.", title="Another")
    person = team.users["annotator"]
    run_at_once(ask_for_work(team.project, person), ask_for_work(team.project, person))
    assert Assignment.objects.filter(reviewer=person).count() == 1


def test_reviewers_asking_at_once_take_the_least_covered_articles_first(team):
    services.update_project(project=team.project, overlap=3)
    for n in range(CALLERS + 7):
        DocumentFactory(project=team.project, text="The council met on Monday.", title=f"Article {n}")
    people = [add_member(team.project, Role.ANNOTATOR, f"racer{n}") for n in range(CALLERS)]
    run_at_once(*(ask_for_work(team.project, person) for person in people))
    coverage = list(Document.objects.filter(project=team.project).values_list("coverage", flat=True))
    assert sum(coverage) == CALLERS
    assert max(coverage) == 1
