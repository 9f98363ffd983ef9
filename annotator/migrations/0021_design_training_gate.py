"""The training gate counts first answers (`TrainingAnswer`) and a lead's decision (`Membership.training_decision`,
kept in the history); `lede_may_label()` says who labels what under a study design."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from annotator.sql import functions

OLD_NEXT_ASSIGNMENT = "DROP FUNCTION IF EXISTS lede_next_assignment(bigint, integer, integer, interval, double precision, integer, integer)"


def install(apps, schema_editor):
    # The training gate moved into lede_training_standing(), so the request for work lost its threshold argument.
    schema_editor.execute(OLD_NEXT_ASSIGNMENT, params=None)
    functions.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0020_sql_functions_from_their_files"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TrainingAnswer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fixed", models.DateTimeField(help_text="When the reference was first shown to the reviewer.")),
            ],
            options={
                "ordering": ["sentence_id", "reviewer_id"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="annotationevent",
            name="label_event_names_sentence_and_reviewer",
        ),
        migrations.AddField(
            model_name="membership",
            name="training_decision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "the gate decides"),
                    ("let_through", "let through by a lead"),
                    ("sent_back", "sent back to training by a lead"),
                ],
                default="",
                help_text="A lead's decision that overrides the training gate (annotator/sql/training_standing.sql).",
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="annotationevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("updated", "Updated"),
                    ("deleted", "Deleted"),
                    ("document_deleted", "Document Deleted"),
                    ("let_through", "Let Through"),
                    ("sent_back", "Sent Back"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="annotationevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("action", "document_deleted"),
                    models.Q(("action__in", ["let_through", "sent_back"]), ("annotator__isnull", False)),
                    models.Q(("annotator__isnull", False), ("sentence__isnull", False)),
                    _connector="OR",
                ),
                name="label_event_names_sentence_and_reviewer",
            ),
        ),
        migrations.AddField(
            model_name="traininganswer",
            name="label",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="annotator.label"
            ),
        ),
        migrations.AddField(
            model_name="traininganswer",
            name="reviewer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="traininganswer",
            name="sentence",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="training_answers", to="annotator.sentence"
            ),
        ),
        migrations.AddConstraint(
            model_name="traininganswer",
            constraint=models.UniqueConstraint(
                fields=("sentence", "reviewer"), name="one_first_answer_per_reviewer_and_sentence"
            ),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
