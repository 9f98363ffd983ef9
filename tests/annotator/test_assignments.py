"""Who labels what: the assignment rules, a lead's assignments by hand, reclaiming, and the API's refusals."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotator import services
from annotator.models import Assignment, Document, Role, Sentence

from ..factories import DocumentFactory, add_member

pytestmark = pytest.mark.django_db

ONE_SENTENCE = "The council met on Monday."


def next_for(team, who):
    return team.client(who).post(f"/api/v1/projects/{team.project.pk}/assignments/next/")


def design(team, *, overlap=None, articles=0, **settings):
    """Give the team's project an overlap and `articles` more one-sentence articles; the documents in order."""
    services.update_project(project=team.project, overlap=overlap, **settings)
    for n in range(articles):
        DocumentFactory(project=team.project, text=ONE_SENTENCE, title=f"Article {n}")
    return list(Document.objects.filter(project=team.project).order_by("id"))


def finish(document, user, label="claim"):
    for sentence in document.sentences.all():
        services.label_sentence(sentence=sentence, annotator=user, label_name=label)


def reviewers(team, count):
    return [add_member(team.project, Role.ANNOTATOR, f"reviewer{n}") for n in range(count)]


def test_without_overlap_next_opens_the_first_article_with_an_unlabelled_sentence(team):
    documents = design(team, articles=1)
    finish(documents[0], team.users["annotator"])
    response = next_for(team, "annotator")
    assert response.status_code == 200
    assert response.json()["document"] == documents[1].pk
    assert response.json()["annotate_url"].endswith(f"/documents/{documents[1].pk}/")


def test_next_gives_back_the_unfinished_article_before_a_new_one(team):
    design(team, overlap=1, articles=2)
    first = next_for(team, "annotator").json()
    assert next_for(team, "annotator").json()["id"] == first["id"]


def test_next_shows_the_assignment_as_the_list_does(team):
    design(team, overlap=2)
    url = f"/api/v1/projects/{team.project.pk}/assignments/{team.document.pk}/anna/"
    assert team.client("curator").put(url).status_code == 201
    sentence = team.document.sentences.order_by("index").first()
    services.label_sentence(sentence=sentence, annotator=team.users["annotator"], label_name="claim")
    shown = next_for(team, "annotator").json()
    assert (shown["assigned_by"], shown["labelled"], shown["done"]) == ("carl", 1, False)
    assert shown["sentence_count"] == team.document.sentences.count() > 1
    listed = team.client("annotator").get(f"/api/v1/projects/{team.project.pk}/assignments/").json()["results"]
    assert listed == [shown]


def test_next_answers_204_when_nothing_is_left(team):
    # Labelled before the project had a design: under one, a reviewer labels only what it assigns them.
    finish(team.document, team.users["annotator"])
    design(team, overlap=1)
    assert next_for(team, "annotator").status_code == 200
    assert next_for(team, "annotator").status_code == 204
    assert next_for(team, "annotator2").status_code == 204


def test_articles_go_to_the_least_covered_first_and_never_above_k(team):
    design(team, overlap=2, articles=3)
    people = reviewers(team, 6)
    for person in people:
        assignment = services.next_assignment(project=team.project, reviewer=person)
        finish(assignment.document, person)
    coverage = sorted(Document.objects.filter(project=team.project).values_list("coverage", flat=True))
    assert coverage == [1, 1, 2, 2]
    for person in people:
        services.next_assignment(project=team.project, reviewer=person)
    assert set(Document.objects.filter(project=team.project).values_list("coverage", flat=True)) == {2}


def test_a_reviewer_never_gets_the_same_article_twice(team):
    design(team, overlap=3, articles=4)
    person = team.users["annotator"]
    seen = []
    while (assignment := services.next_assignment(project=team.project, reviewer=person)) is not None:
        seen.append(assignment.document_id)
        finish(assignment.document, person)
    assert len(seen) == len(set(seen)) == 5


def test_every_pair_of_reviewers_comes_to_share_articles(team):
    design(team, overlap=2, articles=11)
    people = reviewers(team, 4)
    for _ in range(6):
        for person in people:
            assignment = services.next_assignment(project=team.project, reviewer=person)
            finish(assignment.document, person)
    holders = {}
    for document, reviewer in Assignment.objects.values_list("document_id", "reviewer_id"):
        holders.setdefault(document, set()).add(reviewer)
    pairs = {frozenset(pair) for group in holders.values() for pair in itertools.combinations(group, 2)}
    assert pairs == {frozenset(pair) for pair in itertools.combinations([p.pk for p in people], 2)}


def test_calibration_articles_go_to_every_reviewer_first_whatever_the_overlap(team):
    documents = design(team, overlap=1, articles=2)
    services.set_document_design(document=documents[2], calibration=True)
    for who in ("annotator", "annotator2", "curator"):
        assert next_for(team, who).json()["document"] == documents[2].pk
    assert next_for(team, "owner").json()["calibration"] is True


