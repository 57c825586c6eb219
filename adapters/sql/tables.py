"""The database tables, kept apart from the domain models (``core.models``).

Every tenant table carries ``municipality_id``; the repositories filter on it.
Enumerations are stored as their string values, so adding a member needs no migration.
Constraint names come from the naming convention, so a unique violation can be told
apart by name (see :mod:`adapters.sql.conflicts`) and migrations stay stable.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, MetaData, Text, UniqueConstraint, text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from adapters.sql.types import UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Table(SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))):
    """Base of the tables: their own metadata, not SQLModel's global one."""


metadata = Table.metadata


def references(target: str, **field: Any) -> Any:
    """A foreign key column, checked at commit: the unit of work inserts rows in no
    particular order, so a row may reach the database before the one it refers to."""
    return Field(
        sa_column_args=[ForeignKey(target, deferrable=True, initially="DEFERRED")], **field
    )


def tenant_key() -> Any:
    """The owning municipality of a tenant row.

    It has no index of its own. Every query filters on it, but always beside a column
    that does select (a case, a document, a caseworker, a CPR number), and most
    databases hold one municipality, where an index on it selects every row. SQLite,
    which keeps no statistics here, would still pick it over the selective index now and
    then and read the whole table (a case's parties were read so on every intake). Where
    rows are listed by municipality, an index leads with it (a case's number, the inbox,
    the audit log, the outbox)."""
    return references("municipality.id")


class MunicipalityRow(Table, table=True):
    __tablename__ = "municipality"
    __table_args__ = (UniqueConstraint("cvr"),)

    id: UUID = Field(primary_key=True)
    name: str = Field(max_length=200)
    cvr: str = Field(max_length=8)
    code: str | None = Field(default=None, max_length=3)


class CaseworkerRow(Table, table=True):
    __tablename__ = "caseworker"
    __table_args__ = (UniqueConstraint("municipality_id", "username"),)

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    username: str = Field(max_length=64)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    active: bool


class PartyRow(Table, table=True):
    __tablename__ = "party"
    __table_args__ = (
        UniqueConstraint("municipality_id", "cpr"),
        UniqueConstraint("municipality_id", "cvr"),
    )

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    kind: str = Field(max_length=20)
    cpr: str | None = Field(default=None, max_length=10)
    cvr: str | None = Field(default=None, max_length=8)
    name: str = Field(max_length=500)
    address_lines: list[str] = Field(sa_type=JSON)
    email: str | None = Field(default=None, max_length=320)


