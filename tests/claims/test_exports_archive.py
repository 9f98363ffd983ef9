"""The whole-project zip: requested through the API, built by the Celery task, stored, downloaded by readers only."""

import csv
import io
import json
import zipfile

import pytest
from django.test import override_settings

from claims.models import ExportArchive
from tests.factories import AnnotationFactory, ProjectFactory, label_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root", "labelled_by_anna_and_ben")]

START = "/api/v1/projects/{}/export.zip"
FILES = {"annotations.csv", "annotations.jsonl", "wide.csv", "gold.csv", "gold.jsonl", "sources.csv", "soft_labels.csv",
         "reviewers.csv", "exposures.csv", "agreement.json", "agreement.csv", "analysis.csv", "reliability.md",
         "reliability-coefficients.csv", "reliability-pairs.csv", "reliability-reviewers.csv", "reliability-gold.csv",
         "webannotation.jsonld", "README.md", "datapackage.json"}  # fmt: skip


@pytest.fixture
def labelled_by_anna_and_ben(team):
    """Anna labels every sentence of the team's article `claim`; Ben agrees on every other one."""
    label_document(team.document, team.users["annotator"], "claim")
    label_document(team.document, team.users["annotator2"], ["claim", "quote"] * 2)


def build(client, project, django_capture_on_commit_callbacks, method="post", **params):
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(START.format(project.pk) + ("?pseudonymize=1" if params else ""))
    return response


def test_archive_is_built_by_the_task_and_downloadable(team, django_capture_on_commit_callbacks, media_root):
    client = team.client("viewer")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(START.format(team.project.pk))
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending"
    assert body["progress"] == 0
    assert body["download_url"] is None
    assert response["Location"] == body["status_url"]
    for callback in callbacks:  # the task runs (eagerly) once the request committed
        callback()
    status = client.get(body["status_url"]).json()
    assert status["status"] == "ready"
    assert status["progress"] == 100
    download = client.get(status["download_url"])
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert set(archive.namelist()) == FILES
    assert (media_root / "exports").is_dir()
    labels = list(csv.DictReader(io.StringIO(archive.read("annotations.csv").decode())))
    assert len(labels) == 2 * team.document.sentences.count()
    direct = client.get(f"/api/v1/projects/{team.project.pk}/export/annotations.csv")
    assert archive.read("annotations.csv") == b"".join(direct.streaming_content)


def test_datapackage_describes_every_table_column(team, django_capture_on_commit_callbacks):
    client = team.client("owner")
    status = build(client, team.project, django_capture_on_commit_callbacks).json()
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(client.get(client.get(status["status_url"]).json()["download_url"]).streaming_content))
    )
    package = json.loads(archive.read("datapackage.json"))
    assert package["name"] == f"lede-project-{team.project.pk}"
    resources = {resource["path"]: resource for resource in package["resources"]}
    assert set(resources) | {"datapackage.json", "README.md"} == FILES
    readme = archive.read("README.md").decode()
    for path in (path for path in resources if path.endswith(".csv")):
        header = next(csv.reader(io.StringIO(archive.read(path).decode())))
        fields = resources[path]["schema"]["fields"]
        assert [field["name"] for field in fields] == header
        assert all(field["description"] and field["type"] for field in fields)
        assert f"## {path}" in readme
    types = {f["name"]: f["type"] for f in resources["annotations.csv"]["schema"]["fields"]}
    assert types["sources"] == "array"
    assert types["created"] == "datetime"
    assert types["start"] == "integer"
    assert "| plurality_label |" in readme


def test_pseudonymized_archive_never_names_a_reviewer(team, django_capture_on_commit_callbacks):
    client = team.client("owner")
    status = build(client, team.project, django_capture_on_commit_callbacks, pseudonymize=True).json()
    assert status["options"] == {"pseudonymize": True, "spreadsheet_safe": True, "excel": False}
    data = b"".join(client.get(client.get(status["status_url"]).json()["download_url"]).streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(data))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"anna" not in everything
    assert b"ben" not in everything
    assert b"annotator-1" in everything


def test_post_reuses_a_current_archive_and_builds_again_after_a_change(team, django_capture_on_commit_callbacks):
    client = team.client("curator")
    first = build(client, team.project, django_capture_on_commit_callbacks)
    assert first.status_code == 202
    again = build(client, team.project, django_capture_on_commit_callbacks)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["status"] == "ready"
    AnnotationFactory(sentence=team.document.sentences.first(), annotator=team.users["annotator"], label="opinion")
    fresh = build(client, team.project, django_capture_on_commit_callbacks)
    assert fresh.status_code == 202
    assert fresh.json()["id"] != first.json()["id"]
    assert ExportArchive.objects.filter(project=team.project).count() == 2


def test_get_answers_a_current_archive_and_starts_no_build(team, django_capture_on_commit_callbacks):
    client = team.client("curator")
    missing = build(client, team.project, django_capture_on_commit_callbacks, method="get")
    assert missing.status_code == 404
    assert "POST" in missing.json()["detail"]
    assert not ExportArchive.objects.exists()
    first = build(client, team.project, django_capture_on_commit_callbacks)
    again = build(client, team.project, django_capture_on_commit_callbacks, method="get")
    assert again.status_code == 303
    assert again["Location"].endswith(f"/exports/{first.json()['id']}/download/")
    AnnotationFactory(sentence=team.document.sentences.first(), annotator=team.users["annotator"], label="opinion")
    assert build(client, team.project, django_capture_on_commit_callbacks, method="get").status_code == 404
    assert ExportArchive.objects.count() == 1


def test_a_project_builds_one_archive_at_a_time(team):
    client = team.client("owner")
    first = client.post(START.format(team.project.pk)).json()  # not committed: the build has not run
    same = client.post(START.format(team.project.pk)).json()
    other = client.post(START.format(team.project.pk) + "?pseudonymize=1")
    assert same["id"] == first["id"]
    assert other.status_code == 409
    assert "options" in other.json()
    assert ExportArchive.objects.count() == 1
    assert client.get(START.format(team.project.pk)).status_code == 202


def test_download_before_ready_is_a_conflict(team):
    client = team.client("owner")
    body = client.post(START.format(team.project.pk)).json()  # not committed: the task has not run
    response = client.get(body["status_url"] + "download/")
    assert response.status_code == 409
    assert response.json()["status"] == "pending"


@pytest.mark.parametrize(("who", "expected"), [("annotator", 403), ("outsider", 404)])
def test_only_readers_request_see_or_download_archives(team, django_capture_on_commit_callbacks, who, expected):
    status = build(team.client("owner"), team.project, django_capture_on_commit_callbacks).json()
    client = team.client(who)
    assert client.post(START.format(team.project.pk)).status_code == expected
    assert client.get(status["status_url"]).status_code == expected
    assert client.get(status["status_url"] + "download/").status_code == expected


def test_archive_of_another_project_is_not_found(team, django_capture_on_commit_callbacks):
    status = build(team.client("owner"), team.project, django_capture_on_commit_callbacks).json()
    other = ProjectFactory(owner=team.users["viewer"], name="Other")
    response = team.client("viewer").get(f"/api/v1/projects/{other.pk}/exports/{status['id']}/")
    assert response.status_code == 404


@override_settings(MEDIA_ROOT="/proc/no-such-place")
def test_a_failed_build_is_reported_with_its_error(team, django_capture_on_commit_callbacks):
    client = team.client("owner")
    status = build(client, team.project, django_capture_on_commit_callbacks).json()
    status = client.get(status["status_url"]).json()
    assert status["status"] == "failed"
    assert status["error"]
    assert status["download_url"] is None
