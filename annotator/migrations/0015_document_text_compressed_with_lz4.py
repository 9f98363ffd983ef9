"""Once switched the articles' text to lz4; migration 0019 does it alone now.

0015 and 0019 both set lz4. A database that applied both keeps lz4 (this migration's record stays and
0019 has nothing left to do); a fresh one gets lz4 from 0019. Kept, empty, because 0016 depends on it and
existing databases have it in their history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("annotator", "0014_next_assignment_function")]

    operations = []
