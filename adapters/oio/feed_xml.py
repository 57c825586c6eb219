"""The change feed as XML (sagshub's own ``sh:Aendringer``; SF1470 has no feed)."""

from __future__ import annotations

from lxml import etree

from adapters.oio.elements import text, timestamp
from adapters.oio.namespaces import SAGSHUB, q
from ports.history import ChangePage


def build_feed(page: ChangePage) -> etree._Element:
    root = etree.Element(q(SAGSHUB, "Aendringer"), nsmap={"sh": SAGSHUB})
    for change in page.changes:
        entry = etree.SubElement(root, q(SAGSHUB, "Aendring"))
        text(entry, SAGSHUB, "Cursor", change.cursor)
        text(entry, SAGSHUB, "SagUUID", str(change.case_id))
        text(entry, SAGSHUB, "Version", change.version)
        text(entry, SAGSHUB, "Aendringstype", change.change)
        text(entry, SAGSHUB, "Registreringstidspunkt", timestamp(change.registered_at))
    text(root, SAGSHUB, "NaesteCursor", page.next_cursor)
    text(root, SAGSHUB, "Flere", "true" if page.more else "false")
    return root
