"""An assignment is finished exactly while its reviewer has labelled every sentence of the article, whatever
changes the labels or the sentences, so that the project page can count done work from it."""

import pytest
from django.test import Client

from annotator import selectors, services
from annotator.models import Annotation, Assignment, Sentence

from ..factories import DocumentFactory, add_member, label_document

pytestmark = pytest.mark.django_db

ARTICLE = "The council met on Monday. It voted.\n\nShare this article"


@pytest.fixture
def assignment(team):
    document = DocumentFactory(project=team.project, text=ARTICLE)
    assignment, _ = services.assign(
        document=document, reviewer_username=team.users["annotator"].username, assigned_by=team.users["owner"]
    )
    return assignment


def sentences(assignment):
    return list(assignment.document.sentences.order_by("index"))


def save(team, sentence, label="claim"):
    response = team.client("annotator").put(
        f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": label}, format="json"
    )
    assert response.status_code in (200, 201), response.content


def remove(team, sentence):
    assert team.client("annotator").delete(f"/api/v1/sentences/{sentence.pk}/annotation/").status_code == 204


def finished(assignment) -> bool:
    """The stored answer, checked against the labels themselves."""
    stored = Assignment.objects.get(pk=assignment.pk).finished is not None
    sentences = Sentence.objects.filter(document_id=assignment.document_id)
    labelled = Annotation.objects.filter(sentence__in=sentences, annotator_id=assignment.reviewer_id)
    from_labels = labelled.count() == sentences.count()
    assert stored == from_labels
    return stored


def test_labelling_the_last_sentence_finishes_the_assignment(team, assignment):
    first, last = sentences(assignment)
    save(team, first)
    assert not finished(assignment)
    save(team, last)
    assert finished(assignment)


def test_changing_a_label_keeps_the_assignment_finished(team, assignment):
    for sentence in sentences(assignment):
        save(team, sentence)
    save(team, sentences(assignment)[0], "opinion")
    assert finished(assignment)


def test_removing_a_label_reopens_the_assignment_and_labelling_it_again_finishes_it(team, assignment):
    for sentence in sentences(assignment):
        save(team, sentence)
    remove(team, sentences(assignment)[1])
    assert not finished(assignment)
    save(team, sentences(assignment)[1], "quote")
    assert finished(assignment)


def test_restoring_removed_text_reopens_the_assignment_of_every_reviewer(team, assignment):
    for sentence in sentences(assignment):
        save(team, sentence)
    start = ARTICLE.index("Share")
    response = team.client("owner").post(
        f"/api/v1/documents/{assignment.document_id}/restore/", {"start": start}, format="json"
    )
    assert response.status_code == 200
    assert not finished(assignment)
    save(team, sentences(assignment)[-1])
    assert finished(assignment)


def test_an_article_assigned_after_it_was_labelled_throughout_is_finished_at_once(team):
    document = DocumentFactory(project=team.project, text=ARTICLE)
    label_document(document, team.users["annotator2"], "claim")
    assignment, _ = services.assign(
        document=document, reviewer_username=team.users["annotator2"].username, assigned_by=team.users["owner"]
    )
    assert assignment.finished is not None
    assert finished(assignment)


def test_deleting_an_article_takes_its_assignments_out_of_the_counts(team, assignment):
    for sentence in sentences(assignment):
        save(team, sentence)
    name = team.users["annotator"].username
    assert selectors.assignment_progress(team.project)["reviewers"][name] == {"assigned": 1, "done": 1, "remaining": 0}
    assert team.client("owner").delete(f"/api/v1/documents/{assignment.document_id}/").status_code == 204
    assert name not in selectors.assignment_progress(team.project)["reviewers"]


