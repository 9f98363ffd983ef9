"""Every role against every endpoint and method of the API, plus who sees whose labels.

The table covers every view under /api/v1/ that the URL resolver knows: an endpoint or method
added without a row fails `test_every_api_endpoint_has_a_row_in_the_table`, naming it.
"""

import collections
import functools
import io
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from annotator import services
from curation import services as curation_services

from ..factories import PASSWORD, SAMPLE_ARTICLE, AnnotationFactory, DocumentFactory, UserFactory

ROLES = ("owner", "curator", "annotator", "viewer", "outsider", "anonymous")
API_PREFIX = "api/v1/"
METHODS = ("get", "post", "put", "patch", "delete")


def expect(owner, curator, annotator, viewer, outsider=404, anonymous=401) -> dict:
    return dict(zip(ROLES, (owner, curator, annotator, viewer, outsider, anonymous), strict=True))


def everyone(status: int) -> dict:
    return expect(status, status, status, status, status, status)


def upload(name: str, content: str):
    """A multipart body with one file: a callable, so that each request reads a fresh copy."""

    def body(ids=None):
        file = io.BytesIO(content.encode())
        file.name = name
        return {"file": file}

    return body


jsonl_upload = upload("articles.jsonl", json.dumps({"text": SAMPLE_ARTICLE, "title": "Bulk"}))
references_upload = upload("references.csv", "sentence,label,explanation\n1,opinion,A view.\n")
study_upload = upload("study.csv", "document,unit,text,annotator,label\nd1,u1,The bridge opens Monday.,ann,claim\n")


