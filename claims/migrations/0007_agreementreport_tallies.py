from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_analysisreport_heartbeat"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreementreport",
            name="tallied_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the reading of the labels `tallies` counts began (see claims.reports.tallying).",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="agreementreport",
            name="tallies",
            field=models.JSONField(
                blank=True,
                help_text="A document's label tallies, which the project's report sums (claims.tallies).",
                null=True,
            ),
        ),
    ]
