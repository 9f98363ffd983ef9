"""Fixtures shared by every test: API clients and a project with one member of each role."""

import os
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from annotator.models import Document, Project, Role

from .factories import ProjectFactory, UserFactory, add_member, import_article

pytest_plugins = ["tests.worker"]


@dataclass
class Team:
    project: Project
    document: Document
    users: dict  # role name -> user; also "outsider" and "annotator2"

    def client(self, who: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(self.users[who])
        return client


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` or `worker` need PostgreSQL: row locks across connections, server-side
    cursors, or a Celery worker process sharing the test database (SQLite's in-memory test database
    is private to one process).

    On SQLite they are deselected, except under CI=true, where they stay and fail saying why.
    """
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"] or os.environ.get("CI") == "true":
        return
    needs_postgresql = [
        item for item in items if item.get_closest_marker("postgresql") or item.get_closest_marker("worker")
    ]
    if needs_postgresql:
        config.hook.pytest_deselected(items=needs_postgresql)
        items[:] = [item for item in items if item not in needs_postgresql]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 at full strength costs a good part of a second per user created or logged in; the hash is
    not what these tests check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fetch_from_loopback_only(settings):
    """No test fetches a page from beyond 127.0.0.0/8, whatever URL it (or schemathesis) sends."""
    settings.LEDE_FETCH_LOOPBACK_ONLY = True


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
