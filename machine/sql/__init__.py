"""The machine app's SQL: the assistance draw's trigger, whole in its `.sql` file, which a migration applies."""

from pathlib import Path

FILES = ("assistance_draw.sql",)


def definition(file: str) -> str:
    return (Path(__file__).parent / file).read_text()


def install(schema_editor) -> None:
    """Create or replace the trigger functions of `FILES` (a migration's `RunPython` step)."""
    for file in FILES:
        schema_editor.execute(definition(file), params=None)
