"""Domain events.

Services record events on the unit of work; they are published only after the
transaction commits, so no listener ever sees a change that was rolled back.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from core.models import PlacementTarget, utcnow
from core.values import UtcDateTime


class DomainEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    municipality_id: UUID
    occurred_at: UtcDateTime = Field(default_factory=utcnow)


class DocumentReceived(DomainEvent):
    """A document was accepted and stored."""

    document_id: UUID
    sender_system: str
    message_id: str


class DocumentPlaced(DomainEvent):
    """A document was placed: on a case or activity, or in an inbox."""

    document_id: UUID
    placement_id: UUID
    target: PlacementTarget
    case_id: UUID | None = None
    activity_id: UUID | None = None
    caseworker_id: UUID | None = None
    rule: str


class CaseChanged(DomainEvent):
    """A case changed: created, a document placed, an activity or note added, status."""

    case_id: UUID
    change: str = Field(description="created | document | activity | journal_note | status")
    object_id: UUID | None = Field(
        default=None,
        description="the document, activity or journal note the change added, if any",
    )
