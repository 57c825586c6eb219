"""Each document source's cursor, and when it was last queued and polled (``source_cursor``).

The cursor is written after the intake committed the document it came with, never
before, so an interrupted poll resumes at the first document not yet received; the one
it may deliver again is answered by the intake's ledger as a repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite

from adapters.sql.conflicts import Session
from adapters.sql.work_tables import SourceCursorRow
from core.models import utcnow

cursors = SourceCursorRow.__table__
KEY = ["municipality_id", "source"]
Clock = Callable[[], datetime]


class SourceState(BaseModel):
    source: str
    cursor: str | None = None
    scheduled_at: datetime | None = None
    polled_at: datetime | None = None


class SourceCursors:
    """One municipality's source cursors; each call is its own transaction."""

    def __init__(
        self, sessions: Callable[[], Session], municipality_id: UUID, *, clock: Clock = utcnow
    ) -> None:
        self._sessions = sessions
        self._municipality_id = municipality_id
        self._clock = clock

    def state(self, source: str) -> SourceState:
        with self._sessions() as session:
            row = session.execute(select(cursors).where(self._key(source))).first()
        if row is None:
            return SourceState(source=source)
        return SourceState(
            source=source,
            cursor=row.cursor,
            scheduled_at=row.scheduled_at,
            polled_at=row.polled_at,
        )

    def advance(self, source: str, cursor: str) -> None:
        """Remember ``cursor``: the source yielded it with a document the intake committed."""
        self._write(source, cursor=cursor)

    def polled(self, source: str) -> None:
        """A poll went through to the source's end."""
        self._write(source, polled_at=self._clock())

    def claim_due(self, session: Session, source: str, every: timedelta) -> bool:
        """In ``session``'s transaction: mark the source scheduled now if its last schedule
        is ``every`` ago or more (or it never was), and say whether it did. One statement,
        so of several workers ticking at once only one wins a source's turn."""
        now = self._clock()
        statement = self._upsert(session, source, scheduled_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=KEY,
            set_={"scheduled_at": now},
            where=or_(cursors.c.scheduled_at.is_(None), cursors.c.scheduled_at <= now - every),
        )
        return session.execute(statement.returning(cursors.c.source)).first() is not None

    def _write(self, source: str, **values: Any) -> None:
        with self._sessions() as session:
            statement = self._upsert(session, source, **values)
            session.execute(statement.on_conflict_do_update(index_elements=KEY, set_=values))
            session.commit()

    def _upsert(self, session: Session, source: str, **values: Any) -> Any:
        """An INSERT of the source's row that can turn into an UPDATE (PostgreSQL and SQLite
        spell it the same, ``ON CONFLICT … DO UPDATE``)."""
        dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
        return dialect.insert(cursors).values(
            municipality_id=self._municipality_id, source=source, **values
        )

    def _key(self, source: str) -> Any:
        return (cursors.c.municipality_id == self._municipality_id) & (cursors.c.source == source)
