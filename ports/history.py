"""What the hub keeps so that other systems can read cases as they were, and follow changes.

Every change to a case stores its next version, with its registration time and a
cursor in the municipality's change feed, in the same transaction as the change (see
:class:`core.services.changes.ChangeRecorder`). A version holds only what a change can
alter in place — the case's *head* (the case, its caseworker and parties) — and the ids
of the children the change added (its *delta*). Documents, links, placements, activities
and journal notes are never changed or removed once added, so the case as registered at
a moment is the latest head then with the children of every version up to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from core.models import Case, Caseworker, Municipality, Party
from ports.snapshots import CaseSnapshot


class CaseChange(BaseModel):
    """One entry of the change feed: a case got a new version."""

    model_config = ConfigDict(frozen=True)

    cursor: int = Field(ge=1, description="the entry's position in the feed; strictly increasing")
    case_id: UUID
    version: int = Field(ge=1, description="the case's version number, 1 for its first copy")
    change: str = Field(description="created | document | activity | journal_note | status")
    registered_at: datetime = Field(description="when this version was registered")


class ChangePage(BaseModel):
    """A page of the feed after a cursor; continue from ``next_cursor``."""

    changes: list[CaseChange]
    next_cursor: int = Field(ge=0, description="the cursor to ask after next time")
    more: bool = Field(description="True when more changes follow right away")


class CaseHead(BaseModel):
    """The parts of a case a change can alter in place, as they stood at ``taken_at``."""

    model_config = ConfigDict(frozen=True)

    municipality: Municipality
    case: Case
    caseworker: Caseworker | None
    parties: list[Party]
    taken_at: datetime


class CaseDelta(BaseModel):
    """The ids of the children one change added to a case (immutable once added)."""

    model_config = ConfigDict(frozen=True)

    links: list[tuple[UUID, UUID | None]] = Field(
        default_factory=list,
        description="(document_id, activity_id) of each document link; None: on the case",
    )
    placements: list[UUID] = Field(default_factory=list)
    activities: list[UUID] = Field(default_factory=list)
    journal_notes: list[UUID] = Field(default_factory=list)

    @classmethod
    def union(cls, deltas: Iterable[CaseDelta]) -> CaseDelta:
        """The children of all ``deltas``."""
        deltas = list(deltas)
        return cls(
            links=[link for delta in deltas for link in delta.links],
            placements=[i for delta in deltas for i in delta.placements],
            activities=[i for delta in deltas for i in delta.activities],
            journal_notes=[i for delta in deltas for i in delta.journal_notes],
        )


class CaseHistory(Protocol):
    """The versions of one municipality's cases and its change feed.

    The feed's cursors are handed out in commit order: a reader that has seen cursor
    ``n`` never later finds a committed entry below ``n`` (no change is skipped, none
    is read twice). Implementations serialise :meth:`record` per municipality until
    the recording transaction ends.
    """

    def record(self, head: CaseHead, delta: CaseDelta, change: str) -> CaseChange:
        """Store ``head`` and the children ``delta`` names as the case's next version,
        and append it to the feed.

        The version's registration time is ``head.taken_at``, moved forward when
        needed so that it is never earlier than the feed's previous entry.
        """
        ...

    def record_many(self, changes: Sequence[tuple[CaseHead, CaseDelta, str]]) -> list[CaseChange]:
        """:meth:`record` each ``(head, delta, change)`` in turn, in one go (a batch of
        intakes changes many cases in one transaction)."""
        ...

    def lock(self) -> None:
        """Take the municipality's feed lock now (held until the transaction ends).

        A recorder takes it before reading what it records, so that it reads
        everything committed before it, and so that feed order is commit order.
        """
        ...

    def as_of(self, case_id: UUID, moment: datetime) -> CaseSnapshot | None:
        """The case as registered last at or before ``moment``; None if it had no version.

        Its head is that version's; its children are those of every version up to it,
        read from the live tables in the order :func:`core.services.snapshots.case_snapshot`
        gives them; its ``taken_at`` is the version's registration time.
        """
        ...

    def changes_after(self, cursor: int, limit: int) -> ChangePage: ...


class ExportLedger(Protocol):
    """What an external system calls what the hub exported to it, per adapter."""

    def external_id(self, adapter: str, object_type: str, object_id: UUID) -> str | None: ...

    def remember(self, adapter: str, object_type: str, object_id: UUID, external_id: str) -> None:
        """Store (or replace) the external id of an exported case or document."""
        ...