def test_an_untouched_assignment_is_reclaimed_and_the_article_goes_to_someone_else(team):
    design(team, overlap=1, reclaim_after=datetime.timedelta(hours=1))
    stale = services.next_assignment(project=team.project, reviewer=team.users["annotator"])
    Assignment.objects.filter(pk=stale.pk).update(touched=timezone.now() - datetime.timedelta(hours=2))
    response = next_for(team, "annotator2")
    assert response.json()["document"] == team.document.pk
    assert not Assignment.objects.filter(pk=stale.pk).exists()
    assert Document.objects.get(pk=team.document.pk).coverage == 1


def test_an_assignment_labelled_in_lately_is_not_reclaimed(team):
    design(team, overlap=1, reclaim_after=datetime.timedelta(hours=1))
    kept = services.next_assignment(project=team.project, reviewer=team.users["annotator"])
    Assignment.objects.filter(pk=kept.pk).update(touched=timezone.now() - datetime.timedelta(hours=2))
    sentence = team.document.sentences.first()
    services.label_sentence(sentence=sentence, annotator=team.users["annotator"], label_name="claim")
    assert next_for(team, "annotator2").status_code == 204
    assert Assignment.objects.filter(pk=kept.pk).exists()


def test_a_stale_assignment_whose_article_is_labelled_is_marked_finished_not_reclaimed(team):
    design(team, overlap=1, reclaim_after=datetime.timedelta(hours=1))
    done = services.next_assignment(project=team.project, reviewer=team.users["annotator"])
    finish(team.document, team.users["annotator"])
    Assignment.objects.filter(pk=done.pk).update(touched=timezone.now() - datetime.timedelta(hours=2))
    assert next_for(team, "annotator2").status_code == 204
    assert Assignment.objects.get(pk=done.pk).finished is not None
    assert Document.objects.get(pk=team.document.pk).coverage == 1


def test_a_lead_assigns_and_unassigns_by_hand(team):
    design(team, overlap=1)
    url = f"/api/v1/projects/{team.project.pk}/assignments/{team.document.pk}/anna/"
    created = team.client("curator").put(url)
    assert created.status_code == 201
    assert created.json()["assigned_by"] == "carl"
    assert team.client("curator").put(url).status_code == 200
    assert next_for(team, "annotator2").status_code == 204
    assert team.client("curator").delete(url).status_code == 204
    assert next_for(team, "annotator2").json()["document"] == team.document.pk


def test_a_lead_cannot_assign_an_article_past_its_overlap(team):
    design(team, overlap=1)
    base = f"/api/v1/projects/{team.project.pk}/assignments/{team.document.pk}"
    assert team.client("owner").put(f"{base}/anna/").status_code == 201
    response = team.client("owner").put(f"{base}/ben/")
    assert response.status_code == 409
    assert "document" in response.json()
    assert not Assignment.objects.filter(reviewer=team.users["annotator2"]).exists()


def test_assigning_to_someone_who_does_not_label_names_the_reviewer(team):
    url = f"/api/v1/projects/{team.project.pk}/assignments/{team.document.pk}/vera/"
    response = team.client("owner").put(url)
    assert response.status_code == 400
    assert "reviewer" in response.json()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("who", ["annotator", "viewer"])
def test_only_leads_assign_by_hand(team, who):
    url = f"/api/v1/projects/{team.project.pk}/assignments/{team.document.pk}/anna/"
    assert team.client(who).put(url).status_code == 403
    assert not Assignment.objects.exists()


def test_viewers_do_not_ask_for_work(team):
    assert next_for(team, "viewer").status_code == 403


def test_assignments_outside_your_projects_do_not_exist(team):
    assert next_for(team, "outsider").status_code == 404
    assert team.client("outsider").get(f"/api/v1/projects/{team.project.pk}/assignments/").status_code == 404
    url = f"/api/v1/projects/{team.project.pk}/assignments/{team.document.pk}/anna/"
    assert team.client("outsider").put(url).status_code == 404


def test_assignment_list_filters_by_reviewer_article_and_status(team):
    documents = design(team, overlap=2)
    for who in ("annotator", "annotator2"):
        services.next_assignment(project=team.project, reviewer=team.users[who])
    finish(documents[0], team.users["annotator"])
    url = f"/api/v1/projects/{team.project.pk}/assignments/"
    client = team.client("curator")
    assert [row["reviewer"] for row in client.get(url, {"reviewer": "anna"}).json()["results"]] == ["anna"]
    assert len(client.get(url, {"document": documents[0].pk}).json()["results"]) == 2
    done = client.get(url, {"status": "done"}).json()["results"]
    assert [(row["reviewer"], row["done"]) for row in done] == [("anna", True)]
    assert client.get(url, {"status": "finished"}).status_code == 400


