"""What the intake use case receives: a document as delivered, before placement.

Interfaces (the XML envelope, the multipart API, migration, DocumentSource
plugins) all translate their input into an :class:`IncomingDocument`. The
file bytes are already *staged* in the blob store by then (hashed, size and
type checked); the core only decides and records.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from core.models import Channel, PlacementTarget
from core.values import CaseNumber, Cpr, Cvr


class StagedPart(BaseModel):
    """A file whose bytes sit in the blob store's staging area, not yet committed."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=255)
    mime_type: str
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    staging_token: str = Field(description="the blob store's handle for the staged bytes")


class IncomingVariant(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=64)
    parts: list[StagedPart] = Field(min_length=1)


class CaseReference(BaseModel):
    """A target case named by the sender: its uuid, or its case number."""

    model_config = ConfigDict(frozen=True)

    case_id: UUID | None = None
    case_number: CaseNumber | None = None
    activity_id: UUID | None = None


class IncomingDocument(BaseModel):
    """A document as a client system delivered it, with whatever metadata it had."""

    model_config = ConfigDict(frozen=True)

    sender_system: str = Field(min_length=1, max_length=100)
    message_id: str = Field(min_length=1, max_length=255)
    title: str = Field(min_length=1, max_length=500)
    letter_date: date | None = None
    document_number: str | None = Field(default=None, max_length=100)
    doc_type: str = Field(default="Brev, indgaaende", max_length=100)
    sensitivity: str | None = Field(default=None, max_length=50)
    channel: Channel = Channel.OTHER
    cprs: list[Cpr] = Field(default_factory=list)
    cvrs: list[Cvr] = Field(default_factory=list)
    case: CaseReference | None = None
    caseworker: str | None = Field(default=None, description="the caseworker's username")
    subject_hint: str | None = Field(
        default=None, description="free text a correlation rule may read (e-mail subject, …)"
    )
    reply_to: str | None = Field(
        default=None, description="the sender's id of a message this one answers"
    )
    create_case: bool = Field(
        default=False, description="the sender asks for a new case if the party has none"
    )
    variants: list[IncomingVariant] = Field(min_length=1)

    def fingerprint(self) -> str:
        """A hash of everything that makes this delivery what it is.

        The same (sender, message id) with the same fingerprint is a harmless repeat;
        with another fingerprint it is a conflict. Staging tokens are left out: they
        differ on every delivery of the same bytes.
        """
        data = self.model_dump(mode="json")
        for variant in data["variants"]:
            for part in variant["parts"]:
                part.pop("staging_token")
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class Receipt(BaseModel):
    """The answer to a delivery: where the document landed and why."""

    document_id: UUID
    target: PlacementTarget
    case_id: UUID | None = None
    case_number: str | None = None
    activity_id: UUID | None = None
    caseworker_id: UUID | None = None
    inbox_item_id: UUID | None = None
    rule: str
    reason: str
    duplicate: bool = Field(
        default=False, description="True when this repeated an earlier delivery"
    )
