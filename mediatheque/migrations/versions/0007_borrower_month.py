"""borrower months

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 02:00:00

`borrower_month`: that a member borrowed in a month, so the director's "active
borrowers" survive the anonymisation of returned loans. Filled from the loans that
still name their member (months in the library's time zone).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'borrower_month',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('member_category_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('length(month) = 7', name=op.f('ck_borrower_month_month')),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'],
                                name=op.f('fk_borrower_month_member_id_member'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['member_category_id'], ['member_category.id'],
                                name=op.f('fk_borrower_month_member_category_id_member_category'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_borrower_month')),
        sa.UniqueConstraint('month', 'member_id', name='uq_borrower_month_member'),
    )
    op.create_index('ix_borrower_month_member_id', 'borrower_month', ['member_id'])
    _fill(op.get_bind())


def _fill(connection: sa.Connection) -> None:
    stored = connection.execute(
        sa.text("SELECT value FROM setting WHERE key = 'library.timezone'")
    ).scalar()
    zone = ZoneInfo(json.loads(stored) if stored else "Asia/Almaty")
    seen: dict[tuple[str, int], int | None] = {}
    rows = connection.execute(sa.text(
        "SELECT member_id, member_category_id, loaned_at FROM loan "
        "WHERE member_id IS NOT NULL"
    ))
    for member_id, category_id, stored_at in rows:
        # SQLite hands the stored text back (UTC, without an offset).
        at = datetime.fromisoformat(stored_at) if isinstance(stored_at, str) else stored_at
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        seen.setdefault((at.astimezone(zone).strftime("%Y-%m"), member_id), category_id)
    if seen:
        table = sa.table('borrower_month', sa.column('month'), sa.column('member_id'),
                         sa.column('member_category_id'))
        connection.execute(table.insert(), [
            {"month": month, "member_id": member_id, "member_category_id": category_id}
            for (month, member_id), category_id in seen.items()
        ])


def downgrade() -> None:
    op.drop_index('ix_borrower_month_member_id', table_name='borrower_month')
    op.drop_table('borrower_month')
