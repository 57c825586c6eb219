"""Ordered extracts in the ``archive_extract`` table, each order with its job."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update

from adapters.extracts.models import ExtractState, ExtractStatus
from adapters.sql.conflicts import Session
from adapters.sql.uow import JobQueueFactory
from adapters.sql.work_tables import ArchiveExtractRow

extracts = ArchiveExtractRow.__table__


def _status(row: Any) -> ExtractStatus:
    values = dict(row._mapping)
    values["select"] = values.pop("selection")
    return ExtractStatus.model_validate(values)


class ExtractStore:
    """One municipality's ordered extracts; each call is its own transaction."""

    def __init__(
        self, sessions: Callable[[], Session], municipality_id: UUID, job_queue: JobQueueFactory
    ) -> None:
        self._sessions = sessions
        self._municipality_id = municipality_id
        self._job_queue = job_queue

    def add(self, status: ExtractStatus, task: str, payload: dict, *, dedupe_key: str) -> None:
        """Record the order and queue its job: both or neither."""
        values = status.model_dump(exclude={"select"}) | {"selection": status.select}
        with self._sessions() as session:
            session.execute(
                insert(extracts).values(municipality_id=self._municipality_id, **values)
            )
            self._job_queue(session, self._municipality_id).enqueue(
                task, payload, dedupe_key=dedupe_key
            )
            session.commit()

    def get(self, extract_id: UUID) -> ExtractStatus | None:
        with self._sessions() as session:
            row = session.execute(select(extracts).where(self._mine(), extracts.c.id == extract_id))
            found = row.first()
        return _status(found) if found is not None else None

    def standing(self, archive_code: str, number: int) -> ExtractStatus | None:
        """An order for the same AVID that is queued, running or done (a failed one may be
        ordered again: the archiver resumes where it stopped)."""
        statement = (
            select(extracts)
            .where(
                self._mine(),
                extracts.c.archive_code == archive_code,
                extracts.c.number == number,
                extracts.c.state != ExtractState.FAILED,
            )
            .limit(1)
        )
        with self._sessions() as session:
            found = session.execute(statement).first()
        return _status(found) if found is not None else None

    def update(self, extract_id: UUID, **values: Any) -> None:
        with self._sessions() as session:
            session.execute(
                update(extracts).where(self._mine(), extracts.c.id == extract_id).values(**values)
            )
            session.commit()

    def _mine(self) -> Any:
        return extracts.c.municipality_id == self._municipality_id
