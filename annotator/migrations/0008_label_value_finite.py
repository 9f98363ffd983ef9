"""Label values are finite: stored NaN or infinity (once let in by annotation imports) becomes null first."""

import math
import sys

from django.db import migrations, models


def clear_non_finite_values(apps, schema_editor):
    Label = apps.get_model("annotator", "Label")
    stored = Label.objects.exclude(value__isnull=True).values_list("pk", "value")
    broken = [pk for pk, value in stored if not math.isfinite(value)]
    Label.objects.filter(pk__in=broken).update(value=None)


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0007_invitation"),
    ]

    operations = [
        migrations.RunPython(clear_non_finite_values, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="label",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("value__isnull", True),
                    models.Q(("value__gte", -sys.float_info.max), ("value__lte", sys.float_info.max)),
                    _connector="OR",
                ),
                name="label_value_finite",
            ),
        ),
    ]
