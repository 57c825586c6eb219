"""XML from outside the hub is hostile: no entities, no network, no DTD, bounded size."""

from __future__ import annotations

from lxml import etree


class UntrustedXml(ValueError):
    """The bytes are not XML the hub accepts."""


def parse_untrusted(data: bytes, *, max_bytes: int = 200 * 1024 * 1024) -> etree._Element:
    if len(data) > max_bytes:
        raise UntrustedXml(f"the XML is larger than {max_bytes} bytes")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise UntrustedXml(f"not well-formed XML: {error}") from None
    if root.getroottree().docinfo.doctype:
        raise UntrustedXml("a DOCTYPE is not accepted")
    return root
