"""In-memory implementations of the persistence and blob ports, for unit tests.

They follow the ports' docstrings to the letter, so that a test that passes on
them says something about the real adapters (the repository contract suite runs
over both). In particular a unit of work:

- sees the store's committed rows overlaid by its own pending changes, and
  writes the store only on ``commit`` (nothing at all when the commit fails);
- checks unique keys at commit time, against what other units of work committed
  meanwhile (primary keys, the intake key, case number, CPR, CVR, username),
  raising :class:`core.errors.Conflict`;
- is scoped to one municipality: other tenants' rows are invisible, and writing a
  row of another municipality raises :class:`core.errors.NotAllowed`;
- promotes kept blobs with the commit, discards them on rollback, and publishes
  recorded events only after a successful commit.

Repositories hand out copies, so changing a returned model changes nothing until
it is passed to ``update``.
"""

from __future__ import annotations

import hashlib
import io
from types import TracebackType
from typing import BinaryIO, Self
from uuid import UUID, uuid4

from core.errors import Conflict, NotFound, PayloadRejected
from core.events import DomainEvent
from core.intake import StagedPart
from ports.blobs import StagedBlob
from ports.persistence import BeforeCommit, EventPublisher, UnitOfWorkFactory
from tests.fakes.memory_exports import ExportTable, HistoryTable, JobTable
from tests.fakes.memory_letters import LetterTable
from tests.fakes.memory_repositories import (
    ActivityTable,
    AuditTable,
    CaseTable,
    CaseworkerTable,
    DocumentTable,
    InboxTable,
    IntakeTable,
    JournalTable,
    MunicipalityTable,
    NoticeTable,
    PartyTable,
    PlacementTable,
)
from tests.fakes.memory_store import InMemoryStore, Workspace


class InMemoryUnitOfWork:
    """A :class:`ports.persistence.UnitOfWork` over an :class:`InMemoryStore`."""

    def __init__(
        self,
        store: InMemoryStore,
        municipality_id: UUID,
        blobs: InMemoryBlobStore,
        publisher: EventPublisher | None = None,
        before_commit: BeforeCommit | None = None,
    ) -> None:
        self.municipality_id = municipality_id
        self._before_commit = before_commit
        self._ws = Workspace(store, municipality_id)
        self._blobs = blobs
        self._publisher = publisher
        self._kept: list[StagedPart] = []
        self._events: list[DomainEvent] = []
        self.municipalities = MunicipalityTable(self._ws)
        self.cases = CaseTable(self._ws)
        self.activities = ActivityTable(self._ws)
        self.parties = PartyTable(self._ws)
        self.caseworkers = CaseworkerTable(self._ws)
        self.documents = DocumentTable(self._ws)
        self.placements = PlacementTable(self._ws)
        self.inbox = InboxTable(self._ws)
        self.journal = JournalTable(self._ws)
        self.notices = NoticeTable(self._ws)
        self.intake = IntakeTable(self._ws)
        self.audit = AuditTable(self._ws)
        self.history = HistoryTable(self._ws, children=self)
        self.exports = ExportTable(self._ws)
        self.jobs = JobTable(self._ws)
        self.letters = LetterTable(self._ws)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def keep_blob(self, part: StagedPart) -> None:
        self._kept.append(part)

    def record(self, event: DomainEvent) -> None:
        self._events.append(event)

    def commit(self) -> None:
        if self._before_commit is not None:
            try:
                self._before_commit(self, list(self._events))
            except BaseException:
                self.rollback()
                raise
        with self._ws.store.lock:
            try:
                self._ws.check()
            except Conflict:
                # The kept blobs stay staged: the caller may retry with them, or discard them.
                self._kept.clear()
                self.rollback()
                raise
            self._promote_kept()
            self._ws.apply()
        events, self._events = self._events, []
        self._kept.clear()
        self._ws.clear()
        if events and self._publisher is not None:
            self._publisher.publish(events)

    def _promote_kept(self) -> None:
        promoted: list[str] = []
        try:
            for part in self._kept:
                if self._blobs.promote(part.staging_token, part.sha256):
                    promoted.append(part.sha256)
        except BaseException:
            for sha256 in promoted:
                self._blobs.remove(sha256)
            self.rollback()
            raise

    def rollback(self) -> None:
        for part in self._kept:
            self._blobs.discard(part.staging_token)
        self._kept.clear()
        self._events.clear()
        self._ws.clear()


