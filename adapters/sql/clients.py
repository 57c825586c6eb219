"""The API clients of one municipality in SQL (:class:`ports.clients.ApiClientStore`)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Engine, bindparam
from sqlalchemy.orm import sessionmaker
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from adapters.sql.client_tables import ApiClientRow
from adapters.sql.conflicts import Session
from adapters.sql.mapping import from_row, to_row
from core.errors import Conflict, NotAllowed, NotFound
from ports.clients import ApiClient

_TABLE = ApiClientRow.__table__  # type: ignore[attr-defined]
_BY_KEY_HASH = select(_TABLE).where(
    _TABLE.c.municipality_id == bindparam("municipality_id"),
    _TABLE.c.key_hash == bindparam("key_hash"),
)


class SqlApiClientStore:
    """Each call is its own short transaction: keys are looked up on every request."""

    def __init__(self, engine: Engine, municipality_id: UUID) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, class_=Session, expire_on_commit=False)
        self.municipality_id = municipality_id

    def add(self, client: ApiClient) -> None:
        if client.municipality_id != self.municipality_id:
            raise NotAllowed("this client belongs to another municipality", field="municipality_id")
        with self._sessions() as session:
            session.add(to_row(ApiClientRow, client, scopes=sorted(client.scopes)))
            try:
                session.commit()
            except Conflict:
                raise Conflict(
                    f"an active client is already named {client.name!r}", field="name"
                ) from None

    def get_active(self, name: str) -> ApiClient | None:
        with self._sessions() as session:
            row = session.exec(
                self._select().where(
                    ApiClientRow.name == name, col(ApiClientRow.revoked_at).is_(None)
                )
            ).first()
            return from_row(ApiClient, row) if row is not None else None

    def find_by_key_hash(self, key_hash: str) -> ApiClient | None:
        """Asked on every request, so it is one prepared Core query, without the ORM."""
        with self._engine.connect() as connection:
            row = (
                connection.execute(
                    _BY_KEY_HASH, {"municipality_id": self.municipality_id, "key_hash": key_hash}
                )
                .mappings()
                .first()
            )
        return ApiClient.model_validate(dict(row)) if row is not None else None

    def list(self) -> list[ApiClient]:
        with self._sessions() as session:
            rows = session.exec(
                self._select().order_by(col(ApiClientRow.name), col(ApiClientRow.created_at).desc())
            ).all()
            return [from_row(ApiClient, row) for row in rows]

    def revoke(self, name: str, at: datetime) -> ApiClient:
        with self._sessions() as session:
            row = session.exec(
                self._select().where(
                    ApiClientRow.name == name, col(ApiClientRow.revoked_at).is_(None)
                )
            ).first()
            if row is None:
                raise NotFound(f"no active client named {name!r}", field="name")
            row.revoked_at = at
            session.add(row)
            session.commit()
            return from_row(ApiClient, row)

    def _select(self) -> SelectOfScalar[ApiClientRow]:
        return select(ApiClientRow).where(ApiClientRow.municipality_id == self.municipality_id)
