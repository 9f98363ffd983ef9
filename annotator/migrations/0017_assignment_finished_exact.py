"""`Assignment.finished` is kept exact from now on; the assignments' values are made exact once here."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef
from django.utils import timezone


def settle_finished(apps, schema_editor):
    Assignment = apps.get_model("annotator", "Assignment")
    Sentence = apps.get_model("annotator", "Sentence")
    Annotation = apps.get_model("annotator", "Annotation")
    unlabelled = Sentence.objects.filter(document_id=OuterRef("document_id")).exclude(
        Exists(Annotation.objects.filter(sentence_id=OuterRef("pk"), annotator_id=OuterRef(OuterRef("reviewer_id"))))
    )
    Assignment.objects.filter(finished__isnull=True).filter(~Exists(unlabelled)).update(finished=timezone.now())
    Assignment.objects.filter(finished__isnull=False).filter(Exists(unlabelled)).update(finished=None)


class Migration(migrations.Migration):
    dependencies = [("annotator", "0016_sentence_document_found_by_its_unique_index")]

    operations = [
        migrations.AlterField(
            model_name="assignment",
            name="finished",
            field=models.DateTimeField(
                blank=True,
                help_text="When the reviewer had labelled every sentence; empty while one is unlabelled "
                "(kept by the labelling and article services).",
                null=True,
            ),
        ),
        migrations.RunPython(settle_finished, migrations.RunPython.noop),
    ]
