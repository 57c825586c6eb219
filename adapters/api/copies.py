"""What the read endpoints for locked copies share: the services, and a part's bytes.

Every read goes through the core's services, which write the audit entry (who,
municipality, which case or document, when) in the same transaction as the read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, BinaryIO
from urllib.parse import quote
from uuid import UUID

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, HeaderParameter
from litestar.response import Stream

from adapters.api.caller import DOCUMENTS_READ, Caller, require_scope
from core.errors import NotFound
from core.models import Part
from core.services.cases import CaseService
from core.services.copies import CopyService
from ports.blobs import BlobStore
from ports.snapshots import CaseSnapshot

CHUNK = 64 * 1024
CACHE_CONTROL = "private, no-cache"
"""Personal data: only the caller's own cache may keep it, and must ask again (ETag)."""


@dataclass(frozen=True)
class CopyReads:
    """The hub's services behind ``/oio/sag``, ``/oio/dokument`` and their ``/api`` twins."""

    municipality_id: UUID
    cases: CaseService
    copies: CopyService
    blobs: BlobStore

    def case(self, case_id: UUID, caller: Caller, registered_at: datetime | None) -> CaseSnapshot:
        """The case now, or as registered at ``registered_at``."""
        if registered_at is None:
            return self.cases.snapshot(case_id, caller.name)
        return self.copies.case_as_of(case_id, registered_at, caller.name)

    def part(
        self, document_id: UUID, sha256: str, caller: Caller, if_none_match: str | None
    ) -> Response:
        """A part's bytes, streamed, with its sha256 as ETag; 304 when the caller has them."""
        snapshot = self.cases.document(document_id, caller.name, action="download")
        part = next(
            (p for v in snapshot.document.variants for p in v.parts if p.sha256 == sha256), None
        )
        if part is None:
            raise NotFound(f"document {document_id} has no part {sha256}", field="sha256")
        headers = {"ETag": f'"{sha256}"', "Cache-Control": CACHE_CONTROL}
        if etag_matches(if_none_match, sha256):
            return Response(content=b"", status_code=304, headers=headers)
        return Stream(
            _chunks(self.blobs.open(sha256)),
            media_type=part.mime_type,
            headers={
                **headers,
                "Content-Length": str(part.size),
                "Content-Disposition": content_disposition(part),
            },
        )


def part_route(reads: CopyReads, path: str) -> HTTPRouteHandler:
    """``GET <path>`` (with ``document_id`` and ``sha256``): a part's bytes, ``documents:read``."""

    @get(
        path,
        dependencies={"reader": require_scope(DOCUMENTS_READ, reads.municipality_id)},
        sync_to_thread=True,
        summary="A part's bytes",
    )
    def part(
        document_id: FromPath[UUID],
        sha256: FromPath[str],
        reader: NamedDependency[Caller],
        if_none_match: Annotated[str | None, HeaderParameter(name="If-None-Match")] = None,
    ) -> Response:
        return reads.part(document_id, sha256, reader, if_none_match)

    return part


def etag_matches(if_none_match: str | None, sha256: str) -> bool:
    """Whether ``If-None-Match`` names this part (or ``*``); weak tags compare equal too."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/").strip('"') for tag in if_none_match.split(",")]
    return "*" in tags or sha256 in tags


def content_disposition(part: Part) -> str:
    """``attachment`` with the file name: ASCII for old clients, RFC 5987 UTF-8 for all."""
    fallback = part.name.encode("ascii", "replace").decode().replace('"', "'")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(part.name)}"


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    with stream:
        while chunk := stream.read(CHUNK):
            yield chunk
