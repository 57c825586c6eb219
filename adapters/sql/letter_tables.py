"""The tables of outgoing letters and their status history (:mod:`core.letters`).

They share :data:`adapters.sql.tables.metadata` (``tables`` imports this module at its
end), so alembic and the unique-key translation see them. Revision ``0004_letters``
creates them, and the party's e-mail column.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field

from adapters.sql.tables import Table, references, tenant_key
from adapters.sql.types import UtcDateTime


class LetterRow(Table, table=True):
    __tablename__ = "letter"
    __table_args__ = (
        UniqueConstraint("municipality_id", "message_uuid"),
        Index(None, "case_id", "created_at"),
    )

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    case_id: UUID = references("case.id")
    recipient_id: UUID = references("party.id")
    document_id: UUID = references("document.id")
    main_sha256: str = Field(max_length=64)
    title: str = Field(max_length=256)
    notification: str | None = Field(default=None, max_length=150)
    requested: str = Field(max_length=20)
    channel: str | None = Field(default=None, max_length=64)
    message_uuid: UUID
    status: str = Field(max_length=20)
    error_code: str | None = Field(default=None, max_length=100)
    error_text: str | None = Field(default=None, sa_type=Text)
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class LetterEventRow(Table, table=True):
    """One entry of a letter's history; ``seq`` keeps the order it was recorded in."""

    __tablename__ = "letter_event"
    __table_args__ = (
        UniqueConstraint("municipality_id", "receipt_id"),
        Index(None, "letter_id", "seq"),
    )

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    letter_id: UUID = references("letter.id")
    seq: int
    status: str = Field(max_length=20)
    source: str = Field(max_length=20)
    detail: str = Field(default="", sa_type=Text)
    channel: str | None = Field(default=None, max_length=64)
    at: datetime = Field(sa_type=UtcDateTime)
    receipt_id: str | None = Field(default=None, max_length=200)
    status_code: str | None = Field(default=None, max_length=100)
    occurred_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    error_code: str | None = Field(default=None, max_length=100)
    error_text: str | None = Field(default=None, sa_type=Text)
