"""Looking up thousands of keys at once (an import's barcodes, batch by batch).

`column.in_(values)` costs SQLAlchemy about a microsecond per value to expand, four times
what the database takes to answer: an import of 300,000 copies spent over a second of its
own time on it. These statements are plain enough to write for the driver directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Connection

# Values in one IN (…): under the 999 parameters of a statement of older SQLite builds.
CHUNK = 900


def rows_where_in(connection: Connection, columns: Sequence[Column[Any]],
                  key: Column[Any], values: Sequence[str | int]) -> list[tuple[Any, ...]]:
    """The `columns` of the rows of key's table whose `key` is one of `values` (text or
    integers: values that need no conversion on their way to the driver)."""
    quote = connection.dialect.identifier_preparer.quote
    table = connection.dialect.identifier_preparer.format_table(key.table)
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    head = f"SELECT {', '.join(quote(column.name) for column in columns)} FROM {table} " \
           f"WHERE {quote(key.name)} IN "
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(values), CHUNK):
        chunk = tuple(values[start:start + CHUNK])
        statement = head + f"({', '.join([marker] * len(chunk))})"
        found.extend(tuple(row) for row in connection.exec_driver_sql(statement, chunk))
    return found
