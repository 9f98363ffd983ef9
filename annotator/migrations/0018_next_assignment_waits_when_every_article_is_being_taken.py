"""Once patched `lede_next_assignment()` to try again while every article with room is being taken; the
function now comes whole from `annotator/sql/next_assignment.sql` (migration 0020).

Kept, empty, for the same reason as 0014: its name stays in the history of databases that applied it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0017_assignment_finished_exact"),
    ]

    operations = []
