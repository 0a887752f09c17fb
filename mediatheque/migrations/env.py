"""Alembic environment. The application runs migrations itself (mediatheque.schema) and
hands over an open connection; `alembic` on the command line works too, for developers."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from mediatheque.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as fresh_connection:
        _run(fresh_connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite changes tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
