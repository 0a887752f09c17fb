"""search facets in the PostgreSQL tsvector; copy (location_code, record_id) index

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 04:00:00

On both engines the index of copies by location also holds the record, so that the
location filter ("has a copy there") is read from the index alone.

PostgreSQL only (nothing to do on SQLite, whose FTS5 table has had a facets column since
0002): each `record_tsv.document` also holds the record's filter values as lexemes that
no typed word can be — '=' + the facet token of mediatheque.catalogue.search_index
(`facet(kind, value)`: a letter for the kind, the value's UTF-8 in hex) — so that a search
with filters is one GIN lookup, and a count of matches stops early, instead of joining
`record_search`, `record_language` and `copy` row by row.

They are kept by triggers, whoever writes: added when a `record_tsv` row is inserted (from
the `record_search` row inserted just before it in the same transaction, the record's
languages and its copies' locations), and "available now" (=v31) follows
`record_search.available`, itself kept by the triggers of 0002.
"""

from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def _hex(column: str) -> str:
    return f"encode(convert_to({column}, 'UTF8'), 'hex')"


_FACETS = (
    "CREATE FUNCTION record_search_facets(rid integer) RETURNS tsvector "
    "LANGUAGE sql STABLE AS $$ SELECT array_to_tsvector(ARRAY("
    f"SELECT '=m' || {_hex('rs.media_type')} FROM record_search rs WHERE rs.record_id = rid "
    f"UNION SELECT '=a' || {_hex('rs.audience')} FROM record_search rs "
    "WHERE rs.record_id = rid "
    f"UNION SELECT '=c' || {_hex('rs.cefr_level')} FROM record_search rs "
    "WHERE rs.record_id = rid AND rs.cefr_level IS NOT NULL AND rs.cefr_level <> '' "
    "UNION SELECT '=v31' FROM record_search rs WHERE rs.record_id = rid AND rs.available > 0 "
    f"UNION SELECT '=g' || {_hex('code')} FROM record_language WHERE record_id = rid "
    f"UNION SELECT '=p' || {_hex('location_code')} FROM copy WHERE record_id = rid "
    "AND location_code IS NOT NULL AND location_code <> ''"
    ")) $$"
)

_STATEMENTS = (
    _FACETS,
    "CREATE FUNCTION record_tsv_add_facets() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN NEW.document := NEW.document || record_search_facets(NEW.record_id); "
    "RETURN NEW; END $$",
    "CREATE TRIGGER record_tsv_facets BEFORE INSERT ON record_tsv FOR EACH ROW "
    "EXECUTE FUNCTION record_tsv_add_facets()",
    "CREATE FUNCTION record_search_available_facet() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN UPDATE record_tsv SET document = CASE WHEN NEW.available > 0 "
    "THEN ts_delete(document, '=v31') || array_to_tsvector(ARRAY['=v31']) "
    "ELSE ts_delete(document, '=v31') END WHERE record_id = NEW.record_id; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER record_search_available_facet AFTER UPDATE OF available "
    "ON record_search FOR EACH ROW "
    "WHEN ((OLD.available > 0) IS DISTINCT FROM (NEW.available > 0)) "
    "EXECUTE FUNCTION record_search_available_facet()",
)


def upgrade() -> None:
    # Both engines: the location filter's "has a copy there" from the index alone.
    with op.batch_alter_table('copy', schema=None) as batch_op:
        batch_op.drop_index('ix_copy_location_code')
        batch_op.create_index('ix_copy_location_code_record_id',
                              ['location_code', 'record_id'], unique=False)
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in _STATEMENTS:
        op.execute(statement)
    op.execute("UPDATE record_tsv SET document = document || record_search_facets(record_id)")
    op.execute("ANALYZE record_tsv")


def downgrade() -> None:
    with op.batch_alter_table('copy', schema=None) as batch_op:
        batch_op.drop_index('ix_copy_location_code_record_id')
        batch_op.create_index('ix_copy_location_code', ['location_code'], unique=False)
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("DROP TRIGGER record_search_available_facet ON record_search")
    op.execute("DROP TRIGGER record_tsv_facets ON record_tsv")
    op.execute("DROP FUNCTION record_search_available_facet()")
    op.execute("DROP FUNCTION record_tsv_add_facets()")
    op.execute("DROP FUNCTION record_search_facets(integer)")
    op.execute(
        "UPDATE record_tsv SET document = ts_delete(document, "
        "ARRAY(SELECT lexeme FROM unnest(document) WHERE lexeme LIKE '=%'))"
    )
