"""Persistence ports: one repository per aggregate and a unit of work around them.

A unit of work is opened for one municipality; every repository it hands out
sees and writes only that municipality's rows, so a caller can never reach
another tenant's data by id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar
from uuid import UUID

from pydantic import BaseModel, Field

from core.events import DomainEvent
from core.intake import Receipt, StagedPart
from core.letters import Letter, LetterEvent
from core.models import (
    Activity,
    AuditEntry,
    Case,
    Caseworker,
    Channel,
    Document,
    DocumentLink,
    InboxItem,
    InboxStatus,
    JournalNote,
    Municipality,
    Notice,
    Party,
    Placement,
)
from ports.history import CaseHistory, ExportLedger
from ports.integrations import JobQueue

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a listing."""

    items: list[T]
    total: int
    offset: int = 0
    limit: int = 50


class InboxFilter(BaseModel):
    """Which inbox items to list; every given field must match, newest item first.

    ``caseworker_id`` alone: that caseworker's inbox; ``common`` alone: the common inbox;
    both: the two together; neither: every inbox. ``received_from`` is inclusive and
    ``received_to`` exclusive, on the item's ``created_at``. ``has_cpr``: the document
    has a person (a CPR party) among its parties.
    """

    caseworker_id: UUID | None = None
    common: bool = False
    status: InboxStatus | None = InboxStatus.OPEN
    channel: Channel | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    has_cpr: bool | None = None
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=50, ge=1, le=500)


class IntakeRecord(BaseModel):
    """The ledger entry that makes intake idempotent per (sender system, message id)."""

    sender_system: str
    message_id: str
    fingerprint: str
    receipt: Receipt
    received_at: datetime


class MunicipalityRepository(Protocol):
    """Municipalities are the tenants; this repository is not scoped to one."""

    def add(self, municipality: Municipality) -> None: ...
    def get(self, municipality_id: UUID) -> Municipality | None: ...
    def get_by_cvr(self, cvr: str) -> Municipality | None: ...


class CaseRepository(Protocol):
    """Cases of one municipality.

    Like the party and caseworker repositories, it may remember what it read for the
    rest of the transaction; the ``*_many`` reads let a batch read ahead, in a few
    queries, what it will then ask for one item at a time.
    """

    def add(self, case: Case) -> None: ...
    def update(self, case: Case) -> None:
        """Store the case's changed fields (status, title, caseworker, parties, updated_at)."""
        ...

    def get(self, case_id: UUID) -> Case | None: ...
    def get_many(self, case_ids: Sequence[UUID]) -> list[Case]:
        """The cases found, in the order their ids were given."""
        ...

    def get_by_number(self, number: str) -> Case | None: ...
    def get_many_by_number(self, numbers: Sequence[str]) -> list[Case]:
        """The cases found, in the order their numbers were given."""
        ...

    def open_cases_for_parties(self, party_ids: Sequence[UUID]) -> dict[UUID, list[Case]]:
        """:meth:`open_cases_for_party` of each party, in one go."""
        ...

    def open_cases_for_party(self, party_id: UUID) -> list[Case]:
        """Open cases on which the party is the primary party, oldest first."""
        ...

    def cases_for_party(self, party_id: UUID) -> list[Case]: ...
    def list(self, *, offset: int = 0, limit: int = 50) -> Page[Case]: ...
    def next_sequence(self, kle_subject: str, handlingsfacet: str, year: int) -> int:
        """The next free sequence number for a case number with these parts."""
        ...


class ActivityRepository(Protocol):
    def add(self, activity: Activity) -> None: ...
    def get(self, activity_id: UUID) -> Activity | None: ...
    def list_for_case(self, case_id: UUID) -> list[Activity]: ...


class PartyRepository(Protocol):
    def add(self, party: Party) -> None: ...
    def get(self, party_id: UUID) -> Party | None: ...
    def get_by_cpr(self, cpr: str) -> Party | None: ...
    def get_many_by_cpr(self, cprs: Sequence[str]) -> list[Party]:
        """The parties found, in the order their numbers were given."""
        ...

    def get_by_cvr(self, cvr: str) -> Party | None: ...
    def get_many(self, party_ids: Sequence[UUID]) -> list[Party]: ...


class CaseworkerRepository(Protocol):
    def add(self, caseworker: Caseworker) -> None: ...
    def get(self, caseworker_id: UUID) -> Caseworker | None: ...
    def get_by_username(self, username: str) -> Caseworker | None: ...
    def list(self) -> list[Caseworker]: ...


class DocumentRepository(Protocol):
    def add(self, document: Document) -> None: ...
    def get(self, document_id: UUID) -> Document | None: ...
    def link(self, link: DocumentLink) -> None:
        """Put a document on a case (and activity); linking twice the same way is a no-op."""
        ...

    def links_for_case(self, case_id: UUID) -> list[DocumentLink]: ...
    def links_for_document(self, document_id: UUID) -> list[DocumentLink]: ...


class PlacementRepository(Protocol):
    def add(self, placement: Placement) -> None: ...
    def list_for_document(self, document_id: UUID) -> list[Placement]: ...
    def list_for_case(self, case_id: UUID) -> list[Placement]: ...


