"""The tables of the hub's own background work: document-source cursors, archive extracts.

They share :data:`adapters.sql.tables.metadata` (``tables`` imports this module at its
end), so alembic and the unique-key translation see them. Revision ``0003`` creates them.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import JSON, Index, Text
from sqlmodel import Field

from adapters.sql.tables import Table, references, tenant_key
from adapters.sql.types import UtcDateTime


class SourceCursorRow(Table, table=True):
    """Where the hub is in one bound document source (see :mod:`adapters.sources`).

    ``cursor`` is what the source yielded with the last document the intake committed;
    ``scheduled_at`` is when the worker last queued a poll, ``polled_at`` when a poll last
    went through to the end.
    """

    __tablename__ = "source_cursor"

    municipality_id: UUID = references("municipality.id", primary_key=True)
    source: str = Field(max_length=64, primary_key=True, description="the bound adapter's name")
    cursor: str | None = Field(default=None, sa_type=Text)
    scheduled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    polled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ArchiveExtractRow(Table, table=True):
    """An archival version asked for over the API, and how its job went
    (see :mod:`adapters.extracts`)."""

    __tablename__ = "archive_extract"
    __table_args__ = (Index(None, "municipality_id", "archive_code", "number"),)

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    adapter: str = Field(max_length=64)
    profile: str = Field(max_length=10)
    archive_code: str = Field(max_length=8)
    number: int
    selection: str = Field(sa_type=Text)
    state: str = Field(max_length=10)
    requested_by: str = Field(max_length=200)
    requested_at: datetime = Field(sa_type=UtcDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    path: str | None = Field(default=None, sa_type=Text)
    cases: int | None = None
    documents: int | None = None
    pages: int | None = None
    notes: list[str] = Field(default_factory=list, sa_type=JSON)
    error: str | None = Field(default=None, sa_type=Text)
    findings: list[str] = Field(default_factory=list, sa_type=JSON)
