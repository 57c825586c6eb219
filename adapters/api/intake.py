"""Document intake over HTTP: ``POST /oio/dokument`` and ``POST /api/documents``.

Both stream the request body to the blob store (see :mod:`adapters.api.reception`)
and answer with a receipt: ``201`` for a new document, ``200`` for a repeat of an
earlier delivery (same sender system and message id, same content).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable, Iterable, Mapping
from typing import Any, ClassVar

from litestar import Controller, Request, Response, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIType

from adapters.api.auth import (
    LATE_CONFIRMATION,
    Caller,
    NotAuthenticated,
    PendingKey,
    pending_key,
    scope_check,
)
from adapters.api.dependencies import ReceptionDep
from adapters.api.multipart import split_header
from adapters.api.openapi import BINARY, form, streamed_body
from adapters.api.problems import problem
from adapters.api.reception import ENVELOPE_FIELD, METADATA_FIELD, Confirm, Reception
from adapters.api.schemas import ReceiptOut, document_url
from core.intake import Receipt
from ports.clients import Scope

XML_TYPES = ("application/xml", "text/xml")
MULTIPART_TYPES = ("multipart/related", "multipart/form-data")
METADATA_SCHEMA = Schema(
    type=OpenAPIType.STRING,
    content_media_type="application/json",
    description="the delivery's metadata as JSON (DeliveryMetadata, see docs/intake.md)",
)
RECEIPT_RESPONSES = {
    200: ResponseSpec(ReceiptOut, description="a repeat of an earlier delivery: its receipt"),
}


def receipt_response(receipt: Receipt) -> Response[ReceiptOut]:
    """201 with the document's Location for a new document, 200 for a repeat."""
    return Response(
        ReceiptOut.of(receipt),
        status_code=200 if receipt.duplicate else 201,
        headers={"Location": document_url(receipt.document_id)},
    )


def too_large(request: Request, limit: int) -> Response[dict[str, Any]] | None:
    """A 413 problem when the announced body is over ``limit``, before reading it."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        return problem(
            413,
            f"the request body may be at most {limit} bytes for this client",
            kind="payload-rejected",
            title="Payload rejected",
            field="Content-Length",
        )
    return None


def unsupported(media: str, allowed: Iterable[str]) -> Response[dict[str, Any]]:
    return problem(
        415,
        f"Content-Type {media or '(none)'} is not accepted here; send {', '.join(allowed)}",
        field="Content-Type",
    )


Body = AsyncIterable[bytes]
Params = dict[str, str]
Receive = Callable[[Body, Params, Caller, Confirm | None], Awaitable[Receipt]]

intake_caller = scope_check(Scope.INTAKE)
"""The caller of an intake route, who must hold the scope ``intake``. Checked in the
handler rather than as the dependency ``caller``: with two dependencies (the caller and
the reception) Litestar resolves them in a task group of their own on every request."""


async def deliver(
    request: Request, reception: Reception, accepts: Mapping[str, Receive]
) -> Response[Any]:
    """Receive the body with the function for its media type; a receipt or a problem.

    A caller admitted from memory (:class:`adapters.api.auth.ApiKeys`) has its key
    confirmed in the thread that commits the delivery, and before any other answer.
    """
    pending = pending_key(request)
    try:
        response = await _receive(request, reception, accepts, pending)
    except NotAuthenticated:
        raise
    except Exception:
        if pending is not None:
            await pending.aconfirm()
        raise
    if pending is not None and response.status_code >= 400:
        await pending.aconfirm()
    return response


async def _receive(
    request: Request,
    reception: Reception,
    accepts: Mapping[str, Receive],
    pending: PendingKey | None,
) -> Response[Any]:
    caller = intake_caller(request)
    refused = too_large(request, reception.max_body_bytes(caller))
    if refused is not None:
        return refused
    media, params = split_header(request.headers.get("content-type"))
    receive = accepts.get(media)
    if receive is None:
        return unsupported(media, accepts)
    confirm = pending.confirm if pending is not None else None
    return receipt_response(await receive(request.stream(), params, caller, confirm))


class IntakeController(Controller):
    """Client systems deliver documents (scope ``intake``)."""

    tags: ClassVar[list[str]] = ["intake"]

    @post(
        "/oio/dokument",
        operation_id="deliverEnvelope",
        summary="Deliver a document as an urn:sagshub:intake:1 envelope",
        description="The envelope alone (application/xml, files inline), or as one part of a "
        "multipart/related (or multipart/form-data) request whose other parts are the files "
        "its cid: references name. See docs/intake.md.",
        request_max_body_size=None,
        responses=RECEIPT_RESPONSES,
        opt={LATE_CONFIRMATION: True},
        operation_class=streamed_body(
            "the envelope, or the envelope and its files",
            {
                "application/xml": BINARY,
                "multipart/related": form({ENVELOPE_FIELD: BINARY}),
                "multipart/form-data": form({ENVELOPE_FIELD: BINARY}),
            },
        ),
    )
    async def deliver_envelope(self, request: Request, reception: ReceptionDep) -> Response[Any]:
        def with_parts(
            body: Body, params: Params, caller: Caller, confirm: Confirm | None
        ) -> Awaitable[Receipt]:
            boundary, start = params.get("boundary", ""), params.get("start")
            return reception.envelope_with_parts(body, boundary, start, caller, confirm=confirm)

        def alone(
            body: Body, params: Params, caller: Caller, confirm: Confirm | None
        ) -> Awaitable[Receipt]:
            return reception.envelope(body, caller, confirm=confirm)

        accepts = dict.fromkeys(XML_TYPES, alone) | dict.fromkeys(MULTIPART_TYPES, with_parts)
        return await deliver(request, reception, accepts)

    @post(
        "/api/documents",
        operation_id="deliverDocument",
        summary="Deliver a document as JSON metadata and files",
        description="multipart/form-data: a field 'metadata' (JSON, sent first) and one file "
        "field per part, named as the part's 'file' says. See docs/intake.md.",
        request_max_body_size=None,
        responses=RECEIPT_RESPONSES,
        opt={LATE_CONFIRMATION: True},
        operation_class=streamed_body(
            "the metadata and the files",
            {"multipart/form-data": form({METADATA_FIELD: METADATA_SCHEMA})},
        ),
    )
    async def deliver_document(self, request: Request, reception: ReceptionDep) -> Response[Any]:
        def form_data(
            body: Body, params: Params, caller: Caller, confirm: Confirm | None
        ) -> Awaitable[Receipt]:
            return reception.documents(body, params.get("boundary", ""), caller, confirm=confirm)

        accepts = {"multipart/form-data": form_data}
        return await deliver(request, reception, accepts)
