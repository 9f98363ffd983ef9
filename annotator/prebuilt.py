"""One-row reads whose SQL is built once per process, for the queries every label save runs.

Building a Django queryset costs 0.5 to 2 ms of Python per request, more than PostgreSQL takes to
answer these one-row reads, and a label save is only a few milliseconds in all
(`bench/label_throughput.py`). What comes back is still model instances, with every value
converted exactly as the ORM converts it (SQLite returns datetimes as text, for example).
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Field, Model


@dataclass(frozen=True)
class Columns:
    """The concrete fields of `model` read from the table aliased `alias`."""

    model: type[Model]
    alias: str
    fields: tuple[Field, ...]

    @classmethod
    def of(cls, model: type[Model], alias: str, *, skip: tuple[str, ...] = ()) -> "Columns":
        return cls(model, alias, tuple(f for f in model._meta.concrete_fields if f.name not in skip))

    def sql(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(f.column)}" for f in self.fields)


def from_db_value(value, field: Field, alias: str):
    """`value` as read by raw SQL, converted as the ORM would for `field`."""
    column = field.get_col(alias)
    for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
        value = converter(value, column, connection)
    return value


def instances(row, parts: tuple[Columns, ...]) -> list[Model]:
    """Turn one row, whose leading columns are `parts` in order, into one instance per part."""
    objects, start = [], 0
    for part in parts:
        values = [
            from_db_value(value, field, part.alias)
            for value, field in zip(row[start : start + len(part.fields)], part.fields, strict=True)
        ]
        start += len(part.fields)
        objects.append(part.model.from_db(connection.alias, [f.attname for f in part.fields], values))
    return objects
