"""member search

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 01:20:00

`member_search` (the folded names members are listed by) and `member_search_key` (one
row per search key: transliterated name words, card barcode, phone digits, e-mail
letters), maintained by mediatheque.members.search_index. Members already there are
indexed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('member_search',
    sa.Column('member_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sort_name', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_member_search_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_member_search'))
    )
    with op.batch_alter_table('member_search', schema=None) as batch_op:
        batch_op.create_index('ix_member_search_sort_name', ['sort_name', 'member_id'], unique=False)

    op.create_table('member_search_key',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('member_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sort_name', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_member_search_key_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'member_id', name=op.f('pk_member_search_key'))
    )
    with op.batch_alter_table('member_search_key', schema=None) as batch_op:
        batch_op.create_index('ix_member_search_key_member_id', ['member_id'], unique=False)
        batch_op.create_index('ix_member_search_key_sorted', ['key', 'sort_name', 'member_id'], unique=False)

    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM member LIMIT 1")).first() is not None:
        from mediatheque.members.search_index import rebuild_member_index

        rebuild_member_index(Session(bind=bind))


def downgrade() -> None:
    with op.batch_alter_table('member_search_key', schema=None) as batch_op:
        batch_op.drop_index('ix_member_search_key_sorted')
        batch_op.drop_index('ix_member_search_key_member_id')
    op.drop_table('member_search_key')
    with op.batch_alter_table('member_search', schema=None) as batch_op:
        batch_op.drop_index('ix_member_search_sort_name')
    op.drop_table('member_search')
