"""reference catalogues (FM21 packages loaded for copy cataloguing)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reference_catalogue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_catalogue')),
    sa.UniqueConstraint('code', name=op.f('uq_reference_catalogue_code'))
    )
    op.create_table('reference_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('catalogue_id', sa.Integer(), nullable=False),
    sa.Column('control_number', sa.String(length=100), nullable=True),
    sa.Column('isbn13', sa.String(length=13), nullable=True),
    sa.Column('ean', sa.String(length=13), nullable=True),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['catalogue_id'], ['reference_catalogue.id'], name=op.f('fk_reference_record_catalogue_id_reference_catalogue'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_record'))
    )
    with op.batch_alter_table('reference_record', schema=None) as batch_op:
        batch_op.create_index('ix_reference_record_isbn13', ['isbn13'], unique=False)
        batch_op.create_index('ix_reference_record_ean', ['ean'], unique=False)
        batch_op.create_index('ix_reference_record_catalogue', ['catalogue_id', 'control_number'], unique=False)


def downgrade() -> None:
    op.drop_table('reference_record')
    op.drop_table('reference_catalogue')
