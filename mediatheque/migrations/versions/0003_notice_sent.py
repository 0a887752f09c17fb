"""overdue notices sent

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 01:10:00

`notice_sent`: one row per loan and notice level (letter or e-mail), so that nobody gets
the same overdue notice twice (mediatheque.reports.notices).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notice_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loan_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('level BETWEEN 1 AND 3', name=op.f('ck_notice_sent_level')),
    sa.CheckConstraint("channel IN ('letter', 'email')", name=op.f('ck_notice_sent_channel')),
    sa.ForeignKeyConstraint(['loan_id'], ['loan.id'], name=op.f('fk_notice_sent_loan_id_loan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_notice_sent_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_notice_sent_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_sent'))
    )
    with op.batch_alter_table('notice_sent', schema=None) as batch_op:
        batch_op.create_index('uq_notice_sent_loan_level', ['loan_id', 'level'], unique=True)
        batch_op.create_index('ix_notice_sent_member_id', ['member_id'], unique=False)
        batch_op.create_index('ix_notice_sent_sent_at', ['sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notice_sent', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_sent_sent_at')
        batch_op.drop_index('ix_notice_sent_member_id')
        batch_op.drop_index('uq_notice_sent_loan_level')
    op.drop_table('notice_sent')
