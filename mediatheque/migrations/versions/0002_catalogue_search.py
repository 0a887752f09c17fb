"""catalogue search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:00:00

`record_search` (a model: what searches filter and sort on) on both engines; the words
themselves in an FTS5 table on SQLite and a GIN-indexed tsvector table on PostgreSQL
(mediatheque.catalogue.search_index). Records already there are indexed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('record_search',
    sa.Column('record_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('media_type', sa.String(length=20), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('cefr_level', sa.String(length=2), nullable=True),
    sa.Column('sort_title', sa.String(length=200), nullable=False),
    sa.Column('sort_author', sa.String(length=200), nullable=False),
    sa.Column('sort_year', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('available', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], name=op.f('fk_record_search_record_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', name=op.f('pk_record_search'))
    )
    with op.batch_alter_table('record_search', schema=None) as batch_op:
        batch_op.create_index('ix_record_search_sort_title', ['sort_title', 'record_id'], unique=False)
        batch_op.create_index('ix_record_search_sort_author', ['sort_author', 'record_id'], unique=False)
        batch_op.create_index('ix_record_search_sort_year', ['sort_year', 'record_id'], unique=False)
        batch_op.create_index('ix_record_search_created_at', ['created_at', 'record_id'], unique=False)
        batch_op.create_index('ix_record_search_media_type', ['media_type'], unique=False)
        batch_op.create_index('ix_record_search_audience', ['audience'], unique=False)
        batch_op.create_index('ix_record_search_cefr_level', ['cefr_level'], unique=False)

    if op.get_bind().dialect.name == 'sqlite':
        # Keys are already folded and transliterated (normalise.py): the tokenizer only
        # splits on spaces. Prefix indexes make typing the first letters fast. Every key is
        # one token, so positions are not needed (detail = column: a third smaller).
        op.execute(
            "CREATE VIRTUAL TABLE record_fts USING fts5(title, people, other, facets, "
            "tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3 4', detail = column)"
        )
    else:
        op.execute(
            "CREATE TABLE record_tsv (record_id INTEGER NOT NULL PRIMARY KEY "
            "REFERENCES record (id) ON DELETE CASCADE, document tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_record_tsv_document ON record_tsv USING gin (document)")

    if op.get_bind().dialect.name == 'sqlite':
        for statement in _sqlite_triggers():
            op.execute(statement)
    else:
        for statement in _postgresql_triggers():
            op.execute(statement)

    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM record LIMIT 1")).first() is not None:
        from mediatheque.catalogue.search_index import rebuild_search_index

        rebuild_search_index(Session(bind=bind))


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE record_fts")
    else:
        for name in _TRIGGERS:
            table = name.split('_')[2]
            op.execute(f"DROP TRIGGER {name} ON {table}")
        op.execute("DROP FUNCTION record_search_loan_changed()")
        op.execute("DROP FUNCTION record_search_copy_changed()")
        op.execute("DROP FUNCTION record_search_refresh(integer)")
        op.execute("DROP TABLE record_tsv")
    with op.batch_alter_table('record_search', schema=None) as batch_op:
        batch_op.drop_index('ix_record_search_cefr_level')
        batch_op.drop_index('ix_record_search_audience')
        batch_op.drop_index('ix_record_search_media_type')
        batch_op.drop_index('ix_record_search_created_at')
        batch_op.drop_index('ix_record_search_sort_year')
        batch_op.drop_index('ix_record_search_sort_author')
        batch_op.drop_index('ix_record_search_sort_title')

    op.drop_table('record_search')


# `record_search.available` (and on SQLite the facet token v31 = "available now" in
# record_fts) follow every change of a copy or a loan, whoever makes it.
_TRIGGERS = (
    'record_search_loan_insert', 'record_search_loan_update', 'record_search_loan_delete',
    'record_search_copy_insert', 'record_search_copy_update', 'record_search_copy_delete',
)
_COUNT = (
    "(SELECT count(*) FROM copy c WHERE c.record_id = {r} AND c.status = 'available' "
    "AND NOT EXISTS (SELECT 1 FROM loan l WHERE l.copy_id = c.id AND l.returned_at IS NULL))"
)
_RECORD_OF_COPY = "(SELECT record_id FROM copy WHERE id = {row}.copy_id)"


def _sqlite_refresh(r: str) -> str:
    now = f"(COALESCE((SELECT available FROM record_search WHERE record_id = {r}), 0) > 0)"
    return (
        f"UPDATE record_search SET available = {_COUNT.format(r=r)} WHERE record_id = {r}; "
        "UPDATE record_fts SET facets = trim(replace(' ' || facets || ' ', ' v31 ', ' ')) "
        f"|| CASE WHEN {now} THEN ' v31' ELSE '' END "
        f"WHERE rowid = {r} AND (instr(' ' || facets || ' ', ' v31 ') > 0) != {now};"
    )


def _sqlite_triggers() -> list[str]:
    new_loan, old_loan = _RECORD_OF_COPY.format(row='NEW'), _RECORD_OF_COPY.format(row='OLD')
    return [
        "CREATE TRIGGER record_search_loan_insert AFTER INSERT ON loan "
        "WHEN NEW.returned_at IS NULL AND NEW.copy_id IS NOT NULL "
        f"BEGIN {_sqlite_refresh(new_loan)} END",
        "CREATE TRIGGER record_search_loan_update AFTER UPDATE OF returned_at, copy_id ON loan "
        "WHEN OLD.returned_at IS NOT NEW.returned_at OR OLD.copy_id IS NOT NEW.copy_id "
        f"BEGIN {_sqlite_refresh(old_loan)} {_sqlite_refresh(new_loan)} END",
        "CREATE TRIGGER record_search_loan_delete AFTER DELETE ON loan "
        f"WHEN OLD.returned_at IS NULL BEGIN {_sqlite_refresh(old_loan)} END",
        "CREATE TRIGGER record_search_copy_insert AFTER INSERT ON copy "
        f"BEGIN {_sqlite_refresh('NEW.record_id')} END",
        "CREATE TRIGGER record_search_copy_update AFTER UPDATE OF status, record_id ON copy "
        "WHEN OLD.status IS NOT NEW.status OR OLD.record_id IS NOT NEW.record_id "
        f"BEGIN {_sqlite_refresh('OLD.record_id')} {_sqlite_refresh('NEW.record_id')} END",
        "CREATE TRIGGER record_search_copy_delete AFTER DELETE ON copy "
        f"BEGIN {_sqlite_refresh('OLD.record_id')} END",
    ]


def _postgresql_triggers() -> list[str]:
    return [
        "CREATE FUNCTION record_search_refresh(rid integer) RETURNS void LANGUAGE sql AS $$ "
        f"UPDATE record_search SET available = {_COUNT.format(r='rid')} WHERE record_id = rid "
        "$$",
        "CREATE FUNCTION record_search_loan_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF TG_OP <> 'INSERT' AND OLD.copy_id IS NOT NULL THEN "
        f"PERFORM record_search_refresh({_RECORD_OF_COPY.format(row='OLD')}); END IF; "
        "IF TG_OP <> 'DELETE' AND NEW.copy_id IS NOT NULL THEN "
        f"PERFORM record_search_refresh({_RECORD_OF_COPY.format(row='NEW')}); END IF; "
        "RETURN NULL; END $$",
        "CREATE FUNCTION record_search_copy_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        "IF TG_OP <> 'INSERT' THEN PERFORM record_search_refresh(OLD.record_id); END IF; "
        "IF TG_OP <> 'DELETE' THEN PERFORM record_search_refresh(NEW.record_id); END IF; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER record_search_loan_insert AFTER INSERT ON loan FOR EACH ROW "
        "WHEN (NEW.returned_at IS NULL) EXECUTE FUNCTION record_search_loan_changed()",
        "CREATE TRIGGER record_search_loan_update AFTER UPDATE OF returned_at, copy_id ON loan "
        "FOR EACH ROW WHEN (OLD.returned_at IS DISTINCT FROM NEW.returned_at "
        "OR OLD.copy_id IS DISTINCT FROM NEW.copy_id) "
        "EXECUTE FUNCTION record_search_loan_changed()",
        "CREATE TRIGGER record_search_loan_delete AFTER DELETE ON loan FOR EACH ROW "
        "WHEN (OLD.returned_at IS NULL) EXECUTE FUNCTION record_search_loan_changed()",
        "CREATE TRIGGER record_search_copy_insert AFTER INSERT ON copy FOR EACH ROW "
        "EXECUTE FUNCTION record_search_copy_changed()",
        "CREATE TRIGGER record_search_copy_update AFTER UPDATE OF status, record_id ON copy "
        "FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status "
        "OR OLD.record_id IS DISTINCT FROM NEW.record_id) "
        "EXECUTE FUNCTION record_search_copy_changed()",
        "CREATE TRIGGER record_search_copy_delete AFTER DELETE ON copy FOR EACH ROW "
        "EXECUTE FUNCTION record_search_copy_changed()",
    ]
