"""On PostgreSQL 14 and later built with lz4, an article's text is compressed with lz4 instead of pglz.

An article's text is the one value of Lede's that PostgreSQL compresses (over 2 kB), and compressing
long articles with pglz took most of a bulk import's document COPY (`bench/bulk_import.py`); lz4
compresses and reads back several times faster. Texts stored before keep pglz and read as before.

The one migration that sets it: 0015 did too, with a statement of its own, and is empty now (a database
that applied both has lz4 already; this one sets it again, to the same).
"""

from django.db import migrations


def compression(method: str):
    """Set `method` for the documents' text where the server offers it (`default_toast_compression` exists
    from PostgreSQL 14 on, so an older server finds no row)."""

    def alter(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT %s = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'", [method]
            )
            row = cursor.fetchone()
        if row and row[0]:
            table = schema_editor.quote_name(apps.get_model("annotator", "Document")._meta.db_table)
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN text SET COMPRESSION {method}")

    return alter


class Migration(migrations.Migration):
    dependencies = [("annotator", "0018_next_assignment_waits_when_every_article_is_being_taken")]

    operations = [migrations.RunPython(compression("lz4"), compression("pglz"), elidable=True)]
