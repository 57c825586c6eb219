"""The JSON twins of the ``/oio`` reads, under ``/api`` (the core's snapshot models).

``/api/cases/{uuid}[?registered_at=]``, ``/api/cases?party=``,
``/api/cases/changes?after=&limit=``, ``/api/documents/{uuid}`` and
``/api/documents/{uuid}/parts/{sha256}``; same scopes and audit as ``/oio``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Router, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from adapters.api.caller import CASES_READ, DOCUMENTS_READ, Caller, require_scope
from adapters.api.copies import CopyReads, part_route
from ports.history import ChangePage
from ports.snapshots import CaseSnapshot, DocumentSnapshot


def json_router(reads: CopyReads) -> Router:
    cases = {"reader": require_scope(CASES_READ, reads.municipality_id)}
    documents = {"reader": require_scope(DOCUMENTS_READ, reads.municipality_id)}

    @get("/cases/changes", dependencies=cases, sync_to_thread=True, summary="Change feed")
    def changes(
        reader: NamedDependency[Caller],
        after: Annotated[int, QueryParameter(ge=0)] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
    ) -> ChangePage:
        return reads.copies.changes(after, limit, reader.name)

    @get("/cases/{case_id:uuid}", dependencies=cases, sync_to_thread=True, summary="A case")
    def case(
        case_id: FromPath[UUID],
        reader: NamedDependency[Caller],
        registered_at: Annotated[
            datetime | None, QueryParameter(description="the case as registered at this moment")
        ] = None,
    ) -> CaseSnapshot:
        return reads.case(case_id, reader, registered_at)

    @get("/cases", dependencies=cases, sync_to_thread=True, summary="A party's cases")
    def party_cases(
        reader: NamedDependency[Caller],
        party: Annotated[str, QueryParameter(description="urn:oio:cpr-nr:… or urn:oio:cvr-nr:…")],
    ) -> list[CaseSnapshot]:
        return reads.copies.party_cases(party, reader.name)

    @get("/documents/{document_id:uuid}", dependencies=documents, sync_to_thread=True)
    def document(document_id: FromPath[UUID], reader: NamedDependency[Caller]) -> DocumentSnapshot:
        return reads.cases.document(document_id, reader.name)

    return Router(
        path="/api",
        route_handlers=[
            changes,
            case,
            party_cases,
            document,
            part_route(reads, "/documents/{document_id:uuid}/parts/{sha256:str}"),
        ],
    )
