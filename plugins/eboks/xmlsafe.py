"""XML helpers shared by the letter plugins: a hardened parser and cached official schemas.

XML from outside is hostile: no entities, no DTD, no network, no huge trees, and a
DOCTYPE is refused outright. Schemas are read from the configured standards folder
and compiled once per path, offline.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

from core.errors import InvalidValue, PayloadRejected

DEFAULT_MAX_XML_BYTES = 2 * 1024 * 1024


def hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_untrusted(
    data: bytes, *, field: str, max_bytes: int = DEFAULT_MAX_XML_BYTES
) -> etree._Element:
    """Parse XML received from outside, or raise :class:`PayloadRejected` naming ``field``."""
    if len(data) > max_bytes:
        raise PayloadRejected(f"the XML is larger than {max_bytes} bytes", field=field)
    try:
        tree = etree.fromstring(data, hardened_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise PayloadRejected(f"not well-formed XML: {exc.msg}", field=field) from None
    if tree.docinfo.doctype:
        raise PayloadRejected("a DOCTYPE is not accepted", field=field)
    return tree.getroot()


@lru_cache(maxsize=16)
def load_schema(path: Path) -> etree.XMLSchema:
    """The compiled schema at ``path`` (an official file from the standards folder)."""
    if not path.is_file():
        raise FileNotFoundError(f"official schema not found: {path} (check the standards folder)")
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def assert_valid(schema: etree.XMLSchema, element: etree._Element, *, field: str) -> None:
    """Raise :class:`InvalidValue` naming ``field`` and the first schema errors."""
    if schema.validate(element):
        return
    errors = "; ".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:3])
    raise InvalidValue(f"does not match the official schema: {errors}", field=field)


def local_texts(element: etree._Element) -> dict[str, str]:
    """The text of every descendant element by lower-cased local name (the first one wins).

    For answers whose exact namespaces are not pinned down by a published schema.
    """
    found: dict[str, str] = {}
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname.lower()
        text = (node.text or "").strip()
        if text and name not in found:
            found[name] = text
    return found