def test_project_page_counts_done_assignments_as_the_labels_say(team):
    """Reviewers half-way, done, done then a label removed: the page's counts agree with the labels."""
    people = [team.users["annotator"], team.users["annotator2"], add_member(team.project, "annotator", "rita")]
    documents = [DocumentFactory(project=team.project, text=ARTICLE, title=f"Article {n}") for n in range(6)]
    for number, document in enumerate(documents):
        for person in people[: 1 + number % 3]:
            services.assign(document=document, reviewer_username=person.username, assigned_by=team.users["owner"])
            for sentence in list(document.sentences.order_by("index"))[: 1 + (number + person.pk) % 2]:
                services.label_sentence(sentence=sentence, annotator=person, label_name="claim")
    services.delete_annotation(sentence=documents[4].sentences.first(), annotator=people[0])
    expected: dict[str, dict] = {}
    for row in selectors.assignments(team.project):
        counts = expected.setdefault(row.reviewer.username, {"assigned": 0, "done": 0, "remaining": 0})
        counts["assigned"] += 1
        counts["done" if row.done else "remaining"] += 1
    assert any(counts["done"] for counts in expected.values())
    assert any(counts["remaining"] for counts in expected.values())
    client = Client()
    client.force_login(team.users["owner"])
    page = client.get(f"/projects/{team.project.pk}/")
    assert dict(page.context["design_by_reviewer"]) == expected
    for document in page.context["documents"]:
        rows = [row for row in selectors.assignments(team.project) if row.document_id == document.pk]
        shown = document.assigned or {"assigned": 0, "done": 0}
        assert (shown["assigned"], shown["done"]) == (len(rows), sum(row.done for row in rows))


def test_home_page_counts_the_reviewers_done_assignments_as_the_project_page_does(team, assignment):
    for sentence in sentences(assignment):
        save(team, sentence)
    remove(team, sentences(assignment)[0])
    other = DocumentFactory(project=team.project, text=ARTICLE)
    services.assign(document=other, reviewer_username=team.users["annotator"].username, assigned_by=team.users["owner"])
    for sentence in other.sentences.all():
        save(team, sentence)
    client = Client()
    client.force_login(team.users["annotator"])
    (project,) = client.get("/").context["projects"]
    assert project.assigned == {"assigned": 2, "done": 1, "remaining": 1}
    assert client.get(f"/projects/{team.project.pk}/").context["own_assignments"] == project.assigned


def test_an_assignment_is_finished_by_the_last_missing_label_in_whatever_order_they_come(team):
    """The save looks for an unlabelled sentence from the article's end: labels from the bottom, from the
    middle, and another reviewer's labels on the missing sentence must not finish it early."""
    document = DocumentFactory(
        project=team.project, text="One is here. Two is here. Three is here. Four is here. Five is here."
    )
    assignment, _ = services.assign(
        document=document, reviewer_username=team.users["annotator"].username, assigned_by=team.users["owner"]
    )
    ordered = sentences(assignment)
    assert len(ordered) == 5
    label_document(document, team.users["annotator2"], "claim")
    for position in (4, 0, 3, 1):
        save(team, ordered[position])
        assert not finished(assignment)
    save(team, ordered[2])
    assert finished(assignment)


def test_settling_a_projects_assignments_makes_finished_agree_with_the_labels(team):
    labelled, half = (DocumentFactory(project=team.project, text=ARTICLE) for _ in range(2))
    reviewer = team.users["annotator"]
    made = []
    for document in (labelled, half):
        assignment, _ = services.assign(
            document=document, reviewer_username=reviewer.username, assigned_by=team.users["owner"]
        )
        made.append(assignment)
    label_document(labelled, reviewer, "claim")
    services.label_sentence(sentence=half.sentences.first(), annotator=reviewer, label_name="claim")
    Assignment.objects.filter(pk=made[0].pk).update(finished=None)
    Assignment.objects.filter(pk=made[1].pk).update(finished=made[1].assigned)

    services.settle_finished(project=team.project)
    assert [finished(assignment) for assignment in made] == [True, False]
