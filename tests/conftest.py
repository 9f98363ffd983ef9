"""Fixtures shared by every test: API clients, a project with one member of each role, and where files go."""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from annotator.models import Document, Project, Role, Sentence

from .factories import DocumentFactory, ProjectFactory, UserFactory, add_member

pytest_plugins = ["tests.database", "tests.worker", "tests.web_pages"]


@dataclass
class Team:
    project: Project
    document: Document
    users: dict  # role name -> user; also "outsider" and "annotator2"

    def client(self, who: str) -> APIClient:
        """An API client signed in as `who`; "anonymous" is a client signed in as nobody."""
        client = APIClient()
        if who != "anonymous":
            client.force_authenticate(self.users[who])
        return client

    def save_label(self, who: str, sentence: Sentence, label: str = "claim", **fields):
        """`who` labels `sentence` through the API, as the annotation screen saves: the answer, 201 for a new
        label and 200 for a changed one (anything else fails the test)."""
        response = self.client(who).put(
            f"/api/v1/sentences/{sentence.pk}/annotation/", {"label": label, **fields}, format="json"
        )
        assert response.status_code in (200, 201), response.content
        return response

    def export(self, who: str, name: str, **filters) -> str:
        """The project's export file `name` (e.g. "annotations.csv") as `who` downloads it, as text."""
        response = self.client(who).get(f"/api/v1/projects/{self.project.pk}/export/{name}", filters)
        assert response.status_code == 200, getattr(response, "data", response)
        return b"".join(response.streaming_content).decode()


@pytest.fixture
def data_outside_repository():
    """data_outside_repository(path) -> path, for data a clone does not hold (e.g. ../shared/datasets/babe).

    When it is missing the test is skipped with a reason that names the path, except under CI=true,
    where it fails: CI must not pass by skipping what it was meant to check.
    """

    def require(path: Path) -> Path:
        if path.exists():
            return path
        reason = f"needs {path}, which is outside the repository and not on this machine"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: data the tests need must be present)")
        pytest.skip(reason)

    return require


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def lead_client(api_client):
    """An API client signed in as `lea`, a user in no project yet."""
    api_client.force_authenticate(UserFactory(username="lea"))
    return api_client


@pytest.fixture
def team(db) -> Team:
    owner = UserFactory(username="olivia")
    project = ProjectFactory(owner=owner, name="Bridge study")
    users = {
        "owner": owner,
        "curator": add_member(project, Role.CURATOR, "carl"),
        "annotator": add_member(project, Role.ANNOTATOR, "anna"),
        "annotator2": add_member(project, Role.ANNOTATOR, "ben"),
        "viewer": add_member(project, Role.VIEWER, "vera"),
        "outsider": UserFactory(username="otto"),
    }
    document = DocumentFactory(project=project, title="Bridge to reopen")
    return Team(project=project, document=document, users=users)


@pytest.fixture
def sentence(team) -> Sentence:
    """The first sentence of the team's article."""
    return team.document.sentences.order_by("index").first()


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads and built archives go to this test's own folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