class InboxRepository(Protocol):
    def add(self, item: InboxItem) -> None: ...
    def update(self, item: InboxItem) -> None: ...
    def get(self, item_id: UUID) -> InboxItem | None: ...
    def get_for_document(self, document_id: UUID) -> InboxItem | None: ...
    def list(self, query: InboxFilter) -> Page[InboxItem]: ...


class JournalNoteRepository(Protocol):
    def add(self, note: JournalNote) -> None: ...
    def list_for_case(self, case_id: UUID) -> list[JournalNote]: ...


class NoticeRepository(Protocol):
    def add(self, notice: Notice) -> None: ...
    def list_for_caseworker(
        self, caseworker_id: UUID, *, unread_only: bool = False
    ) -> list[Notice]: ...
    def mark_read(self, notice_id: UUID, at: datetime) -> None:
        """Mark a notice read; a notice already read keeps its first time.
        Raises :class:`core.errors.NotFound` (field ``notice_id``) for an unknown id."""
        ...


class IntakeLedger(Protocol):
    def get(self, sender_system: str, message_id: str) -> IntakeRecord | None: ...
    def get_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], IntakeRecord]:
        """The records of those ``(sender system, message id)`` keys that have one."""
        ...

    def add(self, record: IntakeRecord) -> None:
        """Record a delivery; a second record with the same key makes ``commit`` raise
        :class:`core.errors.Conflict` (the key is unique)."""
        ...


class LetterRepository(Protocol):
    """Outgoing letters and their status history."""

    def add(self, letter: Letter) -> None: ...
    def update(self, letter: Letter) -> None:
        """Store the letter's changed fields (status, channel, error, updated_at)."""
        ...

    def get(self, letter_id: UUID) -> Letter | None: ...
    def get_by_message_uuid(self, message_uuid: UUID) -> Letter | None: ...
    def list_for_case(self, case_id: UUID) -> list[Letter]:
        """The case's letters, oldest first."""
        ...

    def add_event(self, event: LetterEvent) -> None:
        """Append to a letter's history. A ``receipt_id`` is unique per municipality: a second
        event with the same one makes ``commit`` raise :class:`core.errors.Conflict`."""
        ...

    def events(self, letter_id: UUID) -> list[LetterEvent]:
        """The letter's history, in the order it was recorded."""
        ...

    def event_for_receipt(self, receipt_id: str) -> LetterEvent | None: ...


class AuditLog(Protocol):
    """Who read which case data when. Append-only."""

    def add(self, entry: AuditEntry) -> None: ...
    def list(
        self,
        *,
        object_id: UUID | None = None,
        actor: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> Page[AuditEntry]: ...


class UnitOfWork(Protocol):
    """One transaction over one municipality's data.

    Used as a context manager; leaving the block without :meth:`commit` rolls back.
    Staged blobs registered with :meth:`keep_blob` become permanent with the commit
    and are discarded with a rollback. Events recorded with :meth:`record` are
    published after a successful commit, never before. An implementation may be given
    a *before-commit* callback (``(uow, events) -> None``): it runs inside the
    transaction, just before the commit, with the events recorded so far, and what it
    writes commits or rolls back with the rest (the hub uses it for case versions and
    export jobs, see :class:`core.services.changes.ChangeRecorder`).
    """

    municipality_id: UUID
    municipalities: MunicipalityRepository
    cases: CaseRepository
    activities: ActivityRepository
    parties: PartyRepository
    caseworkers: CaseworkerRepository
    documents: DocumentRepository
    placements: PlacementRepository
    inbox: InboxRepository
    journal: JournalNoteRepository
    notices: NoticeRepository
    intake: IntakeLedger
    audit: AuditLog
    letters: LetterRepository
    history: CaseHistory
    exports: ExportLedger
    jobs: JobQueue
    """Jobs enqueued here are written in this transaction: they exist if and only if it commits."""

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def keep_blob(self, part: StagedPart) -> None:
        """Make a staged file permanent when (and only when) this transaction commits."""
        ...

    def record(self, event: DomainEvent) -> None:
        """Collect an event to publish after commit."""
        ...

    def commit(self) -> None:
        """Commit rows and kept blobs together, then publish the collected events.

        Raises :class:`core.errors.Conflict` when a unique key (case number, intake
        key) was taken by a concurrent transaction; nothing is then stored, and the
        blobs registered with :meth:`keep_blob` stay staged (no longer kept by this unit
        of work), so the caller can retry with them in a new unit of work or discard them.
        """
        ...

    def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[UUID], UnitOfWork]
"""Opens a unit of work for a municipality id."""

BeforeCommit = Callable[[UnitOfWork, Sequence[DomainEvent]], None]
"""Runs inside a unit of work's transaction just before it commits (see :class:`UnitOfWork`)."""


class EventPublisher(Protocol):
    """Delivers committed domain events to whoever listens (plugins' hooks, the job queue)."""

    def publish(self, events: Sequence[DomainEvent]) -> None: ...
