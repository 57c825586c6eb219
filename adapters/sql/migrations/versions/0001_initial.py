"""The initial schema: municipalities and every tenant table.

Generated with autogenerate against an empty SQLite database and reviewed; it runs
unchanged on PostgreSQL (batch operations there are plain ALTERs). Foreign keys are
checked at commit (DEFERRABLE INITIALLY DEFERRED) on both.

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('municipality',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('cvr', sa.String(length=8), nullable=False),
    sa.Column('code', sa.String(length=3), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_municipality')),
    sa.UniqueConstraint('cvr', name=op.f('uq_municipality_cvr'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('object_type', sa.String(length=50), nullable=False),
    sa.Column('object_id', sa.Uuid(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_audit_entry_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_municipality_id_actor'), ['municipality_id', 'actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_municipality_id_at'), ['municipality_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_municipality_id_object_id'), ['municipality_id', 'object_id'], unique=False)

    op.create_table('caseworker',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_caseworker_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_caseworker')),
    sa.UniqueConstraint('municipality_id', 'username', name=op.f('uq_caseworker_municipality_id_username'))
    )
    with op.batch_alter_table('caseworker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caseworker_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('document',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('letter_date', sa.Date(), nullable=True),
    sa.Column('document_number', sa.String(length=100), nullable=True),
    sa.Column('doc_type', sa.String(length=100), nullable=False),
    sa.Column('sensitivity', sa.String(length=50), nullable=True),
    sa.Column('channel', sa.String(length=30), nullable=False),
    sa.Column('sender_system', sa.String(length=100), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_document_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('intake_record',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('sender_system', sa.String(length=100), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('receipt', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_intake_record_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_record')),
    sa.UniqueConstraint('municipality_id', 'sender_system', 'message_id', name=op.f('uq_intake_record_municipality_id_sender_system_message_id'))
    )
    with op.batch_alter_table('intake_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_record_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('party',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('cpr', sa.String(length=10), nullable=True),
    sa.Column('cvr', sa.String(length=8), nullable=True),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('address_lines', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_party_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party')),
    sa.UniqueConstraint('municipality_id', 'cpr', name=op.f('uq_party_municipality_id_cpr')),
    sa.UniqueConstraint('municipality_id', 'cvr', name=op.f('uq_party_municipality_id_cvr'))
    )
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('case',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('series', sa.String(length=30), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('kle_subject', sa.String(length=8), nullable=False),
    sa.Column('handlingsfacet', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('caseworker_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['caseworker_id'], ['caseworker.id'], name=op.f('fk_case_caseworker_id_caseworker'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_case_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case')),
    sa.UniqueConstraint('municipality_id', 'number', name=op.f('uq_case_municipality_id_number'))
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_caseworker_id'), ['caseworker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_municipality_id_series_sequence'), ['municipality_id', 'series', 'sequence'], unique=False)

    op.create_table('document_party',
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('party_id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_party_document_id_document'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_document_party_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_document_party_party_id_party'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('document_id', 'party_id', name=op.f('pk_document_party'))
    )
    with op.batch_alter_table('document_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_party_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_party_party_id'), ['party_id'], unique=False)

    op.create_table('inbox_item',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('caseworker_id', sa.Uuid(), nullable=True),
    sa.Column('candidate_case_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['caseworker_id'], ['caseworker.id'], name=op.f('fk_inbox_item_caseworker_id_caseworker'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_inbox_item_document_id_document'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_inbox_item_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_item'))
    )
    with op.batch_alter_table('inbox_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_item_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_item_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_item_municipality_id_caseworker_id_status_created_at'), ['municipality_id', 'caseworker_id', 'status', 'created_at'], unique=False)

    op.create_table('notice',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('caseworker_id', sa.Uuid(), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['caseworker_id'], ['caseworker.id'], name=op.f('fk_notice_caseworker_id_caseworker'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_notice_document_id_document'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_notice_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice'))
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_caseworker_id'), ['caseworker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('variant',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_variant_document_id_document'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_variant_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_variant'))
    )
    with op.batch_alter_table('variant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_variant_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_variant_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('activity',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_activity_case_id_case'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_activity_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('case_party',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('party_id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_party_case_id_case'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_case_party_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_case_party_party_id_party'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('case_id', 'party_id', name=op.f('pk_case_party'))
    )
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_party_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_party_party_id_role'), ['party_id', 'role'], unique=False)

    op.create_table('part',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('variant_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('mime_type', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_part_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['variant_id'], ['variant.id'], name=op.f('fk_part_variant_id_variant'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_part'))
    )
    with op.batch_alter_table('part', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_part_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_part_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_part_variant_id'), ['variant_id'], unique=False)

    op.create_table('document_link',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('activity_id', sa.Uuid(), nullable=True),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_document_link_activity_id_activity'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_document_link_case_id_case'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_link_document_id_document'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_document_link_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_link')),
    sa.UniqueConstraint('document_id', 'case_id', 'activity_id', name=op.f('uq_document_link_document_id_case_id_activity_id'))
    )
    with op.batch_alter_table('document_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_link_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_link_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_link_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index('uq_document_link_case_attachment', ['document_id', 'case_id'], unique=True, sqlite_where=sa.text('activity_id IS NULL'), postgresql_where=sa.text('activity_id IS NULL'))

    op.create_table('journal_note',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('activity_id', sa.Uuid(), nullable=True),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_journal_note_activity_id_activity'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['author_id'], ['caseworker.id'], name=op.f('fk_journal_note_author_id_caseworker'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_journal_note_case_id_case'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_journal_note_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_note'))
    )
    with op.batch_alter_table('journal_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_note_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_note_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('placement',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('municipality_id', sa.Uuid(), nullable=False),
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('target', sa.String(length=30), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('activity_id', sa.Uuid(), nullable=True),
    sa.Column('caseworker_id', sa.Uuid(), nullable=True),
    sa.Column('rule', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('placed_by', sa.Uuid(), nullable=True),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_placement_activity_id_activity'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_placement_case_id_case'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['caseworker_id'], ['caseworker.id'], name=op.f('fk_placement_caseworker_id_caseworker'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_placement_document_id_document'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_placement_municipality_id_municipality'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['placed_by'], ['caseworker.id'], name=op.f('fk_placement_placed_by_caseworker'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement'))
    )
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_municipality_id'), ['municipality_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_placement_document_id'))
        batch_op.drop_index(batch_op.f('ix_placement_case_id'))

    op.drop_table('placement')
    with op.batch_alter_table('journal_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_note_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_journal_note_case_id'))

    op.drop_table('journal_note')
    with op.batch_alter_table('document_link', schema=None) as batch_op:
        batch_op.drop_index('uq_document_link_case_attachment', sqlite_where=sa.text('activity_id IS NULL'), postgresql_where=sa.text('activity_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_document_link_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_document_link_document_id'))
        batch_op.drop_index(batch_op.f('ix_document_link_case_id'))

    op.drop_table('document_link')
    with op.batch_alter_table('part', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_part_variant_id'))
        batch_op.drop_index(batch_op.f('ix_part_sha256'))
        batch_op.drop_index(batch_op.f('ix_part_municipality_id'))

    op.drop_table('part')
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_party_party_id_role'))
        batch_op.drop_index(batch_op.f('ix_case_party_municipality_id'))

    op.drop_table('case_party')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_activity_case_id'))

    op.drop_table('activity')
    with op.batch_alter_table('variant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_variant_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_variant_document_id'))

    op.drop_table('variant')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_notice_caseworker_id'))

    op.drop_table('notice')
    with op.batch_alter_table('inbox_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbox_item_municipality_id_caseworker_id_status_created_at'))
        batch_op.drop_index(batch_op.f('ix_inbox_item_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_inbox_item_document_id'))

    op.drop_table('inbox_item')
    with op.batch_alter_table('document_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_party_party_id'))
        batch_op.drop_index(batch_op.f('ix_document_party_municipality_id'))

    op.drop_table('document_party')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_municipality_id_series_sequence'))
        batch_op.drop_index(batch_op.f('ix_case_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_case_caseworker_id'))

    op.drop_table('case')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_municipality_id'))

    op.drop_table('party')
    with op.batch_alter_table('intake_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_record_municipality_id'))

    op.drop_table('intake_record')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_municipality_id'))

    op.drop_table('document')
    with op.batch_alter_table('caseworker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caseworker_municipality_id'))

    op.drop_table('caseworker')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_municipality_id_object_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_municipality_id_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_municipality_id_actor'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_municipality_id'))

    op.drop_table('audit_entry')
    op.drop_table('municipality')
