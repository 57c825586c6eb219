"""The unit of work: one database transaction, the blobs it keeps, the events it records."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import TracebackType
from typing import Self
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import col, select

from adapters.jobs.outbox import OutboxQueue
from adapters.sql.buffer import WriteBuffer
from adapters.sql.conflicts import Session
from adapters.sql.history import SqlCaseHistory, SqlExportLedger
from adapters.sql.letters import SqlLetterRepository
from adapters.sql.repositories import (
    SqlActivityRepository,
    SqlAuditLog,
    SqlCaseRepository,
    SqlCaseworkerRepository,
    SqlDocumentRepository,
    SqlInboxRepository,
    SqlIntakeLedger,
    SqlJournalNoteRepository,
    SqlMunicipalityRepository,
    SqlNoticeRepository,
    SqlPartyRepository,
    SqlPlacementRepository,
)
from adapters.sql.tables import PartRow
from core.errors import Conflict
from core.events import DomainEvent
from core.intake import StagedPart
from ports.blobs import BlobStore
from ports.integrations import JobQueue
from ports.persistence import BeforeCommit, EventPublisher

JobQueueFactory = Callable[[Session, UUID], JobQueue]
"""Binds a job queue to a unit of work's session (and so to its transaction)."""


WriteLock = threading.RLock
"""One process's writers to one SQLite database take turns through this lock, from their
first write to their commit or rollback. SQLite has one writer at a time, and a writer
that waits for SQLite's own lock polls with growing sleeps: under a steady stream of
writers some waited out the whole busy timeout. Here they queue and wake at once.
Readers never take it. PostgreSQL needs none."""


class SqlUnitOfWork:
    """:class:`ports.persistence.UnitOfWork` over a SQLModel session.

    ``commit`` flushes the rows (a taken unique key raises
    :class:`core.errors.Conflict` here, and the kept blobs stay staged for the
    caller to retry with or discard), promotes the kept blobs, commits the
    transaction and only then publishes the events. If anything fails, the
    transaction is rolled back, the blobs this commit newly promoted are removed
    (unless committed rows elsewhere reference them by now), the rest discarded.

    ``before_commit`` runs first, inside the transaction (case versions, export jobs);
    ``job_queue`` binds :attr:`jobs` to the session (default: the embedded outbox).
    """

    def __init__(
        self,
        session_factory: Callable[[], Session],
        municipality_id: UUID,
        blobs: BlobStore,
        publisher: EventPublisher | None = None,
        *,
        before_commit: BeforeCommit | None = None,
        job_queue: JobQueueFactory = OutboxQueue,
        write_lock: WriteLock | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._write_lock = write_lock
        self._writing = False
        self._before_commit = before_commit
        self._job_queue = job_queue
        self.municipality_id = municipality_id
        self._blobs = blobs
        self._publisher = publisher
        self._kept: dict[str, StagedPart] = {}
        self._events: list[DomainEvent] = []

    def __enter__(self) -> Self:
        self._session = session = self._session_factory()
        self._buffer = buffer = WriteBuffer(session, before_write=self._start_writing)
        event.listen(session, "do_orm_execute", buffer.before_statement)
        if self._write_lock is not None:
            event.listen(session, "before_flush", self._start_writing)
            event.listen(session, "do_orm_execute", self._on_statement)
        tenant = (session, self.municipality_id, buffer)
        self.municipalities = SqlMunicipalityRepository(session)
        self.cases = SqlCaseRepository(*tenant)
        self.activities = SqlActivityRepository(*tenant)
        self.parties = SqlPartyRepository(*tenant)
        self.caseworkers = SqlCaseworkerRepository(*tenant)
        self.documents = SqlDocumentRepository(*tenant)
        self.placements = SqlPlacementRepository(*tenant)
        self.inbox = SqlInboxRepository(*tenant)
        self.journal = SqlJournalNoteRepository(*tenant)
        self.notices = SqlNoticeRepository(*tenant)
        self.intake = SqlIntakeLedger(*tenant)
        self.audit = SqlAuditLog(*tenant)
        self.letters = SqlLetterRepository(*tenant)
        self.history = SqlCaseHistory(*tenant, children=self)
        self.exports = SqlExportLedger(session, self.municipality_id)
        self.jobs = self._job_queue(session, self.municipality_id)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self._session.close()

    def keep_blob(self, part: StagedPart) -> None:
        self._kept[part.staging_token] = part

    def record(self, event: DomainEvent) -> None:
        self._events.append(event)

    def commit(self) -> None:
        promoted: list[str] = []
        try:
            if self._before_commit is not None:
                self._before_commit(self, list(self._events))
            self._buffer.write()
            self._session.flush()
        except Conflict:
            # The port's promise: kept blobs stay staged for the caller to retry with.
            self._kept.clear()
            self.rollback()
            raise
        try:
            if self._kept:
                # One sync for all staged bytes before any is moved to its address, one
                # for all the moves before the rows that reference them commit.
                self._blobs.sync()
                for token, part in list(self._kept.items()):
                    if self._blobs.promote(token, part.sha256, durable=False):
                        promoted.append(part.sha256)
                    del self._kept[token]
                self._blobs.sync()
            self._session.commit()
        except BaseException:
            try:
                self.rollback()
            finally:
                self._remove_unreferenced(promoted)
            raise
        self._stop_writing()
        self._forget()
        events, self._events = self._events, []
        if self._publisher is not None and events:
            self._publisher.publish(events)

    def rollback(self) -> None:
        try:
            self._buffer.clear()
            self._forget()
            self._session.rollback()
        finally:
            self._stop_writing()
            self._events.clear()
            for token in self._kept:
                self._blobs.discard(token)
            self._kept.clear()

    def _forget(self) -> None:
        """End what the repositories remember of this transaction (see each ``forget``)."""
        for repository in (self.cases, self.parties, self.caseworkers, self.documents):
            repository.forget()

    def _start_writing(self, *_: object) -> None:
        """Queue for the database's writer lock at the first write (see :data:`WriteLock`)."""
        if self._write_lock is not None and not self._writing:
            self._write_lock.acquire()
            self._writing = True

    def _on_statement(self, state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            self._start_writing()

    def _stop_writing(self) -> None:
        if self._writing and self._write_lock is not None:
            self._writing = False
            self._write_lock.release()

    def _remove_unreferenced(self, sha256s: list[str]) -> None:
        """Undo promotions, sparing a file that a concurrent commit stored rows for.

        If the database cannot say, the files stay: an unreferenced file is harmless,
        a referenced one that is gone is lost data.
        """
        if not sha256s:
            return
        try:
            referenced = self._referenced(sha256s)
        except SQLAlchemyError:
            return
        for sha256 in sha256s:
            if sha256 not in referenced:
                self._blobs.remove(sha256)

    def _referenced(self, sha256s: list[str]) -> set[str]:
        with self._session_factory() as session:
            return set(
                session.exec(select(PartRow.sha256).where(col(PartRow.sha256).in_(sha256s))).all()
            )
