"""Every role against every endpoint and method of the annotator API, plus who sees whose labels."""

import io
import json

import pytest

from ..factories import SAMPLE_ARTICLE, AnnotationFactory, UserFactory

ROLES = ("owner", "curator", "annotator", "viewer", "outsider", "anonymous")


def expect(owner, curator, annotator, viewer, outsider=404, anonymous=401) -> dict:
    return dict(zip(ROLES, (owner, curator, annotator, viewer, outsider, anonymous), strict=True))


def jsonl_upload():
    line = json.dumps({"text": SAMPLE_ARTICLE, "title": "Bulk"})
    return {"file": io.BytesIO(line.encode())}


# (method, path, body, format, expected status per role)
ENDPOINTS = [
    ("get", "/api/v1/projects/{project}/", None, "json", expect(200, 200, 200, 200)),
    ("patch", "/api/v1/projects/{project}/", {"description": "new"}, "json", expect(200, 403, 403, 403)),
    ("delete", "/api/v1/projects/{project}/", None, "json", expect(204, 403, 403, 403)),
    ("get", "/api/v1/projects/{project}/members/", None, "json", expect(200, 200, 200, 200)),
    (
        "post",
        "/api/v1/projects/{project}/members/",
        {"username": "newcomer", "role": "annotator"},
        "json",
        expect(201, 403, 403, 403),
    ),
    ("get", "/api/v1/projects/{project}/members/ben/", None, "json", expect(200, 200, 200, 200)),
    ("delete", "/api/v1/projects/{project}/members/ben/", None, "json", expect(204, 403, 403, 403)),
    ("get", "/api/v1/projects/{project}/documents/", None, "json", expect(200, 200, 200, 200)),
    (
        "post",
        "/api/v1/projects/{project}/documents/",
        {"text": SAMPLE_ARTICLE, "title": "Another"},
        "json",
        expect(201, 201, 403, 403),
    ),
    ("post", "/api/v1/projects/{project}/documents/import/", jsonl_upload, "multipart", expect(202, 202, 403, 403)),
    ("get", "/api/v1/projects/{project}/history/", None, "json", expect(200, 200, 403, 403)),
    ("get", "/api/v1/documents/{document}/", None, "json", expect(200, 200, 200, 200)),
    ("patch", "/api/v1/documents/{document}/", {"outlet": "The Courier"}, "json", expect(200, 200, 403, 403)),
    ("delete", "/api/v1/documents/{document}/", None, "json", expect(204, 403, 403, 403)),
    ("get", "/api/v1/documents/{document}/annotations/", None, "json", expect(200, 200, 200, 200)),
    ("get", "/api/v1/sentences/{sentence}/annotation/", None, "json", expect(200, 200, 200, 403)),
    ("put", "/api/v1/sentences/{sentence}/annotation/", {"label": "quote"}, "json", expect(200, 200, 200, 403)),
    ("delete", "/api/v1/sentences/{sentence}/annotation/", None, "json", expect(204, 204, 204, 403)),
    ("get", "/api/v1/sentences/{sentence}/history/", None, "json", expect(200, 200, 403, 403)),
]


@pytest.fixture
def labelled_team(team, sentence):
    """The team with the first sentence labelled by every member who may label, and a user `newcomer` to add."""
    UserFactory(username="newcomer")
    for who in ("owner", "curator", "annotator"):
        AnnotationFactory(sentence=sentence, annotator=team.users[who])
    return team


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "fmt", "expected"),
    ENDPOINTS,
    ids=[f"{method.upper()} {path}" for method, path, *_ in ENDPOINTS],
)
def test_each_role_gets_the_expected_status_on_each_endpoint(
    labelled_team, sentence, role, method, path, body, fmt, expected
):
    team = labelled_team
    url = path.format(project=team.project.pk, document=team.document.pk, sentence=sentence.pk)
    data = body() if callable(body) else body
    response = getattr(team.client(role), method)(url, data, format=fmt)
    assert response.status_code == expected[role], response.content[:300]


