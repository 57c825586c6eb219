"""The table of API clients (:mod:`ports.clients`).

It shares :data:`adapters.sql.tables.metadata` (``tables`` imports this module at its
end), so alembic and the unique-key translation see it. Revision ``0003_api_clients``
creates it.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import JSON, BigInteger, Index, text
from sqlmodel import Field

from adapters.sql.tables import Table, references, tenant_key
from adapters.sql.types import UtcDateTime


class ApiClientRow(Table, table=True):
    """A client system's or a caseworker's API key, stored as its SHA-256.

    A name is unique among the municipality's active clients; a revoked client stays,
    so its name can be given to a new key.
    """

    __tablename__ = "api_client"
    __table_args__ = (
        Index(
            "uq_api_client_active_name",
            "municipality_id",
            "name",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: UUID = Field(primary_key=True)
    municipality_id: UUID = tenant_key()
    name: str = Field(max_length=100)
    kind: str = Field(max_length=20)
    caseworker_id: UUID | None = references("caseworker.id", default=None)
    scopes: list[str] = Field(sa_type=JSON)
    key_hash: str = Field(max_length=64, unique=True)
    key_hint: str = Field(max_length=16)
    max_document_bytes: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