# (method, path, body, format, expected status per role). A callable body is called with the ids.
ENDPOINTS = [
    ("get", "/api/v1/", None, "json", everyone(200)),
    ("post", "/api/v1/auth/token/", {"username": "olivia", "password": PASSWORD}, "json", everyone(200)),
    ("post", "/api/v1/auth/token/revoke/", None, "json", expect(204, 204, 204, 204, 204)),
    ("get", "/api/v1/projects/", None, "json", expect(200, 200, 200, 200, 200)),
    ("post", "/api/v1/projects/", {"name": "Mine"}, "json", expect(201, 201, 201, 201, 201)),
    ("get", "/api/v1/projects/{project}/", None, "json", expect(200, 200, 200, 200)),
    ("put", "/api/v1/projects/{project}/", {"name": "Renamed"}, "json", expect(200, 403, 403, 403)),
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
    # Leads decide a reviewer's training; the team's project has no study design, so there is nothing to decide.
    (
        "post",
        "/api/v1/projects/{project}/members/ben/training/",
        {"decision": "let_through"},
        "json",
        expect(409, 409, 403, 403),
    ),
    ("get", "/api/v1/projects/{project}/invitations/", None, "json", expect(200, 403, 403, 403)),
    ("post", "/api/v1/projects/{project}/invitations/", {"role": "annotator"}, "json", expect(201, 403, 403, 403)),
    ("delete", "/api/v1/projects/{project}/invitations/{invitation}/", None, "json", expect(204, 403, 403, 403)),
    ("get", "/api/v1/projects/{project}/outlets/", None, "json", expect(200, 200, 200, 200)),
    ("post", "/api/v1/projects/{project}/outlets/", {"name": "The Herald"}, "json", expect(201, 201, 403, 403)),
    ("get", "/api/v1/projects/{project}/outlets/{outlet}/", None, "json", expect(200, 200, 200, 200)),
    (
        "patch",
        "/api/v1/projects/{project}/outlets/{outlet}/",
        {"name": "The Daily Courier"},
        "json",
        expect(200, 200, 403, 403),
    ),
    ("delete", "/api/v1/projects/{project}/outlets/{outlet}/", None, "json", expect(204, 204, 403, 403)),
    ("get", "/api/v1/projects/{project}/assignments/", None, "json", expect(200, 200, 200, 200)),
    ("post", "/api/v1/projects/{project}/assignments/next/", None, "json", expect(200, 200, 200, 403)),
    ("put", "/api/v1/projects/{project}/assignments/{document}/anna/", None, "json", expect(201, 201, 403, 403)),
    (
        "delete",
        "/api/v1/projects/{project}/assignments/{assigned_document}/ben/",
        None,
        "json",
        expect(204, 204, 403, 403),
    ),
    ("get", "/api/v1/projects/{project}/documents/", None, "json", expect(200, 200, 200, 200)),
    (
        "post",
        "/api/v1/projects/{project}/documents/",
        {"text": SAMPLE_ARTICLE, "title": "Another"},
        "json",
        expect(201, 201, 403, 403),
    ),
    ("post", "/api/v1/projects/{project}/documents/import/", jsonl_upload, "multipart", expect(202, 202, 403, 403)),
    (
        "get",
        "/api/v1/projects/{project}/documents/imports/{article_import}/",
        None,
        "json",
        expect(200, 200, 403, 403),
    ),
    ("get", "/api/v1/projects/{project}/history/", None, "json", expect(200, 200, 403, 403)),
    ("get", "/api/v1/documents/{document}/", None, "json", expect(200, 200, 200, 200)),
    ("patch", "/api/v1/documents/{document}/", {"outlet": "The Courier"}, "json", expect(200, 200, 403, 403)),
    ("delete", "/api/v1/documents/{document}/", None, "json", expect(204, 403, 403, 403)),
    (
        "post",
        "/api/v1/documents/{restorable}/restore/",
        lambda ids: {"start": ids["removed_start"]},
        "json",
        expect(200, 403, 403, 403),
    ),
    ("get", "/api/v1/documents/{training}/references/", None, "json", expect(200, 200, 403, 403)),
    ("post", "/api/v1/documents/{training}/references/", references_upload, "multipart", expect(200, 200, 403, 403)),
    ("get", "/api/v1/documents/{document}/annotations/", None, "json", expect(200, 200, 200, 200)),
    ("get", "/api/v1/sentences/{sentence}/annotation/", None, "json", expect(200, 200, 200, 403)),
    ("put", "/api/v1/sentences/{sentence}/annotation/", {"label": "quote"}, "json", expect(200, 200, 200, 403)),
    ("delete", "/api/v1/sentences/{sentence}/annotation/", None, "json", expect(204, 204, 204, 403)),
    ("get", "/api/v1/sentences/{training_sentence}/reference/", None, "json", expect(200, 200, 200, 403)),
    (
        "put",
        "/api/v1/sentences/{training_sentence}/reference/",
        {"label": "quote", "explanation": "Said."},
        "json",
        expect(200, 200, 403, 403),
    ),
    ("get", "/api/v1/sentences/{sentence}/history/", None, "json", expect(200, 200, 403, 403)),
    ("get", "/api/v1/projects/{project_with_archive}/export.zip", None, "json", expect(202, 202, 403, 202)),
    ("post", "/api/v1/projects/{project}/export.zip", None, "json", expect(202, 202, 403, 202)),
    ("get", "/api/v1/projects/{project}/exports/{export}/", None, "json", expect(200, 200, 403, 200)),
    ("get", "/api/v1/projects/{project}/exports/{export}/download/", None, "json", expect(409, 409, 403, 409)),
    ("get", "/api/v1/projects/{project}/export/annotations.csv", None, "json", expect(200, 200, 403, 200)),
    ("get", "/api/v1/projects/{project}/agreement/", None, "json", expect(200, 200, 403, 200)),
    ("post", "/api/v1/projects/{project}/agreement/", None, "json", expect(202, 202, 403, 202)),
    ("get", "/api/v1/projects/{project}/agreement/articles/", None, "json", expect(200, 200, 403, 200)),
    ("get", "/api/v1/projects/{project}/analysis/", None, "json", expect(200, 200, 403, 200)),
    ("get", "/api/v1/projects/{project}/models/", None, "json", expect(200, 200, 403, 200)),
    ("post", "/api/v1/projects/{project}/models/", {"basis": "gold"}, "json", expect(202, 202, 403, 403)),
    ("get", "/api/v1/projects/{project}/models/1/", None, "json", expect(404, 404, 403, 404)),
    (
        "post",
        "/api/v1/projects/{project}/machine-labels/",
        lambda ids: upload("labels.csv", f"sentence,label,score,model\n{ids['sentence']},opinion,0.9,llm\n")(),
        "multipart",
        expect(201, 201, 403, 403),
    ),
    ("get", "/api/v1/documents/{document}/suggestions/", None, "json", expect(200, 200, 200, 403)),
    ("get", "/api/v1/documents/{document}/agreement/", None, "json", expect(200, 200, 403, 200)),
    ("post", "/api/v1/documents/{document}/agreement/", None, "json", expect(202, 202, 403, 202)),
    (
        "post",
        "/api/v1/projects/{project}/annotations/import/",
        study_upload,
        "multipart",
        expect(201, 201, 403, 403),
    ),
    ("get", "/api/v1/sentences/{decided_sentence}/decision/", None, "json", expect(200, 200, 404, 200)),
    ("put", "/api/v1/sentences/{decided_sentence}/decision/", {"label": "opinion"}, "json", expect(200, 200, 403, 403)),
    ("delete", "/api/v1/sentences/{decided_sentence}/decision/", None, "json", expect(204, 204, 403, 403)),
    ("get", "/api/v1/documents/{document}/decisions/", None, "json", expect(200, 200, 200, 200)),
    (
        "post",
        "/api/v1/documents/{training}/references/from-decisions/",
        None,
        "json",
        expect(200, 200, 403, 403),
    ),
    ("get", "/api/v1/documents/{document}/curation/", None, "json", expect(200, 200, 403, 200)),
    ("post", "/api/v1/projects/{project}/decisions/auto/", {"dry_run": True}, "json", expect(200, 200, 403, 403)),
    ("get", "/api/v1/projects/{project}/curation/", None, "json", expect(200, 200, 200, 200)),
    ("patch", "/api/v1/projects/{project}/curation/", {"feedback": True}, "json", expect(200, 403, 403, 403)),
    ("get", "/api/v1/schema/", None, "json", everyone(200)),
    ("get", "/api/v1/docs/", None, "json", everyone(200)),
]

