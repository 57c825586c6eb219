"""A receipt replayer: plays Beskedfordeler, delivering PKO_PostStatus receipts to the hub.

The envelope is the published sample ``beskedfordeler/externTestBesked.xml`` from the
standards folder with its id and ``Beskeddata`` replaced; every envelope built is
checked against the official schemas before it is delivered.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from lxml import etree

from plugins.eboks.xmlsafe import hardened_parser, load_schema

KUVERT_NS = "urn:oio:besked:kuvert:1.0"
SAGDOK_NS = "urn:oio:sagdok:3.0.0"
STS_NS = "urn:oio:sts:1.0.0"
PKO_NS = "http://serviceplatformen.dk/xml/print/PKO_PostStatus/1/types"


def post_status(
    message_uuid: UUID | str,
    status_code: str,
    at: datetime,
    *,
    kanal: str = "Digital Post",
    transmission_id: str | None = None,
    fejl: tuple[str, str] | None = None,
) -> etree._Element:
    """A ``PKO_PostStatus`` element."""
    root = etree.Element(f"{{{PKO_NS}}}PKO_PostStatus", nsmap={None: PKO_NS})

    def add(name: str, text: str, parent: etree._Element = root) -> etree._Element:
        node = etree.SubElement(parent, f"{{{PKO_NS}}}{name}")
        node.text = text
        return node

    add("TransmissionId", transmission_id or str(uuid4()))
    add("MessageUUID", str(message_uuid))
    add("KanalKode", kanal)
    add("TransaktionsDatoTid", at.isoformat())
    add("TransaktionsStatusKode", status_code)
    if fejl is not None:
        details = add("FejlDetaljer", "")
        details.text = None
        add("FejlKode", fejl[0], details)
        add("FejlTekst", fejl[1], details)
    return root


class ReceiptReplayer:
    """Builds Beskedfordeler deliveries and hands them to ``post`` (an HTTP call)."""

    def __init__(self, standards_dir: Path) -> None:
        folder = standards_dir / "beskedfordeler"
        self.template = etree.parse(str(folder / "externTestBesked.xml"), hardened_parser())
        self.envelope_schema = load_schema((folder / "xsd/Beskedkuvert.xsd").resolve())
        self.input_schema = load_schema((folder / "xsd/AnvendersystemOperationer.xsd").resolve())

    def delivery(
        self,
        status: etree._Element,
        *,
        besked_id: UUID | None = None,
        as_base64: bool = False,
        wrapped: bool = True,
    ) -> bytes:
        """One delivery: the envelope around ``status`` (base64-encoded if asked), wrapped in
        ``ModtagBeskedInput`` unless ``wrapped`` is False."""
        envelope = etree.fromstring(etree.tostring(self.template), hardened_parser())
        envelope.find(f"{{{KUVERT_NS}}}BeskedId/{{{SAGDOK_NS}}}UUIDIdentifikator").text = str(
            besked_id or uuid4()
        )
        data = envelope.find(f"{{{KUVERT_NS}}}Beskeddata")
        data[:] = []
        if as_base64:
            node = etree.SubElement(data, f"{{{KUVERT_NS}}}Base64")
            node.text = base64.b64encode(etree.tostring(status)).decode()
        else:
            data.append(status)
        self._check(self.envelope_schema, envelope)
        if not wrapped:
            return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
        root = etree.Element(f"{{{STS_NS}}}ModtagBeskedInput", nsmap={"sts": STS_NS})
        root.append(envelope)
        self._check(self.input_schema, root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    @staticmethod
    def _check(schema: etree.XMLSchema, element: etree._Element) -> None:
        if not schema.validate(element):
            raise AssertionError(f"the replayer built an invalid envelope: {schema.error_log}")

    def receipts_for(
        self, accepted: Iterable[Any], codes: Sequence[str], start: datetime
    ) -> list[bytes]:
        """One delivery per status code for every letter the fake SF1601 accepted, a
        minute apart, in the order given."""
        deliveries = []
        for letter in accepted:
            for i, code in enumerate(codes):
                status = post_status(
                    letter.message_uuid,
                    code,
                    start + timedelta(minutes=i),
                    kanal=letter.kanal,
                    transmission_id=letter.transmission_id,
                )
                deliveries.append(self.delivery(status))
        return deliveries

    @staticmethod
    def replay(
        deliveries: Sequence[bytes],
        post: Callable[[bytes], Any],
        *,
        repeat: int = 1,
        reverse: bool = False,
    ) -> list[Any]:
        """Deliver each delivery ``repeat`` times, in order or reversed; the answers."""
        order = list(reversed(deliveries)) if reverse else list(deliveries)
        return [post(body) for body in order for _ in range(repeat)]
