"""Server-side prepared statements (PostgreSQL) for the few statements every label save runs.

PostgreSQL parses and plans each statement it receives; for the short statements of a save that
costs more than running them (README's benchmarks give the figures). `execute` prepares a statement
once per database connection, under a name derived from its text, and from then on sends `EXECUTE name(…)` with the
parameters, so the server reuses its plan. Other databases run the statement as it is.

A prepared statement lives as long as its connection (it is not undone by a rollback), so behind
a connection pooler that hands one server connection to several clients between transactions
(PgBouncer in transaction mode) `DATABASE_PREPARED_STATEMENTS` must be off; the statements then
run as they are.
"""

import hashlib
import re
import weakref

from django.conf import settings
from django.db import connection

_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()
_PLACEHOLDER = re.compile(r"%s")


def _numbered(sql: str) -> str:
    """The statement with its `%s` placeholders numbered as PREPARE wants them: $1, $2, …"""
    numbers = iter(range(1, sql.count("%s") + 1))
    return _PLACEHOLDER.sub(lambda _: f"${next(numbers)}", sql)


def execute(cursor, sql: str, params) -> None:
    """`cursor.execute(sql, params)`, through a statement prepared on the cursor's connection on PostgreSQL.

    `sql` takes positional `%s` parameters only and no literal `%`. The PREPARE itself goes through
    the driver's own cursor, as Django's connection set-up does, so it is not counted among the
    request's queries: a request counts the same queries whether or not its connection is new. Its
    errors are Django's, as any query's (a lost connection is a 503, `annotator.api.exceptions`).
    """
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    raw = connection.connection
    names = _prepared.get(raw)
    if names is None:
        names = _prepared[raw] = set()
    name = "lede_" + hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()
    if name not in names:
        with connection.wrap_database_errors, raw.cursor() as preparing:
            preparing.execute(f"PREPARE {name} AS {_numbered(sql)}")
        names.add(name)
    cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}", params)