# A restorable line of boilerplate, and a training article of two sentences.
ARTICLE_WITH_BOILERPLATE = "The Senate voted on Tuesday. It was close.\n\nCopyright 2024 Example News."
TRAINING_ARTICLE = "Taxes rose by 3%. She said no."


class Ids(dict):
    """The ids the table's paths name, each made the first time a row asks for it (from `makers`)."""

    def __init__(self, makers: dict):
        super().__init__()
        self.makers = makers

    def __missing__(self, key: str):
        self[key] = self.makers[key]()
        return self[key]


@pytest.fixture
def ids(team, sentence, media_root) -> Ids:
    """The team's project holding, on demand, one of everything an endpoint serves.

    Always: the first sentence labelled by every member who may label, and a user `newcomer` to
    add. On demand: that sentence decided, the article given to Ben, a training article with
    reference labels and decisions that Anna has answered, an article with a restorable line, an
    invitation, an outlet, a bulk import and an export archive being built.
    """
    UserFactory(username="newcomer")
    owner = team.users["owner"]
    for who in ("owner", "curator", "annotator"):
        AnnotationFactory(sentence=sentence, annotator=team.users[who])
    client = team.client("owner")
    project_url = f"/api/v1/projects/{team.project.pk}"

    def created(path: str, data, fmt: str = "json") -> int:
        response = client.post(project_url + path, data, format=fmt)
        assert response.status_code in (201, 202), response.content
        return response.json()["id"]

    def decided_sentence() -> int:
        curation_services.decide(sentence=sentence, curator=owner, label_name="claim")
        return sentence.pk

    def assigned_document() -> int:
        services.assign(document=team.document, reviewer_username="ben", assigned_by=owner)
        return team.document.pk

    @functools.cache
    def training():
        document = DocumentFactory(project=team.project, text=TRAINING_ARTICLE, title="Practice")
        services.set_document_design(document=document, training=True)
        sentences = list(document.sentences.order_by("index"))
        for training_sentence, name in zip(sentences, ("claim", "quote"), strict=True):
            services.set_reference(sentence=training_sentence, label_name=name, explanation=f"Why {name}.")
            curation_services.decide(sentence=training_sentence, curator=owner, label_name=name)
        AnnotationFactory(sentence=sentences[0], annotator=team.users["annotator"])
        return document, sentences[0]

    @functools.cache
    def restorable():
        document = DocumentFactory(project=team.project, text=ARTICLE_WITH_BOILERPLATE)
        [removed] = client.get(f"/api/v1/documents/{document.pk}/").json()["removed"]
        return document.pk, removed["start"]

    ids = Ids(
        {
            "project": lambda: team.project.pk,
            "document": lambda: team.document.pk,
            "sentence": lambda: sentence.pk,
            "decided_sentence": decided_sentence,
            "assigned_document": assigned_document,
            "training": lambda: training()[0].pk,
            "training_sentence": lambda: training()[1].pk,
            "restorable": lambda: restorable()[0],
            "removed_start": lambda: restorable()[1],
            "invitation": lambda: created("/invitations/", {"role": "viewer"}),
            "outlet": lambda: created("/outlets/", {"name": "The Courier"}),
            "article_import": lambda: created("/documents/import/", jsonl_upload(), "multipart"),
            "export": lambda: created("/export.zip", None),
            "project_with_archive": lambda: ids["export"] and team.project.pk,
        }
    )
    return ids


