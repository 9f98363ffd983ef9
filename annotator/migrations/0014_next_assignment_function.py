"""Once created `lede_next_assignment()`; the function now comes whole from `annotator/sql/` (migration 0020).

This migration keeps its name, so that databases which applied it keep a consistent history, and does
nothing: 0020 creates the functions from their files, on a fresh database as on one where this migration
and 0018 created and patched the function before (`CREATE OR REPLACE`). No migration between here and
0020 calls the function.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0013_document_key_holds_a_web_address"),
    ]

    operations = []
