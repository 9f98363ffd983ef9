"""`lede_next_assignment()` tries again, after a pause, rather than answer "nothing left" while the articles
below k are all being taken by other requests at that moment.

Its tries pass over articles other requests hold (`SKIP LOCKED`); when 32 reviewers asked at once for the last
free places, every try of some of them found each such article held, and they were told there was no work
while places remained (tests/annotator/test_assignment_races.py). A request now keeps trying, 2 ms apart, up
to 50 more times, while some article still has room for its reviewer; each try reads what has been committed
since. It never waits on a lock: a row a failed try left locked (a lock taken before a row's second look is
kept) stays usable by the request that holds it, so two waiting requests cannot hold each other up.
"""

import importlib

from django.db import migrations

PREVIOUS = importlib.import_module("annotator.migrations.0014_next_assignment_function")

TRIES = """            FOR v_attempt IN 0..p_strict_attempts LOOP
                v_strict := v_attempt < p_strict_attempts;
"""
TRIES_THEN_WAIT = """            FOR v_attempt IN 0..p_strict_attempts + 50 LOOP
                v_strict := v_attempt < p_strict_attempts;
                IF v_attempt > p_strict_attempts THEN
                    -- Every article with room is held by another request: let one of them commit.
                    PERFORM pg_sleep(0.002);
                END IF;
"""
assert PREVIOUS.CREATE.count(TRIES) == 1
CREATE = PREVIOUS.CREATE.replace(TRIES, TRIES_THEN_WAIT)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS.CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0017_assignment_finished_exact"),
    ]

    operations = [migrations.RunPython(create, restore)]