@pytest.mark.parametrize(("role", "expected"), [(role, 401 if role == "anonymous" else 200) for role in ROLES])
def test_anyone_signed_in_may_list_their_projects(team, role, expected):
    response = team.client(role).get("/api/v1/projects/")
    assert response.status_code == expected


@pytest.mark.parametrize(("role", "expected"), [(role, 401 if role == "anonymous" else 201) for role in ROLES])
def test_anyone_signed_in_may_create_a_project(team, role, expected):
    response = team.client(role).post("/api/v1/projects/", {"name": "Mine"}, format="json")
    assert response.status_code == expected


def test_outsider_does_not_see_the_project_in_their_list(team):
    response = team.client("outsider").get("/api/v1/projects/")
    assert response.json()["results"] == []


def test_member_sees_the_project_with_their_role(team):
    response = team.client("annotator").get("/api/v1/projects/")
    [project] = response.json()["results"]
    assert (project["id"], project["role"]) == (team.project.pk, "annotator")


def test_anonymous_may_read_the_api_root(api_client):
    assert api_client.get("/api/v1/").status_code == 200


def test_not_authenticated_answer_asks_for_a_token(api_client, team):
    response = api_client.get(f"/api/v1/projects/{team.project.pk}/")
    assert response.headers["WWW-Authenticate"].startswith("Token")


def test_outsider_gets_404_for_a_sentence_they_cannot_reach(team):
    sentence = team.document.sentences.first()
    response = team.client("outsider").put(f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "claim"})
    assert response.status_code == 404
    assert not sentence.annotations.exists()


# Who sees whose labels ---------------------------------------------------------------------


@pytest.fixture
def two_reviewers_labelled(team, sentence):
    """Anna and Ben have labelled the first sentence differently."""
    AnnotationFactory(sentence=sentence, annotator=team.users["annotator"], label="claim")
    AnnotationFactory(sentence=sentence, annotator=team.users["annotator2"], label="opinion")
    return team


def annotators_seen(team, who: str) -> set[str]:
    response = team.client(who).get(f"/api/v1/documents/{team.document.pk}/annotations/")
    assert response.status_code == 200
    return {row["annotator"] for row in response.json()["results"]}


def test_annotator_sees_only_own_labels_in_blind_project(two_reviewers_labelled):
    assert annotators_seen(two_reviewers_labelled, "annotator") == {"anna"}


def test_annotator_sees_everyones_labels_when_project_is_not_blind(two_reviewers_labelled):
    team = two_reviewers_labelled
    team.project.blind = False
    team.project.save()
    assert annotators_seen(team, "annotator") == {"anna", "ben"}


@pytest.mark.parametrize("role", ["owner", "curator", "viewer"])
def test_leads_and_viewers_see_every_label_in_blind_project(two_reviewers_labelled, role):
    assert annotators_seen(two_reviewers_labelled, role) == {"anna", "ben"}


def test_annotator_cannot_filter_their_way_to_others_labels_in_blind_project(two_reviewers_labelled):
    team = two_reviewers_labelled
    response = team.client("annotator").get(f"/api/v1/documents/{team.document.pk}/annotations/?annotator=ben")
    assert response.json()["results"] == []


def test_viewer_cannot_label(team):
    sentence = team.document.sentences.first()
    response = team.client("viewer").put(f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": "claim"})
    assert response.status_code == 403
    assert not sentence.annotations.exists()


def test_curator_cannot_change_the_label_scheme(team):
    response = team.client("curator").patch(
        f"/api/v1/projects/{team.project.pk}/", {"labels": [{"name": "fact"}]}, format="json"
    )
    assert response.status_code == 403
    assert sorted(team.project.labels.values_list("name", flat=True)) == ["claim", "opinion", "quote"]


def test_curator_cannot_add_members(team):
    response = team.client("curator").post(
        f"/api/v1/projects/{team.project.pk}/members/", {"username": "otto", "role": "owner"}, format="json"
    )
    assert response.status_code == 403
    assert not team.project.memberships.filter(user__username="otto").exists()


def test_removed_member_loses_access(team):
    team.client("owner").delete(f"/api/v1/projects/{team.project.pk}/members/anna/")
    assert team.client("annotator").get(f"/api/v1/projects/{team.project.pk}/").status_code == 404
