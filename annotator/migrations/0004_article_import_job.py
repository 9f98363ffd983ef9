"""ArticleImport becomes a Job: `requested_at` is `requested`, progress is stored, the error is text.

The error was JSON ({"file": [messages]}); it becomes the messages, one a line, which the API
answers as the same JSON. Existing rows keep their meaning both ways.
"""

from django.db import migrations, models

SPLITTING_SHARE = 90  # annotator.services.imports.SPLITTING_SHARE when this migration was written


def to_job(apps, schema_editor):
    ArticleImport = apps.get_model("annotator", "ArticleImport")
    for job in ArticleImport.objects.all():
        messages = [message for texts in (job.error_json or {}).values() for message in texts]
        job.error = "\n".join(messages)
        if job.status == "ready":
            job.progress = 100
        elif job.articles:
            job.progress = SPLITTING_SHARE * job.processed // job.articles
        job.save(update_fields=["error", "progress"])


def from_job(apps, schema_editor):
    ArticleImport = apps.get_model("annotator", "ArticleImport")
    for job in ArticleImport.objects.exclude(error=""):
        job.error_json = {"file": job.error.split("\n")}
        job.save(update_fields=["error_json"])


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0003_article_import"),
    ]

    operations = [
        migrations.RenameField(model_name="articleimport", old_name="requested_at", new_name="requested"),
        migrations.AlterModelOptions(name="articleimport", options={"ordering": ["-requested", "-id"]}),
        migrations.AddField(
            model_name="articleimport",
            name="progress",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RenameField(model_name="articleimport", old_name="error", new_name="error_json"),
        migrations.AddField(
            model_name="articleimport",
            name="error",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.RunPython(to_job, from_job, elidable=True),
        migrations.RemoveField(model_name="articleimport", name="error_json"),
    ]
