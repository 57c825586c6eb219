"""The domain entities (see the glossary in DESIGN.md).

Every entity carries ``municipality_id``: the municipality (tenant) it belongs
to. The persistence adapters keep their own table classes and map to and from
these models; nothing here knows how it is stored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.errors import InvalidValue
from core.ids import new_id
from core.values import CaseNumber, Cpr, Cvr, Handlingsfacet, KleSubject, UtcDateTime


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (the only kind the core stores)."""
    return datetime.now(UTC)


class Entity(BaseModel):
    """Base of the entities: an id, the owning municipality, validated on assignment."""

    model_config = ConfigDict(validate_assignment=True, extra="forbid")

    id: UUID = Field(default_factory=new_id)
    municipality_id: UUID


class Municipality(BaseModel):
    """The tenant: a Danish municipality, known by its CVR number and kommunekode."""

    model_config = ConfigDict(extra="forbid")

    id: UUID = Field(default_factory=new_id)
    name: str = Field(min_length=1)
    cvr: Cvr
    code: str | None = Field(default=None, pattern=r"^\d{3}$", description="kommunekode")


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class PartyKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"


class Party(Entity):
    """A person (CPR) or a company (CVR)."""

    kind: PartyKind
    cpr: Cpr | None = None
    cvr: Cvr | None = None
    name: str = ""
    address_lines: list[str] = Field(default_factory=list, max_length=6)
    email: str | None = Field(default=None, max_length=320, description="for e-mail out")

    @model_validator(mode="after")
    def _identifier_matches_kind(self) -> Party:
        if self.kind is PartyKind.PERSON and not self.cpr:
            raise InvalidValue("a person needs a CPR number", field="cpr")
        if self.kind is PartyKind.COMPANY and not self.cvr:
            raise InvalidValue("a company needs a CVR number", field="cvr")
        return self

    @property
    def urn(self) -> str:
        """The party as an OIO URN (``urn:oio:cpr-nr:…`` or ``urn:oio:cvr-nr:…``)."""
        if self.kind is PartyKind.PERSON:
            return f"urn:oio:cpr-nr:{self.cpr}"
        return f"urn:oio:cvr-nr:{self.cvr}"


class Caseworker(Entity):
    """A municipal employee (sagsbehandler)."""

    username: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1)
    email: str | None = None
    active: bool = True


class CasePartyRole(StrEnum):
    PRIMARY = "primary"
    OTHER = "other"


class CaseParty(BaseModel):
    """A party's role on a case; the primary party is the child the case is about."""

    party_id: UUID
    role: CasePartyRole = CasePartyRole.PRIMARY


class Case(Entity):
    """A case (sag) about one primary party."""

    number: CaseNumber
    title: str = Field(min_length=1, max_length=500)
    kle_subject: KleSubject
    handlingsfacet: Handlingsfacet
    status: CaseStatus = CaseStatus.OPEN
    caseworker_id: UUID | None = None
    parties: list[CaseParty] = Field(default_factory=list)
    created_at: UtcDateTime = Field(default_factory=utcnow)
    updated_at: UtcDateTime = Field(default_factory=utcnow)
    closed_at: UtcDateTime | None = None

    @property
    def primary_party_id(self) -> UUID | None:
        return next((p.party_id for p in self.parties if p.role is CasePartyRole.PRIMARY), None)


class Activity(Entity):
    """A step on a case (meeting, assessment, decision); documents may hang on it."""

    case_id: UUID
    title: str = Field(min_length=1, max_length=500)
    kind: str = "generel"
    created_at: UtcDateTime = Field(default_factory=utcnow)


class Part(BaseModel):
    """One file of a variant, stored content-addressed in the blob store."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=255, description="the file name")
    mime_type: str = Field(min_length=3, max_length=255)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @property
    def blob_key(self) -> str:
        """The key of the bytes in the blob store (the sha256)."""
        return self.sha256


class Variant(BaseModel):
    """A rendering of a document (``arkiv``, ``produktion``, ``PDF`` …) and its files."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    parts: list[Part] = Field(min_length=1)