def signed_in(team, who: str):
    """An API client signed in as `who` with a token of their own, as a script would be."""
    client = team.client("anonymous")
    if who != "anonymous":
        secret, _ = services.issue_token(user=team.users[who])
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "fmt", "expected"),
    ENDPOINTS,
    ids=[f"{method.upper()} {path}" for method, path, *_ in ENDPOINTS],
)
def test_each_role_gets_the_expected_status_on_each_endpoint(team, ids, role, method, path, body, fmt, expected):
    data = body(ids) if callable(body) else body
    response = getattr(signed_in(team, role), method)(path.format_map(ids), data, format=fmt)
    assert response.status_code == expected[role], getattr(response, "content", b"")[:300]


def api_views(patterns=None, prefix: str = ""):
    """(route, view class) of every view under /api/v1/, as the URL resolver has them."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_views(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith(API_PREFIX):
            view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
            assert view is not None, f"{route} is served by a function; the table reads a class view's methods"
            yield route, view


def test_every_api_endpoint_has_a_row_in_the_table():
    served = {
        (method.upper(), route)
        for route, view in api_views()
        for method in METHODS
        if method in view.http_method_names and hasattr(view, method)
    }
    any_id = collections.defaultdict(lambda: 1)
    in_table = {(method.upper(), resolve(path.format_map(any_id)).route) for method, path, *_ in ENDPOINTS}
    assert sorted(served - in_table) == [], "endpoints with no row in ENDPOINTS (add one for each role)"
    assert sorted(in_table - served) == [], "rows in ENDPOINTS for endpoints the API no longer serves"


def test_outsider_does_not_see_the_project_in_their_list(team):
    response = team.client("outsider").get("/api/v1/projects/")
    assert response.json()["results"] == []


def test_member_sees_the_project_with_their_role(team):
    response = team.client("annotator").get("/api/v1/projects/")
    [project] = response.json()["results"]
    assert (project["id"], project["role"]) == (team.project.pk, "annotator")


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
