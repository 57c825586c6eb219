"""OIO Sag UD and Dokument UD: locked copies as SF1470 v6 shaped XML, under ``/oio``.

- ``GET /oio/sag/{uuid}[?registreringstid=…]``: ``sag:Sag``, now or as registered then;
- ``GET /oio/sag?part=urn:oio:cpr-nr:…``: the party's cases as ``sag:ListOutput``;
- ``GET /oio/sag/aendringer?efter=<cursor>&antal=<n>``: the change feed (``sh:Aendringer``);
- ``GET /oio/dokument/{uuid}``: ``di:LaesOutput`` with variants and parts;
- ``GET /oio/dokument/{uuid}/dele/{sha256}``: a part's bytes (ETag, If-None-Match).

Reading cases needs the scope ``cases:read``, documents ``documents:read``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Response, Router, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from lxml import etree

from adapters.api.caller import CASES_READ, DOCUMENTS_READ, Caller, require_scope
from adapters.api.copies import CACHE_CONTROL, CopyReads, part_route
from adapters.oio.dokument_xml import build_dokument
from adapters.oio.feed_xml import build_feed
from adapters.oio.sag_xml import SagOptions, build_sag, build_sag_list
from core.models import Document, Part

XML = "application/xml"
PULL = SagOptions(with_sagshub=True)


def part_href(document: Document, part: Part) -> str:
    return f"/oio/dokument/{document.id}/dele/{part.sha256}"


def _xml(root: etree._Element) -> Response[bytes]:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return Response(body, media_type=XML, headers={"Cache-Control": CACHE_CONTROL})


def oio_router(reads: CopyReads) -> Router:
    cases = {"reader": require_scope(CASES_READ, reads.municipality_id)}
    documents = {"reader": require_scope(DOCUMENTS_READ, reads.municipality_id)}

    @get("/sag/aendringer", dependencies=cases, sync_to_thread=True, summary="Change feed")
    def feed(
        reader: NamedDependency[Caller],
        efter: Annotated[
            int, QueryParameter(ge=0, description="the last cursor read; 0 first")
        ] = 0,
        antal: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
    ) -> Response[bytes]:
        return _xml(build_feed(reads.copies.changes(efter, antal, reader.name)))

    @get("/sag/{case_id:uuid}", dependencies=cases, sync_to_thread=True, summary="A case")
    def sag(
        case_id: FromPath[UUID],
        reader: NamedDependency[Caller],
        registreringstid: Annotated[
            datetime | None, QueryParameter(description="the case as registered at this moment")
        ] = None,
    ) -> Response[bytes]:
        return _xml(build_sag(reads.case(case_id, reader, registreringstid), PULL))

    @get("/sag", dependencies=cases, sync_to_thread=True, summary="A party's cases")
    def party_cases(
        reader: NamedDependency[Caller],
        part: Annotated[str, QueryParameter(description="urn:oio:cpr-nr:… or urn:oio:cvr-nr:…")],
    ) -> Response[bytes]:
        return _xml(build_sag_list(reads.copies.party_cases(part, reader.name), PULL))

    @get("/dokument/{document_id:uuid}", dependencies=documents, sync_to_thread=True)
    def dokument(document_id: FromPath[UUID], reader: NamedDependency[Caller]) -> Response[bytes]:
        snapshot = reads.cases.document(document_id, reader.name)
        return _xml(build_dokument(snapshot, PULL, part_href=part_href))

    return Router(
        path="/oio",
        route_handlers=[
            feed,
            sag,
            party_cases,
            dokument,
            part_route(reads, "/dokument/{document_id:uuid}/dele/{sha256:str}"),
        ],
    )
