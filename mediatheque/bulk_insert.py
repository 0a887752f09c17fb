"""Inserting thousands of rows at once (imports, the search index).

On SQLite the rows go straight to the driver's executemany, converted column by column
with SQLAlchemy's own bind processors (so the stored values are exactly those of an ORM
insert): SQLAlchemy's per-row parameter handling would otherwise cost as much as SQLite's
own work. A value is converted once however many rows repeat it (the `now` of an import,
a date, a price). PostgreSQL keeps SQLAlchemy's executemany, which already batches rows
into multi-row statements there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, insert


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Inserts the rows (dicts with the same keys; a key that is None in every row is left
    to the column's default, NULL for ours)."""
    if not rows:
        return
    keys = list(rows[0])
    take = itemgetter(*keys)
    columns = dict(zip(keys, zip(*[take(row) for row in rows], strict=True) if len(keys) > 1
                       else [tuple(row[keys[0]] for row in rows)], strict=True))
    used = [key for key in keys if columns[key].count(None) != len(rows)]
    if connection.dialect.name != "sqlite" or not used:
        connection.execute(insert(table), [{key: row[key] for key in used} for row in rows]
                           if len(used) < len(keys) else list(rows))
        return
    compiled = insert(table).compile(dialect=connection.dialect, column_keys=used)
    order: list[str] = list(compiled.positiontup or ())
    if sorted(order) != sorted(used):  # Python-side defaults to fill: SQLAlchemy does it
        connection.execute(insert(table), [{key: row[key] for key in used} for row in rows])
        return
    for name in order:
        process = table.c[name].type.bind_processor(connection.dialect)
        if process is not None:
            columns[name] = _converted(columns[name], process)
    connection.exec_driver_sql(str(compiled), list(zip(*[columns[name] for name in order],
                                                       strict=True)))


def _converted(column: Sequence[Any], process: Callable[[Any], Any]) -> tuple[Any, ...]:
    done: dict[Any, Any] = {None: None}
    result = []
    for value in column:
        try:
            result.append(done[value])
        except KeyError:
            done[value] = converted = process(value)
            result.append(converted)
        except TypeError:  # unhashable: converted every time
            result.append(process(value))
    return tuple(result)
