"""Where the tests' PostgreSQL is: DATABASE_URL's server, or the embedded one (`lede.embedded_postgres`).

Loaded by tests/conftest.py as a plugin. `database_url` gives another process (a Celery worker,
gunicorn) the address of a database on the server the tests use; `empty_database_url` gives one a
fresh database to migrate.
"""

import uuid
from urllib.parse import quote

import pytest
from django.db import connection


def database_url(name: str | None = None) -> str:
    """The URL of database `name` (the test database by default) on the server the tests use."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    # The embedded server's host is the folder of its unix socket, which a URL carries percent-encoded.
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{name or db['NAME']}"


@pytest.fixture
def empty_database_url(django_db_blocker) -> str:
    """An empty database on the tests' server, for a process that migrates its own; dropped after the test."""
    name = f"lede_empty_{uuid.uuid4().hex[:12]}"
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
