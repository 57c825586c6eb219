"""Receipts from Beskedfordeler: a ``Haendelsesbesked`` carrying an SF1601 ``PKO_PostStatus``.

:func:`parse_delivery` reads one delivery (the bare envelope or the
``ModtagBeskedInput`` that wraps it), validated against the official Beskedfordeler
schemas, and returns a :class:`~ports.letters.Receipt`. The ``PKO_PostStatus`` may
sit in ``Beskeddata`` as XML or base64-encoded in a ``Base64`` element.

:func:`judge` decides, without side effects, whether a receipt changes the letter:
a delivery seen before, the same report again, or a report older than (or weaker
than a final one after) the last one applied is ignored. :class:`ReceiptHandler`
applies that decision to a :class:`~ports.letters.ReceiptStore`.
"""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

from lxml import etree

from core.errors import InvalidValue, PayloadRejected
from plugins.eboks.privacy import scrub_cpr
from plugins.eboks.xmlsafe import assert_valid, load_schema, local_texts, parse_untrusted
from ports.letters import Receipt, ReceiptStatus, ReceiptStore

log = logging.getLogger(__name__)

KUVERT_NS = "urn:oio:besked:kuvert:1.0"
STS_NS = "urn:oio:sts:1.0.0"
SAGDOK_NS = "urn:oio:sagdok:3.0.0"
PKO_NS = "http://serviceplatformen.dk/xml/print/PKO_PostStatus/1/types"
ENVELOPE_XSD = Path("beskedfordeler/xsd/Beskedkuvert.xsd")
INPUT_XSD = Path("beskedfordeler/xsd/AnvendersystemOperationer.xsd")
MAX_DELIVERY_BYTES = 4 * 1024 * 1024
DANISH_TIME = ZoneInfo("Europe/Copenhagen")

STATUS_CODES: dict[str, ReceiptStatus] = {
    # Digital Post
    "modtaget digital post": ReceiptStatus.PENDING,
    "afleveret digital post": ReceiptStatus.DELIVERED,
    # remote print
    "afsendt": ReceiptStatus.PENDING,
    "modtaget fjernprint": ReceiptStatus.PENDING,
    "klar": ReceiptStatus.PENDING,
    "afleveret til print og kuvertering": ReceiptStatus.PENDING,
    "opdatering fra postdanmark": ReceiptStatus.PENDING,
    "modtaget postdanmark": ReceiptStatus.DELIVERED,
    # either
    "fejlet": ReceiptStatus.FAILED,
    "tilbagekaldt": ReceiptStatus.FAILED,
}
"""SF1601's ``TransaktionsStatusKode`` values (PKO_PostStatus) and what they mean for a letter."""


class UnknownStatus(InvalidValue):
    """A status code this hub does not know; the receipt is not applied (no guessing)."""


class ReceiptVerdict(StrEnum):
    APPLY = "apply"
    DUPLICATE = "duplicate"
    OUT_OF_ORDER = "out_of_order"
    UNKNOWN_LETTER = "unknown_letter"


class BeskedfordelerSchemas:
    """The official envelope schemas from the standards folder."""

    def __init__(self, standards_dir: Path) -> None:
        self.envelope = load_schema((standards_dir / ENVELOPE_XSD).resolve())
        self.input = load_schema((standards_dir / INPUT_XSD).resolve())


def _envelope(root: etree._Element, schemas: BeskedfordelerSchemas) -> etree._Element:
    if root.tag == f"{{{STS_NS}}}ModtagBeskedInput":
        assert_valid(schemas.input, root, field="delivery")
        return root[0]
    if root.tag == f"{{{KUVERT_NS}}}Haendelsesbesked":
        assert_valid(schemas.envelope, root, field="delivery")
        return root
    raise InvalidValue(
        f"expected a Haendelsesbesked, got {etree.QName(root).localname}", field="delivery"
    )


