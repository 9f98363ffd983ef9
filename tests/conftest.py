"""Fixtures shared by every test: API clients and a project with one member of each role."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from annotator.models import Document, Project, Role

from .factories import ProjectFactory, UserFactory, add_member, import_article


@dataclass
class Team:
    project: Project
    document: Document
    users: dict  # role name -> user; also "outsider" and "annotator2"

    def client(self, who: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(self.users[who])
        return client


@pytest.fixture
def api_client():
    return APIClient()


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
    document = import_article(project, title="Bridge to reopen")
    return Team(project=project, document=document, users=users)