def memory_uow_factory(
    store: InMemoryStore,
    blobs: InMemoryBlobStore,
    publisher: EventPublisher | None = None,
    before_commit: BeforeCommit | None = None,
) -> UnitOfWorkFactory:
    """Open in-memory units of work on ``store`` (one per call, for the given municipality)."""

    def open_uow(municipality_id: UUID) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(store, municipality_id, blobs, publisher, before_commit)

    return open_uow


class _InMemoryBlobWriter:
    def __init__(self, store: InMemoryBlobStore, max_bytes: int | None) -> None:
        self._store = store
        self._max_bytes = max_bytes
        self._buffer = bytearray()
        self._hash = hashlib.sha256()
        self._open = True

    def write(self, chunk: bytes) -> None:
        self._ensure_open()
        if self._max_bytes is not None and len(self._buffer) + len(chunk) > self._max_bytes:
            self.abort()
            raise PayloadRejected(f"the file is larger than {self._max_bytes} bytes", field="file")
        self._buffer.extend(chunk)
        self._hash.update(chunk)

    def finish(self) -> StagedBlob:
        self._ensure_open()
        data = bytes(self._buffer)
        self.abort()
        return StagedBlob(
            token=self._store.stage(data),
            sha256=self._hash.hexdigest(),
            size=len(data),
            head=data[: InMemoryBlobStore.HEAD_BYTES],
        )

    def abort(self) -> None:
        self._buffer.clear()
        self._open = False

    def _ensure_open(self) -> None:
        if not self._open:
            raise ValueError("this blob writer was finished or aborted")


class InMemoryBlobStore:
    """A :class:`ports.blobs.BlobStore` in two dicts: staged bytes by token, stored by sha256."""

    HEAD_BYTES = 4096

    def __init__(self) -> None:
        self._staged: dict[str, bytes] = {}
        self._stored: dict[str, bytes] = {}

    @property
    def staged_tokens(self) -> frozenset[str]:
        """The tokens still staged (neither promoted nor discarded), for tests to inspect."""
        return frozenset(self._staged)

    def writer(self, *, max_bytes: int | None = None) -> _InMemoryBlobWriter:
        return _InMemoryBlobWriter(self, max_bytes)

    def stage(self, data: bytes) -> str:
        token = uuid4().hex
        self._staged[token] = data
        return token

    def promote(self, token: str, sha256: str, *, durable: bool = True) -> bool:
        """Unknown token: NotFound. A sha256 that does not match the bytes: PayloadRejected."""
        data = self._staged.get(token)
        if data is None:
            raise NotFound(f"no staged file {token}", field="staging_token")
        if hashlib.sha256(data).hexdigest() != sha256:
            raise PayloadRejected("the staged file does not have that sha256", field="sha256")
        del self._staged[token]
        if sha256 in self._stored:
            return False
        self._stored[sha256] = data
        return True

    def sync(self) -> None:
        """Memory has nothing to make durable."""

    def discard(self, token: str) -> None:
        self._staged.pop(token, None)

    def remove(self, sha256: str) -> None:
        self._stored.pop(sha256, None)

    def exists(self, sha256: str) -> bool:
        return sha256 in self._stored

    def open(self, sha256: str) -> BinaryIO:
        return io.BytesIO(self._bytes(sha256))

    def size(self, sha256: str) -> int:
        return len(self._bytes(sha256))

    def _bytes(self, sha256: str) -> bytes:
        if sha256 not in self._stored:
            raise NotFound(f"no stored file {sha256}", field="sha256")
        return self._stored[sha256]
