"""Server-side prepared statements for the few statements every label save runs.

PostgreSQL parses and plans each statement it receives; for the short statements of a save that
costs more than running them (README's benchmarks give the figures). `execute` prepares a statement
once per database connection, under a name derived from its text, and from then on sends `EXECUTE name(…)` with the
parameters, so the server reuses its plan.

A prepared statement lives as long as its connection (it is not undone by a rollback), so behind
a connection pooler that hands one server connection to several clients between transactions
(PgBouncer in transaction mode) `DATABASE_PREPARED_STATEMENTS` must be off; the statements then
run as they are.
"""

import functools
import hashlib
import re
import weakref
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import connection

_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()
_NAMED = re.compile(r"%\((\w+)\)s")
_POSITIONAL = re.compile(r"%s")


class Statement:
    """A statement as PREPARE takes it (placeholders numbered $1, $2, …) and the EXECUTE that runs it."""

    def __init__(self, sql: str):
        self.name = "lede_" + hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()
        names = list(dict.fromkeys(_NAMED.findall(sql)))
        if names:
            number = {name: position for position, name in enumerate(names, 1)}
            self.prepare = f"PREPARE {self.name} AS {_NAMED.sub(lambda m: f'${number[m[1]]}', sql)}"
            arguments = ", ".join(f"%({name})s" for name in names)
        else:
            numbers = iter(range(1, sql.count("%s") + 1))
            self.prepare = f"PREPARE {self.name} AS {_POSITIONAL.sub(lambda _: f'${next(numbers)}', sql)}"
            arguments = ", ".join(["%s"] * sql.count("%s"))
        self.execute = f"EXECUTE {self.name}({arguments})" if arguments else f"EXECUTE {self.name}"


@functools.lru_cache(maxsize=256)
def _statement(sql: str) -> Statement:
    return Statement(sql)


def execute(cursor, sql: str, params: Mapping | Sequence) -> None:
    """`cursor.execute(sql, params)`, through a statement prepared on the cursor's connection.

    `sql` takes named parameters (`%(name)s`, a mapping) or positional ones (`%s`, a sequence), and no
    literal `%`. The PREPARE itself goes through the driver's own cursor, as Django's connection set-up
    does, so it is not counted among the request's queries: a request counts the same queries whether or
    not its connection is new. Its errors are Django's, as any query's (a lost connection is a 503,
    `annotator.api.exceptions`).
    """
    if not settings.DATABASE_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    statement = _statement(sql)
    raw = connection.connection
    names = _prepared.get(raw)
    if names is None:
        names = _prepared[raw] = set()
    if statement.name not in names:
        with connection.wrap_database_errors, raw.cursor() as preparing:
            preparing.execute(statement.prepare)
        names.add(statement.name)
    cursor.execute(statement.execute, params)
