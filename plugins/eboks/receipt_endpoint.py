"""The HTTP endpoint Beskedfordeler delivers SF1601 receipts to (mounted by the hub through
``sagshub_route_handlers``).

It answers every delivery with a ``ModtagBeskedOutput``/``StandardRetur``:

- 20: taken (applied, or ignored as a duplicate, a late repeat, a letter this hub did not
  send, or a status code it does not know; delivering it again would change nothing);
- 40 (HTTP 400): not a valid delivery;
- 50 (HTTP 500): the hub could not store it now; Beskedfordeler delivers it again later.

:func:`receipt_router` is given callables for the
:class:`~ports.letters.ReceiptStore` and the
:class:`~plugins.eboks.receipts.BeskedfordelerSchemas`. Who may call it (Beskedfordeler's client
certificate) is checked in front of the hub, not here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import anyio.to_thread
from litestar import Request, Response, Router, post
from lxml import etree

from core.errors import DomainError
from plugins.eboks.receipts import (
    MAX_DELIVERY_BYTES,
    SAGDOK_NS,
    STS_NS,
    BeskedfordelerSchemas,
    ReceiptHandler,
    UnknownStatus,
    parse_delivery,
)
from ports.letters import ReceiptStore

log = logging.getLogger(__name__)

RECEIPTS_PATH = "/plugins/eboks/receipts"


def standard_retur(status_code: int, text: str) -> bytes:
    """A ``ModtagBeskedOutput`` with its ``StandardRetur``."""
    root = etree.Element(f"{{{STS_NS}}}ModtagBeskedOutput", nsmap={"sts": STS_NS, None: SAGDOK_NS})
    retur = etree.SubElement(root, f"{{{SAGDOK_NS}}}StandardRetur")
    etree.SubElement(retur, f"{{{SAGDOK_NS}}}StatusKode").text = str(status_code)
    etree.SubElement(retur, f"{{{SAGDOK_NS}}}FejlbeskedTekst").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _answer(status_code: int, text: str, http_status: int = 200) -> Response[bytes]:
    return Response(
        standard_retur(status_code, text), status_code=http_status, media_type="application/xml"
    )


def take_delivery(
    body: bytes,
    store_of: Callable[[], ReceiptStore],
    schemas_of: Callable[[], BeskedfordelerSchemas],
) -> Response[bytes]:
    """Parse, judge and store one delivery; the StandardRetur answer."""
    try:
        store, schemas = store_of(), schemas_of()
    except Exception:
        log.exception("receipts cannot be taken now")
        return _answer(50, "receipts cannot be taken now; deliver it again", http_status=500)
    try:
        receipt = parse_delivery(body, schemas)
    except UnknownStatus as exc:
        log.warning("receipt ignored: %s", exc)
        return _answer(20, f"OK, ignored: {exc.message}")
    except DomainError as exc:
        return _answer(40, str(exc), http_status=400)
    try:
        verdict = ReceiptHandler(store).handle(receipt)
    except Exception:
        log.exception("receipt %s could not be stored", receipt.receipt_id)
        return _answer(50, "the receipt could not be stored; deliver it again", http_status=500)
    return _answer(20, f"OK ({verdict.value})")


def receipt_router(
    store: Callable[[], ReceiptStore],
    schemas: Callable[[], BeskedfordelerSchemas],
    *,
    path: str = RECEIPTS_PATH,
) -> Router:
    """The receipt endpoint at ``path``; ``store`` and ``schemas`` are called per delivery
    (so the hub may bind them after the routes are collected)."""

    @post(
        "/",
        status_code=200,
        request_max_body_size=MAX_DELIVERY_BYTES,
        summary="Receive an SF1601 receipt (PKO_PostStatus) from Beskedfordeler",
    )
    async def receive_receipt(request: Request) -> Response[bytes]:
        body = await request.body()
        return await anyio.to_thread.run_sync(take_delivery, body, store, schemas)

    return Router(path=path, route_handlers=[receive_receipt])
