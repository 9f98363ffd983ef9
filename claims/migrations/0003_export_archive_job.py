"""ExportArchive becomes a Job: `created` is `requested`, as on every job."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_agreementreport_computations"),
    ]

    operations = [
        migrations.RenameField(model_name="exportarchive", old_name="created", new_name="requested"),
        migrations.AlterModelOptions(name="exportarchive", options={"ordering": ["-requested", "-id"]}),
    ]
