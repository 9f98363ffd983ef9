"""Fixtures for the claims tests."""

import os

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 at full strength costs half a second per test user; what is tested here is not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """Tests marked `worker` need PostgreSQL, which a separate worker process can share with the test.

    On SQLite (an in-memory test database no other process can open) they are deselected, except
    under CI=true, where they stay and fail with a message saying why.
    """
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"] or os.environ.get("CI") == "true":
        return
    worker_tests = [item for item in items if item.get_closest_marker("worker")]
    if worker_tests:
        config.hook.pytest_deselected(items=worker_tests)
        items[:] = [item for item in items if not item.get_closest_marker("worker")]
