"""Migration 0021 clears the label keys that a screen's shortcut takes, and keeps every other key."""

import pytest

from annotator import shortcuts

from ..migration_steps import migrate, models_before

BEFORE = [("annotator", "0020_sql_functions_from_their_files")]
AFTER = [("annotator", "0021_tables_free_label_keys")]


@pytest.fixture
def before(transactional_db):
    yield from models_before(BEFORE)


def test_keys_a_shortcut_takes_are_cleared_and_others_kept(before):
    project = before.get_model("annotator", "Project").objects.create(name="Bridge study")
    Label = before.get_model("annotator", "Label")
    keys = {"claim": "1", "guess": "g", "next": "N", "accept": "a", "fact": "f", "none": ""}
    for order, (name, key) in enumerate(keys.items()):
        Label.objects.create(project=project, name=name, key=key, order=order)

    after = migrate(AFTER).get_model("annotator", "Label").objects
    assert dict(after.values_list("name", "key")) == {
        "claim": "1", "guess": "", "next": "", "accept": "", "fact": "f", "none": ""
    }  # fmt: skip


def test_the_migration_clears_what_the_shortcuts_reserve_today():
    from importlib import import_module

    migration = import_module("annotator.migrations.0021_tables_free_label_keys")
    assert set(migration.RESERVED) == {key.lower() for key in shortcuts.RESERVED_KEYS}
