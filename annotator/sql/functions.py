"""Annotator's SQL functions: each one whole in a `.sql` file of this folder, which migrations apply.

A file holds the function as `pg_get_functiondef()` prints it, so that the database's definition can be
compared with it (tests/annotator/test_sql.py). A change to a file takes a new migration that
calls `install` again, so that existing databases get it too.
"""

from pathlib import Path

# In the order they are created: a function's body is checked against the ones before it.
FILES = (
    "unlabelled_sentence.sql",
    "training_standing.sql",
    "may_label.sql",
    "next_assignment.sql",
)


def definition(file: str) -> str:
    """The `CREATE OR REPLACE FUNCTION` statement of `file`."""
    return (Path(__file__).parent / file).read_text()


def install(schema_editor) -> None:
    """Create or replace every function of `FILES` (a migration's `RunPython` step).

    Bodies are not checked against the schema while they are created (as `pg_dump` does): an earlier
    migration installs today's files before the tables they read exist, and a later one installs them again.
    """
    schema_editor.execute("SET LOCAL check_function_bodies = off", params=None)
    for file in FILES:
        schema_editor.execute(definition(file), params=None)
