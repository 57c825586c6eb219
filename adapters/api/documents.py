"""Documents: their metadata, and the bytes of any part as a download (``documents:read``).

The bytes stream from the blob store in chunks, with the part's Content-Type and a
Content-Disposition whose ``filename*`` carries the file name in UTF-8 (RFC 6266).
Each read is audited by :class:`core.services.cases.CaseService` (``read`` or
``download``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, ClassVar
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, get
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Stream

from adapters.api.auth import require_scope
from adapters.api.dependencies import BlobsDep, CallerDep, CasesDep
from adapters.api.schemas import DocumentDetail
from core.errors import NotFound
from ports.clients import Scope

CHUNK_BYTES = 256 * 1024


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` fallback and the exact name in ``filename*``."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in filename
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def read_chunks(file: BinaryIO) -> Iterator[bytes]:
    with file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk


class DocumentController(Controller):
    path = "/api/documents"
    tags: ClassVar[list[str]] = ["documents"]
    dependencies: ClassVar[dict[str, Provide]] = {"caller": require_scope(Scope.DOCUMENTS_READ)}

    @get(
        "/{document_id:uuid}",
        operation_id="getDocument",
        summary="A document's metadata, the parties it concerns and the cases it is on",
        sync_to_thread=True,
    )
    def get_document(
        self, caller: CallerDep, cases: CasesDep, document_id: FromPath[UUID]
    ) -> DocumentDetail:
        return DocumentDetail.of(cases.document(document_id, caller.actor))

    @get(
        "/{document_id:uuid}/variants/{variant:int}/parts/{part:int}",
        operation_id="downloadPart",
        summary="The bytes of one file of a document (variant and part counted from 0)",
        sync_to_thread=True,
    )
    def download_part(
        self,
        caller: CallerDep,
        cases: CasesDep,
        blobs: BlobsDep,
        document_id: FromPath[UUID],
        variant: FromPath[int],
        part: FromPath[int],
    ) -> Stream:
        document = cases.document(document_id, caller.actor, action="download").document
        if not 0 <= variant < len(document.variants):
            raise NotFound(f"the document has no variant {variant}", field="variant")
        parts = document.variants[variant].parts
        if not 0 <= part < len(parts):
            raise NotFound(f"the variant has no part {part}", field="part")
        found = parts[part]
        return Stream(
            read_chunks(blobs.open(found.blob_key)),
            media_type=found.mime_type,
            headers={
                "Content-Disposition": content_disposition(found.name),
                "Content-Length": str(found.size),
                "X-Content-Type-Options": "nosniff",
            },
        )
