"""Turning a migration item into an :class:`IncomingDocument` with staged bytes, or a skip."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

from pydantic import ValidationError

from adapters.migration.identity import message_id
from adapters.migration.items import ItemFile, MigrationItem
from adapters.migration.metadata import DocumentMetadata, InvalidMetadata, parse_metadata
from adapters.migration.report import ReportLine, SkipReason
from core.intake import CaseReference, IncomingDocument, IncomingVariant, StagedPart
from core.models import Channel


class FileSkipped(Exception):
    """A file cannot be migrated; ``reason`` says which kind of problem it is."""

    def __init__(self, reason: SkipReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class Stager(Protocol):
    """Puts a document's files into the blob store's staging area (see :mod:`.staging`)."""

    def stage(self, files: Sequence[ItemFile]) -> list[StagedPart]:
        """Stage all files or none; raises :class:`FileSkipped` when one cannot be migrated."""
        ...

    def discard(self, token: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document ready for intake; its staged tokens are discarded after the batch."""

    key: str
    incoming: IncomingDocument
    tokens: tuple[str, ...]
    size: int
    note: str = ""
    """Said in the report before the placement's reason."""


def _skip(item: MigrationItem, reason: SkipReason, message: str) -> ReportLine:
    return ReportLine(source=item.key, skip_reason=reason, reason=message)


def _incoming(
    sender: str, item: MigrationItem, meta: DocumentMetadata, parts: list[StagedPart]
) -> IncomingDocument:
    variants: dict[str, list[StagedPart]] = {}
    for file, part in zip(item.files, parts, strict=True):
        variants.setdefault(file.variant, []).append(part)
    optional = {"doc_type": meta.document_type} if meta.document_type else {}
    return IncomingDocument(
        sender_system=sender,
        message_id=message_id(item.key, (p.sha256 for p in parts)),
        title=meta.title or PurePath(item.files[0].name).stem or item.files[0].name,
        letter_date=meta.letter_date,
        document_number=meta.document_number,
        sensitivity=meta.sensitivity,
        channel=Channel.MIGRATION,
        cprs=meta.cpr,
        cvrs=meta.cvr,
        case=CaseReference(case_number=meta.case_number) if meta.case_number else None,
        caseworker=meta.caseworker,
        variants=[IncomingVariant(name=name, parts=ps) for name, ps in variants.items()],
        **optional,
    )


def prepare(item: MigrationItem, sender: str, stager: Stager) -> Prepared | ReportLine:
    """Validate the item's metadata, stage its files, build the incoming document.

    Any problem gives a skipped report line instead, with nothing left staged.
    """
    if item.problem:
        return _skip(item, SkipReason.INVALID_METADATA, item.problem)
    try:
        meta = parse_metadata(item.raw)
    except InvalidMetadata as exc:
        return _skip(item, SkipReason.INVALID_METADATA, str(exc))
    if not item.files:
        return _skip(item, SkipReason.INVALID_METADATA, "path: missing")
    try:
        parts = stager.stage(item.files)
    except FileSkipped as exc:
        return _skip(item, exc.reason, str(exc))
    tokens = tuple(p.staging_token for p in parts)
    try:
        incoming = _incoming(sender, item, meta, parts)
    except ValidationError as exc:
        for token in tokens:
            stager.discard(token)
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"]) or "document"
        return _skip(item, SkipReason.INVALID_METADATA, f"{field}: {error['msg']}")
    return Prepared(item.key, incoming, tokens, sum(p.size for p in parts))
