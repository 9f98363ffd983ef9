"""Annotator's SQL agrees with the migrated database: each function is its file, each statement fits the schema."""

import io
import re

import pytest
from django.db import connection, transaction

from annotator import sql
from annotator.sql import functions
from lede.prepared import Statement

pytestmark = pytest.mark.django_db

STATEMENTS = {name: text for name, text in vars(sql).items() if name.isupper() and isinstance(text, str)}


def function_name(file: str) -> str:
    return re.match(r"CREATE OR REPLACE FUNCTION public\.(\w+)\(", functions.definition(file))[1]


@pytest.mark.parametrize("file", functions.FILES)
def test_the_function_in_the_database_is_the_one_in_its_file(file):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_functiondef(oid) FROM pg_proc WHERE proname = %(name)s", {"name": function_name(file)}
        )
        (defined,) = [row[0] for row in cursor.fetchall()]
    assert defined.rstrip("\n") == functions.definition(file).rstrip("\n")


def test_statements_are_found():
    assert {"SENTENCE_TO_LABEL", "UPSERT_ANNOTATION", "NEXT_ASSIGNMENT", "COPY_DOCUMENTS"} <= set(STATEMENTS)


@pytest.mark.parametrize(
    "name", sorted(name for name, text in STATEMENTS.items() if not text.lstrip().startswith("COPY"))
)
def test_the_statement_fits_the_schema(name):
    """PREPARE parses the statement and resolves every table, column, function and parameter type."""
    statement = Statement(STATEMENTS[name])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.prepare.replace(statement.name, "lede_schema_check", 1))
        cursor.execute("DEALLOCATE lede_schema_check")


@pytest.mark.parametrize("name", sorted(name for name, text in STATEMENTS.items() if text.lstrip().startswith("COPY")))
def test_the_copy_names_the_tables_columns(name):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.copy_expert(STATEMENTS[name], io.StringIO(""))
