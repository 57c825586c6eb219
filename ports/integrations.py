"""Ports to the systems around the hub, implemented by plugins.

Each plugin registers its adapters through the ``sagshub_register_adapters``
hook (see :mod:`ports.hookspecs`); the municipality's config binds them to
the port names below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Protocol
from uuid import UUID

from pydantic import BaseModel, Field

from core.models import Caseworker, Notice, Party
from ports.snapshots import CaseSnapshot, DocumentSnapshot

OpenPart = Callable[[str], BinaryIO]
"""Opens a part's bytes by sha256 (the blob store's ``open``)."""


class ExportResult(BaseModel):
    """What the external system calls the exported object, so a re-export updates it."""

    external_id: str
    created: bool = Field(description="False when an existing copy was updated")


class ExportFailed(Exception):
    """An exporter could not deliver. The job queue retries it only when ``retryable``.

    Raise it with ``retryable=True`` for what may pass (a timeout, the service is down,
    an HTTP 5xx or a "server error" status) and ``retryable=False`` for what will fail the
    same way every time (the receiver rejects the content, or the hub is not allowed).
    Any other exception from an exporter counts as retryable.
    """

    def __init__(self, message: str, *, retryable: bool, code: str | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.code = code


class CaseExporter(Protocol):
    """Pushes locked copies of cases to another system (ESDH, Sags- og Dokumentindeks).

    Must be idempotent: exporting the same case twice updates the first copy.
    """

    def export_case(self, snapshot: CaseSnapshot, *, external_id: str | None) -> ExportResult:
        """Create or update the locked copy. ``external_id`` is what a previous export returned."""
        ...


class DocumentExporter(Protocol):
    """Pushes documents with their files to another system."""

    def export_document(
        self, snapshot: DocumentSnapshot, open_part: OpenPart, *, external_id: str | None
    ) -> ExportResult: ...


class SourcedFile(BaseModel):
    name: str
    mime_type: str
    variant: str = "arkiv"
    content: bytes


class SourcedDocument(BaseModel):
    """A document fetched from an external system, ready for intake.

    ``message_id`` must be stable for the same source document, so that a poll
    that repeats delivers nothing twice.
    """

    message_id: str
    title: str
    cprs: list[str] = Field(default_factory=list)
    case_number: str | None = None
    caseworker: str | None = None
    doc_type: str = "Brev, indgaaende"
    letter_date: datetime | None = None
    files: list[SourcedFile] = Field(min_length=1)


class DocumentSource(Protocol):
    """Pulls documents from an external system (the ESDH's documents marked for the hub)."""

    system_name: str

    def poll(self, cursor: str | None) -> Iterator[tuple[SourcedDocument, str]]:
        """Yield new documents since ``cursor``, each with the cursor to resume after it."""
        ...


class LetterStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"


class OutgoingLetter(BaseModel):
    letter_id: UUID
    message_uuid: UUID = Field(description="generated once; reused on every retry")
    case: CaseSnapshot
    recipient: Party
    title: str
    notification: str | None = None
    main_document_sha256: str
    attachment_sha256s: list[str] = Field(default_factory=list)


class SendResult(BaseModel):
    status: LetterStatus
    channel: str
    error_code: str | None = None
    error_text: str | None = None
    retry: bool = Field(
        default=False, description="a transport error: try again with the same uuid"
    )


class LetterChannel(Protocol):
    """Sends a letter to a citizen or company by one channel (Digital Post, print, …)."""

    name: str

    def accepts(self, recipient: Party) -> bool:
        """Whether this channel can reach the recipient (e.g. registered for Digital Post)."""
        ...

    def send(self, letter: OutgoingLetter, open_part: OpenPart) -> SendResult: ...


class ArchiveProfile(StrEnum):
    BEK128 = "bek128"
    BEK1007 = "bek1007"


class ArchiveRequest(BaseModel):
    profile: ArchiveProfile
    archive_code: str = Field(pattern=r"^[A-Z0-9]{1,8}$")
    number: int = Field(ge=1)
    case_ids: list[UUID]
    out_dir: Path


class ArchiveResult(BaseModel):
    path: Path
    documents: int
    pages: int
    problems: list[str] = Field(default_factory=list)


class Archiver(Protocol):
    """Writes an archival version (AVID folder) of the selected cases."""

    def create(
        self,
        request: ArchiveRequest,
        cases: Iterator[CaseSnapshot],
        open_part: OpenPart,
    ) -> ArchiveResult: ...


class Notifier(Protocol):
    """Tells a caseworker that something reached them (e-mail, or nothing beyond the notice)."""

    def notify(self, caseworker: Caseworker, notice: Notice) -> None: ...


class JobQueue(Protocol):
    """Asynchronous work written in the same transaction as the change that causes it."""

    def enqueue(
        self,
        task: str,
        payload: dict,
        *,
        dedupe_key: str | None = None,
        run_after: datetime | None = None,
    ) -> None: ...
