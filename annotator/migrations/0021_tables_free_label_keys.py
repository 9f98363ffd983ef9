"""Label keys that a screen's shortcut now reserves (see `annotator.shortcuts`) are cleared: such a key either
hid the shortcut (g, n on the annotation screen) or was hidden by it (a, x, r on the curator screen)."""

from django.db import migrations

# The reserved characters when this migration was written; later changes to the list need a migration of their own.
RESERVED = "?agjknrsux"


def clear_reserved_keys(apps, schema_editor):
    Label = apps.get_model("annotator", "Label")
    taken = [case for key in RESERVED for case in {key, key.upper()}]
    Label.objects.filter(key__in=taken).update(key="")


class Migration(migrations.Migration):
    dependencies = [("annotator", "0020_sql_functions_from_their_files")]

    operations = [migrations.RunPython(clear_reserved_keys, migrations.RunPython.noop)]
