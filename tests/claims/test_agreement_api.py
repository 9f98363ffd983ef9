"""The agreement endpoints: who may read them, what they answer, and how many queries they cost."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator import services
from annotator.models import Role
from claims import reports
from tests.factories import AnnotationFactory, add_member, label_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_reviewers_labelled(team, django_capture_on_commit_callbacks):
    """The team's article labelled by both annotators and the curator, and its reports computed.

    Two of its four sentences are contested: Ben disagrees on the second, the curator on the last.
    """
    given = {
        "annotator": ["claim", "opinion", "quote", "claim"],
        "annotator2": ["claim", "claim", "quote", "claim"],
        "curator": ["claim", "opinion", "quote", "quote"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        for who, names in given.items():
            label_document(team.document, team.users[who], names)


PROJECT_READERS = [
    ("owner", 200),
    ("curator", 200),
    ("viewer", 200),
    ("annotator", 403),
    ("outsider", 404),
]


@pytest.mark.parametrize(("who", "status"), PROJECT_READERS)
@pytest.mark.usefixtures("three_reviewers_labelled")
def test_project_agreement_readers(team, who, status):
    response = team.client(who).get(f"/api/v1/projects/{team.project.pk}/agreement/")
    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), PROJECT_READERS)
@pytest.mark.usefixtures("three_reviewers_labelled")
def test_document_agreement_readers(team, who, status):
    response = team.client(who).get(f"/api/v1/documents/{team.document.pk}/agreement/")
    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), [("owner", 202), ("viewer", 202), ("annotator", 403), ("outsider", 404)])
@pytest.mark.usefixtures("three_reviewers_labelled")
def test_asking_for_a_recomputation(team, who, status):
    response = team.client(who).post(f"/api/v1/projects/{team.project.pk}/agreement/")
    assert response.status_code == status
    if status == 202:
        assert response.json()["status"] in {"pending", "running", "ready"}


@pytest.mark.usefixtures("three_reviewers_labelled")
def test_annotators_read_reports_of_a_project_that_is_not_blind(team):
    services.update_project(project=team.project, blind=False)

    response = team.client("annotator").get(f"/api/v1/documents/{team.document.pk}/agreement/")

    assert response.status_code == 200
    assert response.json()["sentences"][0]["annotations"] == {"anna": "claim", "ben": "claim", "carl": "claim"}


@pytest.mark.usefixtures("three_reviewers_labelled")
def test_project_report_has_the_published_fields(team):
    body = team.client("viewer").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()

    for name in ("status", "computed_at", "scale", "units", "annotators", "alpha", "alpha_ci95", "fleiss_kappa"):
        assert name in body
    assert body["status"] == "ready"
    assert body["current"] is True
    assert body["units"] == 4
    assert body["annotators"] == 3
    assert body["annotation_count"] == 12
    assert list(body["per_label"]) == ["claim", "quote", "opinion"]
    assert {(pair["a"], pair["b"]) for pair in body["pairwise"]} == {("anna", "ben"), ("anna", "carl"), ("ben", "carl")}
    anna_ben = next(pair for pair in body["pairwise"] if pair["b"] == "ben")
    assert anna_ben["n"] == 4
    assert anna_ben["percent_agreement"] == 0.75
    assert body["confusion"]["labels"] == ["claim", "quote", "opinion"]


@pytest.mark.usefixtures("three_reviewers_labelled")
def test_document_rows_sort_by_disagreement(team):
    url = f"/api/v1/documents/{team.document.pk}/agreement/?ordering=-contested"
    rows = team.client("curator").get(url).json()["sentences"]

    assert [row["index"] for row in rows] == [1, 3, 0, 2]
    first = rows[0]
    assert first["plurality"] == "opinion"
    assert first["plurality_share"] == pytest.approx(2 / 3)
    assert first["counts"] == {"claim": 1, "quote": 0, "opinion": 2}
    assert first["labels"] == 3
    assert first["annotations"] == {"anna": "opinion", "ben": "claim", "carl": "opinion"}
    assert first["text"] == team.document.sentences.get(index=1).text


@pytest.mark.usefixtures("three_reviewers_labelled")
def test_an_unknown_ordering_is_a_400_naming_it(team):
    response = team.client("owner").get(f"/api/v1/documents/{team.document.pk}/agreement/?ordering=alpha")
    assert response.status_code == 400
    assert "ordering" in response.json()


@pytest.mark.usefixtures("three_reviewers_labelled")
def test_a_label_change_marks_the_report_stale_until_it_is_recomputed(team):
    sentence = team.document.sentences.get(index=1)
    # Outside on_commit capture: the change is saved and announced, but the queued run never fires here.
    AnnotationFactory(sentence=sentence, annotator=team.users["annotator2"], label="opinion")
    reports.request_recomputation(project_id=team.project.pk, document_ids=[team.document.pk])

    body = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()

    assert body["status"] == "pending"
    assert body["stale"] is True
    assert body["current"] is False
    assert body["alpha"] is not None  # the last figures stay readable while new ones are computed


def test_a_project_without_labels_answers_nulls_not_nan(team, django_capture_on_commit_callbacks):
    url = f"/api/v1/projects/{team.project.pk}/agreement/"
    with django_capture_on_commit_callbacks(execute=True):
        first = team.client("owner").get(url)
    assert first.json()["status"] == "pending"  # the first reader asks for the computation
    response = team.client("owner").get(url)

    assert response.status_code == 200
    assert "NaN" not in response.content.decode()
    body = response.json()
    assert body["status"] == "ready"
    assert body["alpha"] is None
    assert body["alpha_ci95"] is None
    assert body["fleiss_kappa"] is None
    assert body["percent_agreement"] is None
    assert body["units"] == 0


def test_one_reviewer_answers_nulls_not_nan(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        label_document(team.document, team.users["annotator"], "claim")
    response = team.client("owner").get(f"/api/v1/documents/{team.document.pk}/agreement/")

    text = response.content.decode()
    assert "NaN" not in text
    assert "Infinity" not in text
    body = json.loads(text)
    assert body["error"] == ""
    assert body["annotators"] == 1
    assert body["alpha"] is None
    assert body["pairwise"] == []
    # One label is a plurality of one, not unanimity: nothing can be contested.
    assert all(
        row["contested"] is None and row["plurality"] == "claim" and row["labels"] == 1 for row in body["sentences"]
    )
    assert body["alpha_reason"] == "not_enough_units"


def test_everyone_choosing_one_label_answers_nulls_not_nan(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for who in ("annotator", "annotator2"):
            label_document(team.document, team.users[who], "quote")
    body = team.client("owner").get(f"/api/v1/projects/{team.project.pk}/agreement/").json()

    assert body["alpha"] is None
    assert body["percent_agreement"] == 1.0
    assert body["pairwise"][0]["cohen_kappa"] is None


@pytest.mark.parametrize("path", ["/api/v1/projects/{project}/agreement/", "/api/v1/documents/{document}/agreement/"])
@pytest.mark.usefixtures("three_reviewers_labelled")
def test_reading_a_report_costs_the_same_queries_whatever_its_size(team, path, django_capture_on_commit_callbacks):
    url = path.format(project=team.project.pk, document=team.document.pk)
    client = team.client("owner")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)

    extra = [add_member(team.project, Role.ANNOTATOR, f"extra{n}") for n in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        for user in extra:
            label_document(team.document, user, "quote")
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).json()

    assert body["annotators"] == 7
    assert len(large) == len(small) <= 4
