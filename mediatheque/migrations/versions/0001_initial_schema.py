"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 22:41:30.635716
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('closed_weekday',
    sa.Column('weekday', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_closed_weekday_weekday')),
    sa.PrimaryKeyConstraint('weekday', name=op.f('pk_closed_weekday'))
    )
    op.create_table('closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.CheckConstraint("kind IN ('holiday', 'closure', 'emergency')", name=op.f('ck_closure_kind')),
    sa.CheckConstraint('end_on >= start_on', name=op.f('ck_closure_dates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closure'))
    )
    with op.batch_alter_table('closure', schema=None) as batch_op:
        batch_op.create_index('ix_closure_start_on', ['start_on', 'end_on'], unique=False)

    op.create_table('contributor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('surname', sa.String(length=300), nullable=False),
    sa.Column('forenames', sa.String(length=300), nullable=True),
    sa.Column('dates', sa.String(length=50), nullable=True),
    sa.Column('is_corporate', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contributor'))
    )
    with op.batch_alter_table('contributor', schema=None) as batch_op:
        batch_op.create_index('ix_contributor_surname', ['surname'], unique=False)

    op.create_table('counter',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_counter'))
    )
    op.create_table('keyword',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_keyword')),
    sa.UniqueConstraint('word', name=op.f('uq_keyword_word'))
    )
    op.create_table('location',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_location'))
    )
    op.create_table('lookup_cache',
    sa.Column('isbn13', sa.String(length=13), nullable=False),
    sa.Column('provider', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('payload', sa.Text(), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('found', 'not_found')", name=op.f('ck_lookup_cache_status')),
    sa.PrimaryKeyConstraint('isbn13', 'provider', name=op.f('pk_lookup_cache'))
    )
    with op.batch_alter_table('lookup_cache', schema=None) as batch_op:
        batch_op.create_index('ix_lookup_cache_fetched_at', ['fetched_at'], unique=False)

    op.create_table('member_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('membership_months', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('membership_months > 0', name=op.f('ck_member_category_membership_months')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_category')),
    sa.UniqueConstraint('code', name=op.f('uq_member_category_code'))
    )
    op.create_table('record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('subtitle', sa.String(length=1000), nullable=True),
    sa.Column('responsibility', sa.String(length=1000), nullable=True),
    sa.Column('part_number', sa.String(length=100), nullable=True),
    sa.Column('part_name', sa.String(length=500), nullable=True),
    sa.Column('publisher', sa.String(length=500), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('year', sa.SmallInteger(), nullable=True),
    sa.Column('edition', sa.String(length=200), nullable=True),
    sa.Column('isbn13', sa.String(length=13), nullable=True),
    sa.Column('ean', sa.String(length=13), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('original_language', sa.String(length=3), nullable=True),
    sa.Column('media_type', sa.String(length=20), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('cefr_level', sa.String(length=2), nullable=True),
    sa.Column('dewey', sa.String(length=40), nullable=True),
    sa.Column('series', sa.String(length=500), nullable=True),
    sa.Column('series_number', sa.String(length=50), nullable=True),
    sa.Column('extent', sa.String(length=200), nullable=True),
    sa.Column('illustrations', sa.String(length=200), nullable=True),
    sa.Column('dimensions', sa.String(length=100), nullable=True),
    sa.Column('accompanying_material', sa.String(length=200), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('metadata_source', sa.String(length=50), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("audience IN ('children', 'ages_5_10', 'ages_9_14', 'teenagers', 'adults', 'unknown')", name=op.f('ck_record_audience')),
    sa.CheckConstraint("cefr_level IS NULL OR cefr_level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2')", name=op.f('ck_record_cefr_level')),
    sa.CheckConstraint("media_type IN ('book', 'comic', 'fle_method', 'periodical', 'dvd', 'music_cd', 'audiobook', 'kit', 'game', 'digital')", name=op.f('ck_record_media_type')),
    sa.CheckConstraint('year IS NULL OR (year BETWEEN 0 AND 9999)', name=op.f('ck_record_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record'))
    )
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.create_index('ix_record_ean', ['ean'], unique=False)
        batch_op.create_index('ix_record_isbn13', ['isbn13'], unique=False)
        batch_op.create_index('ix_record_updated_at', ['updated_at'], unique=False)

    op.create_table('record_tombstone',
    sa.Column('record_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('record_id', name=op.f('pk_record_tombstone'))
    )
    with op.batch_alter_table('record_tombstone', schema=None) as batch_op:
        batch_op.create_index('ix_record_tombstone_deleted_at', ['deleted_at'], unique=False)

    op.create_table('setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=500), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.SmallInteger(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('admin', 'librarian', 'director')", name=op.f('ck_staff_role')),
    sa.CheckConstraint('failed_logins >= 0', name=op.f('ck_staff_failed_logins')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('login', name=op.f('uq_staff_login'))
    )
    op.create_table('subject',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=500), nullable=False),
    sa.Column('scheme', sa.String(length=20), nullable=False),
    sa.CheckConstraint("scheme IN ('local', 'rameau')", name=op.f('ck_subject_scheme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject')),
    sa.UniqueConstraint('heading', name=op.f('uq_subject_heading'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('happened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.String(length=100), nullable=True),
    sa.Column('details', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_audit_entry_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index('ix_audit_entry_recorded_at', ['recorded_at'], unique=False)

    op.create_table('contribution',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('contributor_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=3), nullable=False),
    sa.CheckConstraint("role IN ('070', '730', '440', '340', '080', '000')", name=op.f('ck_contribution_role')),
    sa.ForeignKeyConstraint(['contributor_id'], ['contributor.id'], name=op.f('fk_contribution_contributor_id_contributor'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], name=op.f('fk_contribution_record_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'position', name=op.f('pk_contribution'))
    )
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.create_index('ix_contribution_contributor_id', ['contributor_id'], unique=False)

    op.create_table('copy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('barcode', sa.String(length=40), nullable=False),
    sa.Column('call_number', sa.String(length=100), nullable=True),
    sa.Column('location_code', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('acquired_on', sa.Date(), nullable=True),
    sa.Column('acquisition_mode', sa.String(length=20), nullable=False),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('public_note', sa.String(length=500), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("acquisition_mode IN ('purchase', 'gift', 'programme', 'exchange', 'unknown')", name=op.f('ck_copy_acquisition_mode')),
    sa.CheckConstraint("status IN ('available', 'reference', 'repair', 'lost', 'missing', 'withdrawn')", name=op.f('ck_copy_status')),
    sa.CheckConstraint('price IS NULL OR price >= 0', name=op.f('ck_copy_price')),
    sa.ForeignKeyConstraint(['location_code'], ['location.code'], name=op.f('fk_copy_location_code_location'), onupdate='CASCADE', ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], name=op.f('fk_copy_record_id_record'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_copy')),
    sa.UniqueConstraint('barcode', name=op.f('uq_copy_barcode'))
    )
    with op.batch_alter_table('copy', schema=None) as batch_op:
        batch_op.create_index('ix_copy_acquired_on', ['acquired_on'], unique=False)
        batch_op.create_index('ix_copy_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_copy_location_code', ['location_code'], unique=False)
        batch_op.create_index('ix_copy_record_id', ['record_id'], unique=False)

    op.create_table('loan_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_category_id', sa.Integer(), nullable=True),
    sa.Column('media_type', sa.String(length=20), nullable=True),
    sa.Column('loan_days', sa.SmallInteger(), nullable=False),
    sa.Column('max_loans', sa.SmallInteger(), nullable=False),
    sa.Column('max_renewals', sa.SmallInteger(), nullable=False),
    sa.Column('max_holds', sa.SmallInteger(), nullable=False),
    sa.Column('renew_when_overdue', sa.Boolean(), nullable=False),
    sa.CheckConstraint("media_type IS NULL OR media_type IN ('book', 'comic', 'fle_method', 'periodical', 'dvd', 'music_cd', 'audiobook', 'kit', 'game', 'digital')", name=op.f('ck_loan_rule_media_type')),
    sa.CheckConstraint('loan_days > 0', name=op.f('ck_loan_rule_loan_days')),
    sa.CheckConstraint('max_holds >= 0', name=op.f('ck_loan_rule_max_holds')),
    sa.CheckConstraint('max_loans >= 0', name=op.f('ck_loan_rule_max_loans')),
    sa.CheckConstraint('max_renewals >= 0', name=op.f('ck_loan_rule_max_renewals')),
    sa.ForeignKeyConstraint(['member_category_id'], ['member_category.id'], name=op.f('fk_loan_rule_member_category_id_member_category'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loan_rule'))
    )
    # One rule per scope, wildcards included (NULLs never compare equal in a plain UNIQUE).
    op.create_index(
        'uq_loan_rule_scope',
        'loan_rule',
        [sa.text('coalesce(member_category_id, 0)'), sa.text("coalesce(media_type, '*')")],
        unique=True,
    )
    op.create_table('member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barcode', sa.String(length=40), nullable=False),
    sa.Column('first_name', sa.String(length=200), nullable=False),
    sa.Column('last_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('preferred_language', sa.String(length=2), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('membership_start', sa.Date(), nullable=False),
    sa.Column('membership_expiry', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('history_opt_in', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("preferred_language IN ('fr', 'ru', 'kk', 'en')", name=op.f('ck_member_language')),
    sa.CheckConstraint("status IN ('active', 'blocked')", name=op.f('ck_member_status')),
    sa.CheckConstraint('membership_expiry >= membership_start', name=op.f('ck_member_membership_dates')),
    sa.ForeignKeyConstraint(['category_id'], ['member_category.id'], name=op.f('fk_member_category_id_member_category'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member')),
    sa.UniqueConstraint('barcode', name=op.f('uq_member_barcode'))
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index('ix_member_category_id', ['category_id'], unique=False)
        batch_op.create_index('ix_member_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_member_email', ['email'], unique=False)
        batch_op.create_index('ix_member_last_name', ['last_name'], unique=False)
        batch_op.create_index('ix_member_phone', ['phone'], unique=False)

    op.create_table('pending_lookup',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('isbn13', sa.String(length=13), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.SmallInteger(), nullable=False),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_pending_lookup_attempts')),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], name=op.f('fk_pending_lookup_record_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', name=op.f('pk_pending_lookup'))
    )
    with op.batch_alter_table('pending_lookup', schema=None) as batch_op:
        batch_op.create_index('ix_pending_lookup_queued_at', ['queued_at'], unique=False)

    op.create_table('record_cover',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('mime_type', sa.String(length=50), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], name=op.f('fk_record_cover_record_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', name=op.f('pk_record_cover'))
    )
    op.create_table('record_keyword',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('keyword_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['keyword_id'], ['keyword.id'], name=op.f('fk_record_keyword_keyword_id_keyword'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], name=op.f('fk_record_keyword_record_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'keyword_id', name=op.f('pk_record_keyword'))
    )
    with op.batch_alter_table('record_keyword', schema=None) as batch_op:
        batch_op.create_index('ix_record_keyword_keyword_id', ['keyword_id'], unique=False)

    op.create_table('record_language',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], name=op.f('fk_record_language_record_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'position', name=op.f('pk_record_language'))
    )
    with op.batch_alter_table('record_language', schema=None) as batch_op:
        batch_op.create_index('ix_record_language_code', ['code', 'record_id'], unique=False)

    op.create_table('record_subject',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], name=op.f('fk_record_subject_record_id_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['subject.id'], name=op.f('fk_record_subject_subject_id_subject'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('record_id', 'subject_id', name=op.f('pk_record_subject'))
    )
    with op.batch_alter_table('record_subject', schema=None) as batch_op:
        batch_op.create_index('ix_record_subject_subject_id', ['subject_id'], unique=False)

    op.create_table('hold',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('copy_id', sa.Integer(), nullable=True),
    sa.Column('ready_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pickup_by', sa.Date(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('waiting', 'ready', 'fulfilled', 'cancelled', 'expired')", name=op.f('ck_hold_status')),
    sa.ForeignKeyConstraint(['copy_id'], ['copy.id'], name=op.f('fk_hold_copy_id_copy'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_hold_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], name=op.f('fk_hold_record_id_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hold'))
    )
    with op.batch_alter_table('hold', schema=None) as batch_op:
        batch_op.create_index('ix_hold_copy_id', ['copy_id'], unique=False)
        batch_op.create_index('ix_hold_member_status', ['member_id', 'status'], unique=False)
        batch_op.create_index('ix_hold_record_status', ['record_id', 'status', 'placed_at'], unique=False)

    op.create_table('loan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('copy_id', sa.Integer(), nullable=True),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('member_category_id', sa.Integer(), nullable=True),
    sa.Column('media_type', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=3), nullable=True),
    sa.Column('loaned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('renewals', sa.SmallInteger(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("media_type IN ('book', 'comic', 'fle_method', 'periodical', 'dvd', 'music_cd', 'audiobook', 'kit', 'game', 'digital')", name=op.f('ck_loan_media_type')),
    sa.CheckConstraint('renewals >= 0', name=op.f('ck_loan_renewals')),
    sa.CheckConstraint('returned_at IS NULL OR returned_at >= loaned_at', name=op.f('ck_loan_returned_after')),
    sa.ForeignKeyConstraint(['copy_id'], ['copy.id'], name=op.f('fk_loan_copy_id_copy'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_category_id'], ['member_category.id'], name=op.f('fk_loan_member_category_id_member_category'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_loan_member_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['record.id'], name=op.f('fk_loan_record_id_record'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_loan_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_loan'))
    )
    with op.batch_alter_table('loan', schema=None) as batch_op:
        batch_op.create_index('ix_loan_copy_id', ['copy_id'], unique=False)
        batch_op.create_index('ix_loan_loaned_at', ['loaned_at'], unique=False)
        batch_op.create_index('ix_loan_member_id', ['member_id'], unique=False)
        batch_op.create_index('ix_loan_open_due', ['due_on'], unique=False, sqlite_where=sa.text('returned_at IS NULL'), postgresql_where=sa.text('returned_at IS NULL'))
        batch_op.create_index('ix_loan_open_member', ['member_id'], unique=False, sqlite_where=sa.text('returned_at IS NULL'), postgresql_where=sa.text('returned_at IS NULL'))
        batch_op.create_index('ix_loan_record_id', ['record_id'], unique=False)
        batch_op.create_index('ix_loan_returned_at', ['returned_at'], unique=False)
        batch_op.create_index('uq_loan_open_copy', ['copy_id'], unique=True, sqlite_where=sa.text('returned_at IS NULL'), postgresql_where=sa.text('returned_at IS NULL'))

    op.create_table('replaced_card',
    sa.Column('barcode', sa.String(length=40), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_replaced_card_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('barcode', name=op.f('pk_replaced_card'))
    )
    with op.batch_alter_table('replaced_card', schema=None) as batch_op:
        batch_op.create_index('ix_replaced_card_member_id', ['member_id'], unique=False)

    op.create_table('renewal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loan_id', sa.Integer(), nullable=False),
    sa.Column('renewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('previous_due_on', sa.Date(), nullable=False),
    sa.Column('new_due_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['loan_id'], ['loan.id'], name=op.f('fk_renewal_loan_id_loan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_renewal'))
    )
    with op.batch_alter_table('renewal', schema=None) as batch_op:
        batch_op.create_index('ix_renewal_loan_id', ['loan_id'], unique=False)
        batch_op.create_index('ix_renewal_renewed_at', ['renewed_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('renewal', schema=None) as batch_op:
        batch_op.drop_index('ix_renewal_renewed_at')
        batch_op.drop_index('ix_renewal_loan_id')

    op.drop_table('renewal')
    with op.batch_alter_table('replaced_card', schema=None) as batch_op:
        batch_op.drop_index('ix_replaced_card_member_id')

    op.drop_table('replaced_card')
    with op.batch_alter_table('loan', schema=None) as batch_op:
        batch_op.drop_index('uq_loan_open_copy', sqlite_where=sa.text('returned_at IS NULL'), postgresql_where=sa.text('returned_at IS NULL'))
        batch_op.drop_index('ix_loan_returned_at')
        batch_op.drop_index('ix_loan_record_id')
        batch_op.drop_index('ix_loan_open_member', sqlite_where=sa.text('returned_at IS NULL'), postgresql_where=sa.text('returned_at IS NULL'))
        batch_op.drop_index('ix_loan_open_due', sqlite_where=sa.text('returned_at IS NULL'), postgresql_where=sa.text('returned_at IS NULL'))
        batch_op.drop_index('ix_loan_member_id')
        batch_op.drop_index('ix_loan_loaned_at')
        batch_op.drop_index('ix_loan_copy_id')

    op.drop_table('loan')
    with op.batch_alter_table('hold', schema=None) as batch_op:
        batch_op.drop_index('ix_hold_record_status')
        batch_op.drop_index('ix_hold_member_status')
        batch_op.drop_index('ix_hold_copy_id')

    op.drop_table('hold')
    with op.batch_alter_table('record_subject', schema=None) as batch_op:
        batch_op.drop_index('ix_record_subject_subject_id')

    op.drop_table('record_subject')
    with op.batch_alter_table('record_language', schema=None) as batch_op:
        batch_op.drop_index('ix_record_language_code')

    op.drop_table('record_language')
    with op.batch_alter_table('record_keyword', schema=None) as batch_op:
        batch_op.drop_index('ix_record_keyword_keyword_id')

    op.drop_table('record_keyword')
    op.drop_table('record_cover')
    with op.batch_alter_table('pending_lookup', schema=None) as batch_op:
        batch_op.drop_index('ix_pending_lookup_queued_at')

    op.drop_table('pending_lookup')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index('ix_member_phone')
        batch_op.drop_index('ix_member_last_name')
        batch_op.drop_index('ix_member_email')
        batch_op.drop_index('ix_member_created_at')
        batch_op.drop_index('ix_member_category_id')

    op.drop_table('member')
    op.drop_index('uq_loan_rule_scope', table_name='loan_rule')
    op.drop_table('loan_rule')
    with op.batch_alter_table('copy', schema=None) as batch_op:
        batch_op.drop_index('ix_copy_record_id')
        batch_op.drop_index('ix_copy_location_code')
        batch_op.drop_index('ix_copy_created_at')
        batch_op.drop_index('ix_copy_acquired_on')

    op.drop_table('copy')
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_index('ix_contribution_contributor_id')

    op.drop_table('contribution')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_recorded_at')
        batch_op.drop_index('ix_audit_entry_entity')

    op.drop_table('audit_entry')
    op.drop_table('subject')
    op.drop_table('staff')
    op.drop_table('setting')
    with op.batch_alter_table('record_tombstone', schema=None) as batch_op:
        batch_op.drop_index('ix_record_tombstone_deleted_at')

    op.drop_table('record_tombstone')
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.drop_index('ix_record_updated_at')
        batch_op.drop_index('ix_record_isbn13')
        batch_op.drop_index('ix_record_ean')

    op.drop_table('record')
    op.drop_table('member_category')
    with op.batch_alter_table('lookup_cache', schema=None) as batch_op:
        batch_op.drop_index('ix_lookup_cache_fetched_at')

    op.drop_table('lookup_cache')
    op.drop_table('location')
    op.drop_table('keyword')
    op.drop_table('counter')
    with op.batch_alter_table('contributor', schema=None) as batch_op:
        batch_op.drop_index('ix_contributor_surname')

    op.drop_table('contributor')
    with op.batch_alter_table('closure', schema=None) as batch_op:
        batch_op.drop_index('ix_closure_start_on')

    op.drop_table('closure')
    op.drop_table('closed_weekday')
