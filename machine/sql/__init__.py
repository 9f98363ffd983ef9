"""The machine app's SQL: the assistance draw's trigger, whole in its `.sql` file, which a migration applies."""

from pathlib import Path

FILES = ("assistance_draw.sql",)


def definition(file: str) -> str:
    return (Path(__file__).parent / file).read_text()


def install(schema_editor) -> None:
    """Create or replace the trigger functions of `FILES` (a migration's `RunPython` step)."""
    for file in FILES:
        schema_editor.execute(definition(file), params=None)


# What `install` creates, dropped when the migration that installed it is reversed (the functions read
# columns that an earlier schema lacks).
UNINSTALL = """
DROP TRIGGER IF EXISTS lede_draw_assistance ON annotator_assignment;
DROP TRIGGER IF EXISTS lede_forget_assistance ON annotator_assignment;
DROP FUNCTION IF EXISTS lede_draw_assistance();
DROP FUNCTION IF EXISTS lede_forget_assistance();
"""


def uninstall(schema_editor) -> None:
    schema_editor.execute(UNINSTALL, params=None)
