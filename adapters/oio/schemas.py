"""The SF1470 v6 schemas, compiled from the configured standards folder (never copied here).

``sf1470_schema(standards_dir)`` is the official set as published (the entry point
``SagDokumentIndeksOperationer.xsd`` pulls in Sag, SagIndeks, DokumentIndeks and the
common types). ``sf1470_schema(standards_dir, with_sagshub=True)`` adds sagshub's own
local extension (``xsd/sagshub-oio-udvidelse-1.xsd``), which the pull endpoints put
inside ``LokalUdvidelseListe``; requests to KOMBIT never carry it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from adapters.oio.namespaces import HEADER, SAGSHUB, SDI

SF1470_DIR = "sf1470"
OPERATIONS_XSD = "xsd/6.0.STS-0/SagDokumentIndeksOperationer.xsd"
REQUEST_HEADER_XSD = "xsd/common/RequestHeader.xsd"
WSDL = "SagDokumentIndeksService_6.wsdl"
SAGSHUB_XSD = Path(__file__).with_name("xsd") / "sagshub-oio-udvidelse-1.xsd"


class SchemaError(Exception):
    """An XML document does not validate; the message names the first problems."""


def sf1470_dir(standards_dir: Path) -> Path:
    path = Path(standards_dir) / SF1470_DIR
    if not (path / OPERATIONS_XSD).is_file():
        raise FileNotFoundError(
            f"the SF1470 v6 schemas are not in {path} (set the standards folder)"
        )
    return path


def _schema_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@cache
def _compile(standards_dir: Path, with_sagshub: bool, with_header: bool) -> etree.XMLSchema:
    base = sf1470_dir(standards_dir)
    imports = [(SDI, (base / OPERATIONS_XSD).resolve().as_uri())]
    if with_header:
        imports.append((HEADER, (base / REQUEST_HEADER_XSD).resolve().as_uri()))
    if with_sagshub:
        imports.append((SAGSHUB, SAGSHUB_XSD.resolve().as_uri()))
    wrapper = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{location}"/>' for ns, location in imports
    )
    document = etree.fromstring(
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{wrapper}</xs:schema>',
        _schema_parser(),
        base_url=base.resolve().as_uri() + "/",
    )
    return etree.XMLSchema(document)


def sf1470_schema(
    standards_dir: Path, *, with_sagshub: bool = False, with_header: bool = False
) -> etree.XMLSchema:
    """The compiled SF1470 v6 schema set (cached per folder and options)."""
    return _compile(Path(standards_dir).resolve(), with_sagshub, with_header)


def validate(schema: etree.XMLSchema, element: etree._Element) -> None:
    """Raise :class:`SchemaError` unless ``element`` (as a document root) is valid."""
    if schema.validate(etree.ElementTree(element)):
        return
    problems = "; ".join(
        f"line {error.line}: {error.message}" for error in list(schema.error_log)[:5]
    )
    raise SchemaError(problems)