def test_a_reviewer_lists_only_their_own_assignments_in_a_blind_project(team):
    design(team, overlap=2)
    for who in ("annotator", "annotator2"):
        services.next_assignment(project=team.project, reviewer=team.users[who])
    rows = team.client("annotator").get(f"/api/v1/projects/{team.project.pk}/assignments/").json()["results"]
    assert [row["reviewer"] for row in rows] == ["anna"]
    labels = team.client("annotator").get(f"/api/v1/documents/{team.document.pk}/annotations/").json()["results"]
    assert {row["annotator"] for row in labels} <= {"anna"}


def test_assignment_list_query_count_does_not_grow_with_assignments(team):
    design(team, overlap=1, articles=30)
    url = f"/api/v1/projects/{team.project.pk}/assignments/?page_size=100"
    people = reviewers(team, 30)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert team.client("owner").get(url).status_code == 200
        return len(captured)

    services.next_assignment(project=team.project, reviewer=people[0])
    few = queries()
    for person in people[1:]:
        services.next_assignment(project=team.project, reviewer=person)
    assert queries() == few


def add_many_articles(project, count):
    """`count` one-sentence ordinary articles, written in bulk (the import service takes minutes for 10,000)."""
    documents = Document.objects.bulk_create(
        Document(project=project, title=f"Bulk {n}", text=ONE_SENTENCE) for n in range(count)
    )
    Sentence.objects.bulk_create(
        Sentence(document=document, index=0, paragraph=0, start=0, end=len(ONE_SENTENCE), text=ONE_SENTENCE)
        for document in documents
    )


def test_asking_for_a_new_article_costs_the_same_queries_with_10_or_10000_articles(team):
    """One: the call of the PL/pgSQL function, which returns the assignment as shown."""
    expected = 1
    design(team, overlap=2, articles=9)
    people = reviewers(team, 4)
    for person in people:
        finish(services.next_assignment(project=team.project, reviewer=person).document, person)

    def queries(person) -> int:
        with CaptureQueriesContext(connection) as captured:
            assignment = services.next_assignment(project=team.project, reviewer=person)
        assert assignment.document.sentences.exclude(annotations__annotator=person).exists()
        finish(assignment.document, person)
        # The test's own transaction turns the service's into a savepoint, which a request does not pay.
        return sum(not query["sql"].startswith(("SAVEPOINT", "RELEASE")) for query in captured.captured_queries)

    assert queries(people[0]) == expected
    add_many_articles(team.project, 9_990)
    assert Document.objects.filter(project=team.project).count() == 10_000
    assert [queries(person) for person in people] == [expected] * len(people)
    assert Document.objects.filter(coverage__gt=2).count() == 0


def test_project_fields_of_the_design_are_checked_and_name_the_field(team):
    url = f"/api/v1/projects/{team.project.pk}/"
    for body, field in (({"overlap": 0}, "overlap"), ({"training_threshold": 1.5}, "training_threshold")):
        response = team.client("owner").patch(url, body, format="json")
        assert response.status_code == 400
        assert field in response.json()
    response = team.client("owner").patch(url, {"overlap": 3, "reclaim_after": "2 00:00:00"}, format="json")
    assert response.json()["overlap"] == 3
    assert response.json()["reclaim_after"] == "2 00:00:00"


def test_an_article_is_not_both_calibration_and_training(team):
    url = f"/api/v1/documents/{team.document.pk}/"
    assert team.client("curator").patch(url, {"calibration": True}, format="json").json()["calibration"] is True
    response = team.client("curator").patch(url, {"training": True}, format="json")
    assert response.status_code == 400
    assert "training" in response.json()
    assert Document.objects.get(pk=team.document.pk).training is False


def test_a_reviewer_who_leaves_gives_back_their_unfinished_articles(team):
    design(team, overlap=1)
    services.next_assignment(project=team.project, reviewer=team.users["annotator"])
    assert team.client("owner").delete(f"/api/v1/projects/{team.project.pk}/members/anna/").status_code == 204
    assert next_for(team, "annotator2").json()["document"] == team.document.pk


def test_assigning_to_someone_unknown_names_the_reviewer(team):
    url = f"/api/v1/projects/{team.project.pk}/assignments/{team.document.pk}/nobody/"
    response = team.client("owner").put(url)
    assert response.status_code == 400
    assert "reviewer" in response.json()


def test_asking_for_work_over_the_api_costs_two_queries(team):
    """The project with the caller's role, and the request for work, which returns the assignment as shown."""
    design(team, overlap=2, articles=3)
    with CaptureQueriesContext(connection) as captured:
        assert next_for(team, "annotator").status_code == 200
    assert len(captured) == 2
