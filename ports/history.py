"""What the hub keeps so that other systems can read cases as they were, and follow changes.

Every change to a case stores a locked copy of the whole case as its next version,
with its registration time and a cursor in the municipality's change feed, in the
same transaction as the change (see :class:`core.services.changes.ChangeRecorder`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

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


class CaseHistory(Protocol):
    """The versions of one municipality's cases and its change feed.

    The feed's cursors are handed out in commit order: a reader that has seen cursor
    ``n`` never later finds a committed entry below ``n`` (no change is skipped, none
    is read twice). Implementations serialise :meth:`record` per municipality until
    the recording transaction ends.
    """

    def record(self, snapshot: CaseSnapshot, change: str) -> CaseChange:
        """Store ``snapshot`` as the case's next version and append it to the feed.

        The version's registration time is ``snapshot.taken_at``, moved forward when
        needed so that it is never earlier than the feed's previous entry.
        """
        ...

    def lock(self) -> None:
        """Take the municipality's feed lock now (held until the transaction ends).

        A recorder takes it before reading what it records, so that it reads
        everything committed before it, and so that feed order is commit order.
        """
        ...

    def as_of(self, case_id: UUID, moment: datetime) -> CaseSnapshot | None:
        """The version registered last at or before ``moment``; None if there was none."""
        ...

    def changes_after(self, cursor: int, limit: int) -> ChangePage: ...


class ExportLedger(Protocol):
    """What an external system calls what the hub exported to it, per adapter."""

    def external_id(self, adapter: str, object_type: str, object_id: UUID) -> str | None: ...

    def remember(self, adapter: str, object_type: str, object_id: UUID, external_id: str) -> None:
        """Store (or replace) the external id of an exported case or document."""
        ...