class Channel(StrEnum):
    """How a document reached the hub."""

    SCANNING = "scanning"
    FORM = "form"
    EMAIL = "email"
    DIGITAL_POST_REPLY = "digital_post_reply"
    ESDH = "esdh"
    MIGRATION = "migration"
    CASEWORKER = "caseworker"
    OTHER = "other"


class Document(Entity):
    """Metadata and variants of one document. It may be linked to several cases."""

    title: str = Field(min_length=1, max_length=500)
    letter_date: date | None = None
    document_number: str | None = Field(default=None, max_length=100)
    doc_type: str = Field(default="Brev, indgaaende", max_length=100)
    sensitivity: str | None = Field(default=None, max_length=50)
    channel: Channel = Channel.OTHER
    sender_system: str = Field(min_length=1, max_length=100)
    message_id: str = Field(min_length=1, max_length=255)
    party_ids: list[UUID] = Field(default_factory=list)
    variants: list[Variant] = Field(min_length=1)
    received_at: UtcDateTime = Field(default_factory=utcnow)


class DocumentLink(BaseModel):
    """A document on a case, on one of its activities or as a case attachment."""

    document_id: UUID
    case_id: UUID
    activity_id: UUID | None = None
    linked_at: UtcDateTime = Field(default_factory=utcnow)


class PlacementTarget(StrEnum):
    CASE = "case"
    ACTIVITY = "activity"
    NEW_CASE = "new_case"
    CASEWORKER_INBOX = "caseworker_inbox"
    COMMON_INBOX = "common_inbox"


class Placement(Entity):
    """Where a document was put, by which rule or person, and why."""

    document_id: UUID
    target: PlacementTarget
    case_id: UUID | None = None
    activity_id: UUID | None = None
    caseworker_id: UUID | None = None
    rule: str
    reason: str
    evidence: dict[str, Any] = Field(default_factory=dict)
    placed_by: UUID | None = Field(
        default=None, description="the caseworker who placed it by hand; None for the hub"
    )
    placed_at: UtcDateTime = Field(default_factory=utcnow)


class InboxStatus(StrEnum):
    OPEN = "open"
    PLACED = "placed"


class InboxItem(Entity):
    """A document waiting for a caseworker to place it. ``caseworker_id`` None = common inbox."""

    document_id: UUID
    caseworker_id: UUID | None = None
    candidate_case_ids: list[UUID] = Field(default_factory=list)
    status: InboxStatus = InboxStatus.OPEN
    created_at: UtcDateTime = Field(default_factory=utcnow)
    placed_at: UtcDateTime | None = None


class JournalNote(Entity):
    """A note written on a case (journalnotat)."""

    case_id: UUID
    activity_id: UUID | None = None
    author_id: UUID | None = None
    title: str = Field(min_length=1, max_length=500)
    text: str = Field(min_length=1, max_length=100_000)
    created_at: UtcDateTime = Field(default_factory=utcnow)


class Notice(Entity):
    """A message to a caseworker: something reached their inbox."""

    caseworker_id: UUID
    document_id: UUID | None = None
    message: str
    created_at: UtcDateTime = Field(default_factory=utcnow)
    read_at: UtcDateTime | None = None


class AuditEntry(Entity):
    """One read (or change) of case data: who, which object, when. Kept for supervision."""

    actor: str = Field(
        min_length=1, max_length=200, description="a caseworker, client system or 'hub'"
    )
    action: str = Field(min_length=1, max_length=50, description="read | export | download | …")
    object_type: str = Field(
        min_length=1, max_length=50, description="case | document | party | inbox"
    )
    object_id: UUID | None = None
    at: UtcDateTime = Field(default_factory=utcnow)
