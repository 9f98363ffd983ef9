"""Annotator's SQL functions are created from their files (`annotator.sql.functions`): `lede_next_assignment()`
and `lede_unlabelled_sentence()`, the one rule of when a reviewer's assignment is finished, which the
function, the label upsert and the assignment services call.

Before, 0014 held `lede_next_assignment()` and 0018 patched its text with `str.replace`, so that the whole
function stood in no file. Both are empty now rather than deleted, so that databases which applied them
keep a consistent history: on such a database this migration replaces the function with its file's text
(`CREATE OR REPLACE`: same arguments, same columns); on a fresh one it creates it. No migration between
0014 and this one calls the function. Going back leaves the functions in place: the code of before calls
`lede_next_assignment()` the same way and reads the same columns.
"""

from django.db import migrations

from annotator.sql import functions


def install(apps, schema_editor):
    functions.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("annotator", "0019_document_text_compressed_with_lz4")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
