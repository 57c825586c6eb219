"""Locked (read-only) copies of cases and documents, as handed to exporters and readers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from core.models import (
    Activity,
    Case,
    Caseworker,
    Document,
    DocumentLink,
    JournalNote,
    Municipality,
    Party,
    Placement,
)


class DocumentSnapshot(BaseModel):
    """A document with the links that put it on cases. File bytes are read from the BlobStore."""

    model_config = ConfigDict(frozen=True)

    municipality: Municipality
    document: Document
    links: list[DocumentLink]
    parties: list[Party]


class CaseSnapshot(BaseModel):
    """A case as it stood at ``taken_at``: everything an overview needs, nothing editable."""

    model_config = ConfigDict(frozen=True)

    municipality: Municipality
    case: Case
    caseworker: Caseworker | None
    parties: list[Party]
    activities: list[Activity]
    documents: list[Document]
    links: list[DocumentLink]
    journal_notes: list[JournalNote]
    placements: list[Placement]
    taken_at: datetime

    def documents_on(self, activity_id: UUID | None) -> list[Document]:
        """The documents linked to an activity (None: attached to the case itself)."""
        ids = {link.document_id for link in self.links if link.activity_id == activity_id}
        return [d for d in self.documents if d.id in ids]