class CaseRow(Table, table=True):
    """A case. ``series`` and ``sequence`` are the case number split, for ``next_sequence``."""

    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("municipality_id", "number"),
        Index(None, "municipality_id", "series", "sequence"),
        Index(None, "municipality_id", "created_at"),
    )

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    number: str = Field(max_length=30)
    series: str = Field(max_length=30, description="the number without its sequence")
    sequence: int
    title: str = Field(max_length=500)
    kle_subject: str = Field(max_length=8)
    handlingsfacet: str = Field(max_length=3)
    status: str = Field(max_length=20)
    caseworker_id: UUID | None = references("caseworker.id", default=None, index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class CasePartyRow(Table, table=True):
    """A party's role on a case; ``position`` keeps the order of ``Case.parties``."""

    __tablename__ = "case_party"
    __table_args__ = (Index(None, "party_id", "role"),)

    case_id: UUID = references("case.id", primary_key=True)
    party_id: UUID = references("party.id", primary_key=True)
    municipality_id: UUID = tenant_key()
    role: str = Field(max_length=20)
    position: int


class ActivityRow(Table, table=True):
    __tablename__ = "activity"

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    case_id: UUID = references("case.id", index=True)
    title: str = Field(max_length=500)
    kind: str = Field(max_length=100)
    created_at: datetime = Field(sa_type=UtcDateTime)


class DocumentRow(Table, table=True):
    __tablename__ = "document"

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    title: str = Field(max_length=500)
    letter_date: date | None = None
    document_number: str | None = Field(default=None, max_length=100)
    doc_type: str = Field(max_length=100)
    sensitivity: str | None = Field(default=None, max_length=50)
    channel: str = Field(max_length=30)
    sender_system: str = Field(max_length=100)
    message_id: str = Field(max_length=255)
    received_at: datetime = Field(sa_type=UtcDateTime)


class DocumentPartyRow(Table, table=True):
    """A party a document concerns (``Document.party_ids``), in order."""

    __tablename__ = "document_party"

    document_id: UUID = references("document.id", primary_key=True)
    party_id: UUID = references("party.id", primary_key=True, index=True)
    municipality_id: UUID = tenant_key()
    position: int


class VariantRow(Table, table=True):
    __tablename__ = "variant"

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    document_id: UUID = references("document.id", index=True)
    position: int
    name: str = Field(max_length=64)


class PartRow(Table, table=True):
    __tablename__ = "part"

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    variant_id: UUID = references("variant.id", index=True)
    position: int
    name: str = Field(max_length=255)
    mime_type: str = Field(max_length=255)
    size: int = Field(sa_type=BigInteger)
    sha256: str = Field(max_length=64, index=True)


class DocumentLinkRow(Table, table=True):
    """A document on a case (``activity_id`` None: a case attachment).

    A plain unique constraint treats NULLs as distinct, so a second, partial unique
    index makes the same document attach to the same case only once.
    """

    __tablename__ = "document_link"
    __table_args__ = (
        UniqueConstraint("document_id", "case_id", "activity_id"),
        Index(
            "uq_document_link_case_attachment",
            "document_id",
            "case_id",
            unique=True,
            sqlite_where=text("activity_id IS NULL"),
            postgresql_where=text("activity_id IS NULL"),
        ),
    )

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    document_id: UUID = references("document.id", index=True)
    case_id: UUID = references("case.id", index=True)
    activity_id: UUID | None = references("activity.id", default=None)
    linked_at: datetime = Field(sa_type=UtcDateTime)


class PlacementRow(Table, table=True):
    __tablename__ = "placement"

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    document_id: UUID = references("document.id", index=True)
    target: str = Field(max_length=30)
    case_id: UUID | None = references("case.id", default=None, index=True)
    activity_id: UUID | None = references("activity.id", default=None)
    caseworker_id: UUID | None = references("caseworker.id", default=None)
    rule: str = Field(max_length=100)
    reason: str = Field(sa_type=Text)
    evidence: dict[str, Any] = Field(sa_type=JSON)
    placed_by: UUID | None = references("caseworker.id", default=None)
    placed_at: datetime = Field(sa_type=UtcDateTime)


class InboxItemRow(Table, table=True):
    __tablename__ = "inbox_item"
    __table_args__ = (Index(None, "municipality_id", "caseworker_id", "status", "created_at"),)

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    document_id: UUID = references("document.id", index=True)
    caseworker_id: UUID | None = references("caseworker.id", default=None)
    candidate_case_ids: list[str] = Field(sa_type=JSON)
    status: str = Field(max_length=20)
    created_at: datetime = Field(sa_type=UtcDateTime)
    placed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class JournalNoteRow(Table, table=True):
    __tablename__ = "journal_note"

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    case_id: UUID = references("case.id", index=True)
    activity_id: UUID | None = references("activity.id", default=None)
    author_id: UUID | None = references("caseworker.id", default=None)
    title: str = Field(max_length=500)
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime)


class NoticeRow(Table, table=True):
    __tablename__ = "notice"

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    caseworker_id: UUID = references("caseworker.id", index=True)
    document_id: UUID | None = references("document.id", default=None)
    message: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UtcDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class IntakeRecordRow(Table, table=True):
    """The idempotency ledger of intake: one row per (sender system, message id)."""

    __tablename__ = "intake_record"
    __table_args__ = (UniqueConstraint("municipality_id", "sender_system", "message_id"),)

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    sender_system: str = Field(max_length=100)
    message_id: str = Field(max_length=255)
    fingerprint: str = Field(max_length=64)
    receipt: dict[str, Any] = Field(sa_type=JSON)
    received_at: datetime = Field(sa_type=UtcDateTime)


class AuditEntryRow(Table, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index(None, "municipality_id", "at"),
        # With ``at``: an object's or an actor's entries, newest first, without walking
        # the whole log in time order (which SQLite preferred to sorting).
        Index(None, "municipality_id", "object_id", "at"),
        Index(None, "municipality_id", "actor", "at"),
    )

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    actor: str = Field(max_length=200)
    action: str = Field(max_length=50)
    object_type: str = Field(max_length=50)
    object_id: UUID | None = None
    at: datetime = Field(sa_type=UtcDateTime)


# The tables of the export side (case versions and feed, external ids, jobs), of the
# API clients, of the letters and of the hub's background work (source cursors, archive
# extracts) share this metadata.
from adapters.sql import client_tables, export_tables, letter_tables, work_tables  # noqa: E402, F401
