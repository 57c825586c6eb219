"""``/api/archive/extracts``: order an archival version, and follow it (scope ``archive``).

``POST`` answers 202 with the order's status and its ``Location``; the worker makes the
extract (see :mod:`adapters.extracts.service`), and ``GET …/{id}`` shows whether it is
queued, running, done (where, how many cases, documents and pages) or failed (why,
with each finding).
"""

from __future__ import annotations

from uuid import UUID

from litestar import Response, Router, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from adapters.api.auth import Caller, require_scope
from adapters.extracts.models import ExtractOrder, ExtractStatus
from adapters.extracts.service import ExtractService
from ports.clients import Scope

PATH = "/api/archive"


def archive_router(extracts: ExtractService, municipality_id: UUID) -> Router:
    archivist = {"archivist": require_scope(Scope.ARCHIVE, municipality_id=municipality_id)}

    @post(
        "/extracts",
        operation_id="orderArchiveExtract",
        dependencies=archivist,
        sync_to_thread=True,
        status_code=202,
        summary="Order an archival version; the worker makes it",
    )
    def order_extract(
        data: JSONBody[ExtractOrder], archivist: NamedDependency[Caller]
    ) -> Response[ExtractStatus]:
        status = extracts.order(data, archivist.name)
        location = f"{PATH}/extracts/{status.id}"
        return Response(status, status_code=202, headers={"Location": location})

    @get(
        "/extracts/{extract_id:uuid}",
        operation_id="getArchiveExtract",
        dependencies=archivist,
        sync_to_thread=True,
        summary="An ordered archival version: queued, running, done or failed",
    )
    def extract_status(
        extract_id: FromPath[UUID], archivist: NamedDependency[Caller]
    ) -> ExtractStatus:
        return extracts.status(extract_id)

    return Router(path=PATH, route_handlers=[order_extract, extract_status])
