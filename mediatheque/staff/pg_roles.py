"""PostgreSQL: the database role the desks connect with, allowed only what the application
does day to day — read and write rows, never change the schema, and only add to the audit
trail (UPDATE and DELETE on audit_entry are refused by the server itself).

Upgrades (migrations) and restores (which replace every row, the audit trail included) are
done with the database owner's account. Run again after each upgrade: new tables get their
grants. tools/postgres_roles.sql does the same from psql."""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from mediatheque.errors import InvalidValue

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
APPEND_ONLY = ("audit_entry",)
READ_ONLY = ("alembic_version",)


def application_role_statements(role: str, schema: str = "public") -> list[str]:
    """The GRANT/REVOKE statements, for a role that already exists."""
    if not ROLE_NAME.match(role):
        raise InvalidValue("role", role)
    quoted = f'"{role}"'
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {quoted}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM {quoted}",
        f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
    ]
    for table in APPEND_ONLY:
        statements.append(f'REVOKE UPDATE, DELETE, TRUNCATE ON {schema}."{table}" FROM {quoted}')
    for table in READ_ONLY:
        statements.append(
            f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {schema}."{table}" FROM {quoted}'
        )
    return statements


def create_application_role(connection: Connection, role: str, password: str) -> None:
    """Creates the login role if needed (with this password) and sets its privileges. The
    connection must be the database owner's (or a superuser's)."""
    if not ROLE_NAME.match(role):
        raise InvalidValue("role", role)
    exists = connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    verb = "ALTER" if exists else "CREATE"
    # Role names cannot be bound parameters; the name was checked above, the password is
    # quoted by the server's own quote_literal.
    literal = connection.scalar(text("SELECT quote_literal(:p)"), {"p": password})
    connection.execute(text(f'{verb} ROLE "{role}" LOGIN PASSWORD {literal}'))
    database = connection.scalar(text("SELECT current_database()"))
    connection.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"'))
    for statement in application_role_statements(role):
        connection.execute(text(statement))
