"""The search index as stored, to compare what an import writes with what a rebuild
writes."""

from __future__ import annotations

from typing import Any

from mediatheque.catalogue.search import rebuild_search_index
from mediatheque.db import Database

IndexContents = tuple[list[Any], list[Any]]


def index_contents(database: Database) -> IndexContents:
    """record_search rows, and the keys of each record (record_fts on SQLite, the
    tsvector on PostgreSQL), by record id."""
    with database.read() as session:
        connection = session.connection()
        search = connection.exec_driver_sql("SELECT * FROM record_search ORDER BY 1").all()
        if connection.dialect.name == "sqlite":
            keys = connection.exec_driver_sql(
                "SELECT rowid, title, people, other, facets FROM record_fts ORDER BY rowid"
            ).all()
        else:
            keys = connection.exec_driver_sql(
                "SELECT record_id, document::text FROM record_tsv ORDER BY record_id").all()
    return [tuple(row) for row in search], [tuple(row) for row in keys]


def assert_indexed_as_a_rebuild_would(database: Database) -> IndexContents:
    """The index as it is equals the index rebuilt from the rows; returns it."""
    found = index_contents(database)
    with database.write() as session:
        rebuild_search_index(session)
    assert index_contents(database) == found
    return found
