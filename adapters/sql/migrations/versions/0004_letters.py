"""Outgoing letters and their status history; a party's e-mail address.

Generated with autogenerate and reviewed. A letter's message uuid and a receipt's id
are unique per municipality (a receipt is applied once).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "letter",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("main_sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("notification", sa.String(length=150), nullable=True),
        sa.Column("requested", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("message_uuid", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error_code", sa.String(length=100), nullable=True),
        sa.Column("error_text", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case.id"],
            name=op.f("fk_letter_case_id_case"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_letter_document_id_document"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_letter_municipality_id_municipality"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["party.id"],
            name=op.f("fk_letter_recipient_id_party"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter")),
        sa.UniqueConstraint(
            "municipality_id", "message_uuid", name=op.f("uq_letter_municipality_id_message_uuid")
        ),
    )
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_letter_case_id_created_at"), ["case_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_letter_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "letter_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("letter_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("receipt_id", sa.String(length=200), nullable=True),
        sa.Column("status_code", sa.String(length=100), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error_code", sa.String(length=100), nullable=True),
        sa.Column("error_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["letter_id"],
            ["letter.id"],
            name=op.f("fk_letter_event_letter_id_letter"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_letter_event_municipality_id_municipality"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_event")),
        sa.UniqueConstraint(
            "municipality_id", "receipt_id", name=op.f("uq_letter_event_municipality_id_receipt_id")
        ),
    )
    with op.batch_alter_table("letter_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_letter_event_letter_id_seq"), ["letter_id", "seq"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_letter_event_municipality_id"), ["municipality_id"], unique=False
        )

    with op.batch_alter_table("party", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("party", schema=None) as batch_op:
        batch_op.drop_column("email")

    with op.batch_alter_table("letter_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_event_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_letter_event_letter_id_seq"))

    op.drop_table("letter_event")
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_letter_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_letter_case_id_created_at"))

    op.drop_table("letter")
