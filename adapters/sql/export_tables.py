"""The tables of the export side: case versions and their feed, external ids, jobs.

They share :data:`adapters.sql.tables.metadata` (``tables`` imports this module at its
end), so alembic and the unique-key translation see them. Revision ``0002`` creates
them, and on PostgreSQL procrastinate's own schema; ``0006`` stores versions as head and
delta.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field

from adapters.sql.tables import Table, references, tenant_key
from adapters.sql.types import UtcDateTime

FOREIGN_PREFIX = "procrastinate"
"""Objects procrastinate creates and upgrades itself; alembic compares everything else."""


def managed_by_alembic(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name`` filter: leave procrastinate's tables and indexes alone."""
    return not (name or "").startswith(FOREIGN_PREFIX)


JobId = BigInteger().with_variant(Integer(), "sqlite")
"""A growing job id: BIGINT on PostgreSQL, SQLite's rowid alias (so it autoincrements)."""


class CaseVersionRow(Table, table=True):
    """A version of a case registered at ``registered_at``: its head and the ids of the
    children its change added (see :mod:`ports.history`); ``cursor`` is its position in
    the municipality's change feed."""

    __tablename__ = "case_version"
    __table_args__ = (
        UniqueConstraint("municipality_id", "case_id", "version"),
        Index(None, "municipality_id", "case_id", "registered_at"),
    )

    municipality_id: UUID = references("municipality.id", primary_key=True)
    cursor: int = Field(sa_type=BigInteger, primary_key=True)
    case_id: UUID = references("case.id")
    version: int
    change: str = Field(max_length=20)
    registered_at: datetime = Field(sa_type=UtcDateTime)
    head: str = Field(sa_type=Text, description="the CaseHead as JSON")
    delta: str = Field(sa_type=Text, description="the CaseDelta as JSON")


class FeedCounterRow(Table, table=True):
    """The last cursor handed out per municipality. Its row lock, held from the recording
    of a change to the commit, puts the feed in commit order."""

    __tablename__ = "case_feed_counter"

    municipality_id: UUID = references("municipality.id", primary_key=True)
    last_cursor: int = Field(sa_type=BigInteger)
    last_registered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ExportRefRow(Table, table=True):
    """What an adapter's system calls an exported case or document."""

    __tablename__ = "export_ref"

    municipality_id: UUID = references("municipality.id", primary_key=True)
    adapter: str = Field(max_length=64, primary_key=True)
    object_type: str = Field(max_length=20, primary_key=True)
    object_id: UUID = Field(primary_key=True)
    external_id: str = Field(max_length=255)
    exported_at: datetime = Field(sa_type=UtcDateTime)


class OutboxJobRow(Table, table=True):
    """A job of the embedded queue (SQLite): see :mod:`adapters.jobs.outbox`."""

    __tablename__ = "job_outbox"
    __table_args__ = (
        Index(None, "municipality_id", "state", "run_after"),
        Index(None, "municipality_id", "dedupe_key", "state"),
    )

    id: int | None = Field(default=None, sa_type=JobId, primary_key=True)
    municipality_id: UUID = tenant_key()
    task: str = Field(max_length=64)
    payload: dict[str, Any] = Field(sa_type=JSON)
    dedupe_key: str | None = Field(default=None, max_length=200)
    state: str = Field(max_length=10)
    attempts: int = 0
    run_after: datetime = Field(sa_type=UtcDateTime)
    created_at: datetime = Field(sa_type=UtcDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    worker: str | None = Field(default=None, max_length=100)


class JobErrorRow(Table, table=True):
    """The last error of a procrastinate job (procrastinate keeps none): see
    :mod:`adapters.jobs.procrastinate_queue`."""

    __tablename__ = "job_error"

    job_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    attempts: int
    last_error: str = Field(sa_type=Text)
    failed_at: datetime = Field(sa_type=UtcDateTime)
