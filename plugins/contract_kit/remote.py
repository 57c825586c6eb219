"""How a contract suite looks at the other side: what the remote system holds.

A suite only needs to *observe* the remote system, never to drive the adapter's
protocol. An adapter's test supplies an observer over its fake (or a test instance of
the real system) that answers in these plain terms.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, Field


class RemoteCase(BaseModel):
    """A case copy as the remote system holds it."""

    external_id: str
    title: str
    kle_subject: str | None = None
    primary_party: str | None = Field(default=None, description="its CPR or CVR number")
    parties: list[str] = Field(default_factory=list, description="every party's CPR or CVR")


class RemoteDocument(BaseModel):
    """A document as the remote system holds it."""

    external_id: str
    title: str
    file_name: str
    content: bytes
    case_external_id: str | None = Field(
        default=None, description="the remote case it is filed on, where the remote has cases"
    )


class CaseRemote(Protocol):
    def cases(self) -> list[RemoteCase]:
        """Every case copy the remote system holds now."""
        ...


class DocumentRemote(Protocol):
    def documents(self) -> list[RemoteDocument]:
        """Every document the remote system holds now."""
        ...


class SourceRemote(Protocol):
    def add_document(
        self,
        *,
        title: str,
        content: bytes,
        file_name: str,
        mime_type: str,
        cpr: str,
        for_hub: bool = True,
    ) -> None:
        """Put a document into the remote system, as its users would.

        ``for_hub`` False: a document the hub must not receive (not marked for it).
        """
        ...
