"""loan index for member history counts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 01:20:00

`ix_loan_member_returned` (member_id, returned_at): the desk's member panel counts a
member's past loans from the index alone, without reading hundreds of loan rows.
"""

from __future__ import annotations

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_loan_member_returned', 'loan', ['member_id', 'returned_at'])


def downgrade() -> None:
    op.drop_index('ix_loan_member_returned', table_name='loan')