def _post_status(envelope: etree._Element) -> etree._Element:
    for data in envelope.iterfind(f"{{{KUVERT_NS}}}Beskeddata"):
        for node in data.iter():
            if not isinstance(node.tag, str):
                continue
            name = etree.QName(node).localname
            if name == "PKO_PostStatus":
                return node
            if name == "Base64":
                try:
                    decoded = base64.b64decode((node.text or "").strip(), validate=True)
                except (binascii.Error, ValueError):
                    raise PayloadRejected("Base64 is not base64", field="Beskeddata") from None
                inner = parse_untrusted(decoded, field="Beskeddata", max_bytes=MAX_DELIVERY_BYTES)
                if etree.QName(inner).localname == "PKO_PostStatus":
                    return inner
    raise InvalidValue("Beskeddata holds no PKO_PostStatus", field="Beskeddata")


def _moment(text: str | None, field: str) -> datetime:
    """A timestamp; one without a zone is Danish time (Serviceplatformen's own)."""
    try:
        moment = datetime.fromisoformat((text or "").strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidValue("not a date-time", field=field) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=DANISH_TIME)
    return moment


def parse_delivery(data: bytes, schemas: BeskedfordelerSchemas) -> Receipt:
    """The receipt in one Beskedfordeler delivery.

    :raises PayloadRejected: not (safe) XML. :raises InvalidValue: not a valid envelope
        with a PKO_PostStatus (the field is named); :class:`UnknownStatus` for a status
        code not in :data:`STATUS_CODES`.
    """
    envelope = _envelope(
        parse_untrusted(data, field="delivery", max_bytes=MAX_DELIVERY_BYTES), schemas
    )
    ids = local_texts(envelope.find(f"{{{KUVERT_NS}}}BeskedId"))
    besked_id = ids.get("uuididentifikator") or ids.get("urnidentifikator")
    if not besked_id:
        raise InvalidValue("the delivery has no id", field="BeskedId")
    status = local_texts(_post_status(envelope))
    try:
        message_uuid = UUID(status.get("messageuuid") or status.get("afsendelseidentifikator", ""))
    except ValueError:
        raise InvalidValue("no message uuid", field="PKO_PostStatus.MessageUUID") from None
    code = status.get("transaktionsstatuskode", "")
    meaning = STATUS_CODES.get(code.lower())
    if meaning is None:
        raise UnknownStatus(f"unknown status {code!r}", field="TransaktionsStatusKode")
    error_text = status.get("fejltekst")
    return Receipt(
        receipt_id=besked_id,
        message_uuid=message_uuid,
        status=meaning,
        status_code=code,
        occurred_at=_moment(status.get("transaktionsdatotid"), "TransaktionsDatoTid"),
        channel=status.get("kanalkode", ""),
        transmission_id=status.get("transmissionid"),
        error_code=status.get("fejlkode"),
        error_text=scrub_cpr(error_text) if error_text else None,
    )


def _rank(receipt: Receipt) -> tuple[datetime, int]:
    return receipt.occurred_at, int(receipt.status.is_final)


def judge(receipt: Receipt, latest: Receipt | None, *, seen_before: bool) -> ReceiptVerdict:
    """Whether ``receipt`` should change a letter whose last applied receipt is ``latest``."""
    if seen_before:
        return ReceiptVerdict.DUPLICATE
    if latest is None:
        return ReceiptVerdict.APPLY
    if _rank(receipt) == _rank(latest) and receipt.status_code == latest.status_code:
        return ReceiptVerdict.DUPLICATE
    if _rank(receipt) < _rank(latest) or (latest.status.is_final and not receipt.status.is_final):
        return ReceiptVerdict.OUT_OF_ORDER
    return ReceiptVerdict.APPLY


class ReceiptHandler:
    """Applies receipts to letters through a :class:`ReceiptStore`."""

    def __init__(self, store: ReceiptStore) -> None:
        self.store = store

    def handle(self, receipt: Receipt) -> ReceiptVerdict:
        verdict = judge(
            receipt,
            self.store.latest_receipt(receipt.message_uuid),
            seen_before=self.store.has_receipt(receipt.receipt_id),
        )
        if verdict is ReceiptVerdict.APPLY and not self.store.apply_receipt(receipt):
            verdict = ReceiptVerdict.UNKNOWN_LETTER
        log.info(
            "receipt %s for letter message %s (%s): %s",
            receipt.receipt_id,
            receipt.message_uuid,
            receipt.status_code,
            verdict.value,
        )
        return verdict
