"""Articles' texts are compressed with lz4 instead of pglz on PostgreSQL.

A bulk import writes megabytes of article text in one statement; PostgreSQL compresses each text
over 2 kB as it stores it, and lz4 does that three times faster than the default pglz, for files
about a sixth larger. A server built without lz4 (or before PostgreSQL 14) keeps pglz, and so
does SQLite, which compresses nothing.
"""

from django.db import migrations

LZ4 = """
DO $$
BEGIN
    ALTER TABLE annotator_document ALTER COLUMN text SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
    NULL;
END $$;
"""
PGLZ = "ALTER TABLE annotator_document ALTER COLUMN text SET COMPRESSION pglz;"


def compress_with(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("annotator", "0014_next_assignment_function")]

    operations = [migrations.RunPython(compress_with(LZ4), compress_with(PGLZ), elidable=True)]
