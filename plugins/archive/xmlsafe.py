"""Reading XML safely and loading the official schemas offline.

An extract handed to ``validate`` comes from outside: its files are parsed without
entity expansion, network or DTD loading, and any DOCTYPE is refused. The official
schemas come from the configured standards folder, which is trusted, but are also
loaded offline: the only outside reference they make (``xml.xsd`` from
``XMLSchema.xsd``) is answered by a small built-in schema of the ``xml:`` attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"
DIARK = "http://www.sa.dk/xmlns/diark/1.0"

_XML_NAMESPACE_SCHEMA = b"""<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="lang" type="xs:language"/>
  <xs:attribute name="space" type="xs:NCName"/>
  <xs:attribute name="base" type="xs:anyURI"/>
  <xs:attribute name="id" type="xs:ID"/>
  <xs:attributeGroup name="specialAttrs">
    <xs:attribute ref="xml:base"/>
    <xs:attribute ref="xml:lang"/>
    <xs:attribute ref="xml:space"/>
    <xs:attribute ref="xml:id"/>
  </xs:attributeGroup>
</xs:schema>"""


class HostileXml(ValueError):
    """A file from outside carries a DOCTYPE, which an archival index never needs."""


class _Offline(etree.Resolver):
    """Answers the W3C ``xml.xsd`` import locally and refuses every other remote fetch."""

    def resolve(self, url, pubid, context):
        if url and url.rstrip("/").endswith("/2001/xml.xsd"):
            return self.resolve_string(_XML_NAMESPACE_SCHEMA, context)
        if url and url.startswith(("http://", "https://", "ftp://")):
            raise HostileXml(f"refused to fetch {url}")
        return None


_NO_POSITION = re.compile(r"\s*\(<string>, line 0\)$")


def describe(error: Exception) -> str:
    """An XML error's message without lxml's empty position suffix."""
    return _NO_POSITION.sub("", str(error))


def _parser(*, trusted: bool) -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_blank_text=False,
    )
    if trusted:
        parser.resolvers.add(_Offline())
    return parser


def _refuse_doctype(tree: etree._ElementTree, path: Path) -> None:
    if tree.docinfo.doctype:
        raise HostileXml(f"{path.name} has a DOCTYPE, which is not allowed")


def parse_untrusted(path: Path) -> etree._ElementTree:
    """Parse a file from an extract; raises ``etree.XMLSyntaxError`` or :class:`HostileXml`."""
    tree = etree.parse(str(path), _parser(trusted=False))
    _refuse_doctype(tree, path)
    return tree


def iterparse_untrusted(
    path: Path, *, tag: str, schema: etree.XMLSchema | None = None
) -> Iterator[etree._Element]:
    """Stream the elements named ``tag`` of a (large) file, validating against ``schema``.

    Each element is cleared once the caller has moved on, and so are the siblings
    before it, so memory stays flat however many rows a table holds.
    """
    events = etree.iterparse(
        str(path),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        schema=schema,
    )
    checked = False
    for event, element in events:
        if not checked:
            _refuse_doctype(element.getroottree(), path)
            checked = True
        if event != "end" or element.tag != tag:
            continue
        yield element
        element.clear(keep_tail=True)
        while element.getprevious() is not None:
            del element.getparent()[0]


def load_trusted_schema(path: Path) -> etree.XMLSchema:
    """Compile an official schema from the configured standards folder."""
    return etree.XMLSchema(etree.parse(str(path), _parser(trusted=True)))


_XS = "{http://www.w3.org/2001/XMLSchema}"
_REFERENCES = (f"{_XS}import", f"{_XS}include", f"{_XS}redefine", f"{_XS}override")


def compile_untrusted_schema(path: Path) -> etree.XMLSchema:
    """Compile a table schema from an extract. A table schema stands alone: one that
    imports or includes another file is refused rather than followed."""
    tree = parse_untrusted(path)
    if any(tree.getroot().iter(*_REFERENCES)):
        raise HostileXml(f"{path.name} imports or includes other schemas")
    return etree.XMLSchema(tree)
