"""intake-1.xsd and the JSON metadata model say the same, and follow SF1470 where they borrow."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import get_args
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from adapters.intake.delivery import Delivery
from adapters.intake.limits import IntakeLimits
from adapters.intake.metadata import DokumentType, Foelsomhed, IntakeChannel, parse_metadata_json
from adapters.intake.schema import INTAKE_XSD
from adapters.intake.staging import DeliveryStaging
from adapters.intake.xml_envelope import parse_envelope
from core.errors import InvalidValue

from .envelopes import envelope
from .test_metadata_json import metadata

STANDARDS = Path(
    os.environ.get(
        "SAGSHUB_STANDARDS_DIR", Path(__file__).parents[2] / ".." / "shared" / "standards"
    )
)


def enumeration(schema: etree._ElementTree, type_name: str, prefix: str = "xs") -> list[str]:
    path = f"//{prefix}:simpleType[@name='{type_name}']//{prefix}:enumeration/@value"
    namespaces = {prefix: "http://www.w3.org/2001/XMLSchema"}
    return schema.xpath(path, namespaces=namespaces)


@pytest.fixture(scope="module")
def intake_xsd() -> etree._ElementTree:
    return etree.parse(str(INTAKE_XSD))


@pytest.mark.parametrize(
    ("xsd_type", "literal"),
    [
        ("ChannelType", IntakeChannel),
        ("DokumentTypeType", DokumentType),
        ("FoelsomhedType", Foelsomhed),
    ],
)
def test_enumerations_match_the_json_model(intake_xsd, xsd_type, literal):
    assert enumeration(intake_xsd, xsd_type) == list(get_args(literal))


@pytest.mark.parametrize(
    ("ours", "theirs"), [("DokumentTypeType", "Type"), ("FoelsomhedType", "FoelsomhedType")]
)
def test_borrowed_enumerations_are_sf1470s(intake_xsd, ours, theirs):
    official = STANDARDS / "sf1470" / "xsd" / "6.0.STS-0" / "DokumentIndeks.xsd"
    if not official.exists():
        pytest.skip(f"the official schemas are not at {STANDARDS}")
    sf1470 = etree.parse(str(official), etree.XMLParser(resolve_entities=False, no_network=True))
    assert enumeration(intake_xsd, ours) == enumeration(sf1470, theirs, prefix="x")


def xml_accepts(replace: tuple[bytes, bytes], staging) -> bool:
    try:
        parse_envelope(envelope().replace(*replace), staging)
    except InvalidValue:
        return False
    return True


def json_accepts(path: tuple, value: str, staging) -> bool:
    data = metadata()
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    try:
        Delivery(parse_metadata_json(json.dumps(data)), staging)
    except InvalidValue:
        return False
    return True


CASES = [
    ("FileName", "brev.pdf", ("variants", 0, "parts", 0, "file_name")),
    ("System", "scanner-01", ("sender", "system")),
    ("MessageId", "msg-1", ("sender", "message_id")),
    ("Name", "arkiv", ("variants", 0, "name")),
    ("MimeType", "application/pdf", ("variants", 0, "parts", 0, "mime_type")),
    ("Titel", "Underretning fra skolen", ("document", "titel")),
]
UNCHECKED_TYPES = frozenset({"pdf", "application/vnd.sagshub.test-1+json"})

OK, BAD = True, False
VALUES = {
    "FileName": [
        ("a.pdf", OK),
        ("æøå brev.pdf", OK),
        (".hidden", OK),
        ("...x", OK),
        ("x" * 255, OK),
        (".", BAD),
        ("..", BAD),
        ("a/b", BAD),
        ("a\\b", BAD),
        ("x" * 256, BAD),
        ("tab\tname", BAD),
        ("\u0085x", BAD),
    ],
    "System": [
        ("esdh.acadre:7", OK),
        ("a", OK),
        ("x" * 100, OK),
        ("-a", BAD),
        ("a b", BAD),
        ("x" * 101, BAD),
    ],
    "MessageId": [("2024/000-1", OK), ("x" * 255, OK), ("a b", BAD), ("ø", BAD), ("x" * 256, BAD)],
    "Name": [
        ("produktion", OK),
        ("PDF 2", OK),
        ("x" * 64, OK),
        (" a", BAD),
        ("a/b", BAD),
        ("x" * 65, BAD),
    ],
    "MimeType": [
        ("application/pdf", OK),
        ("text/plain; charset=utf-8", OK),
        ('text/plain;charset="utf-8"', OK),
        ("text/plain\t;\tcharset=utf-8", OK),
        ("application/vnd.sagshub.test-1+json", OK),
        ("pdf", BAD),
        ("text/plain;", BAD),
        ("text/plain; charset", BAD),
        (" application/pdf", BAD),
    ],
    "Titel": [
        ("x", OK),
        (" x ", OK),
        ("x" * 255, OK),
        ("   ", BAD),
        ("x" * 256, BAD),
        ("two\nlines", BAD),
    ],
}


@pytest.mark.parametrize(
    ("element", "value", "expected", "path"),
    [(element, *pair, path) for element, _, path in CASES for pair in VALUES[element]],
)
def test_xsd_and_json_model_agree_on_values(element, value, expected, path, blobs):
    # Any well-formed mime type passes the content check here, so only the form decides.
    staging = DeliveryStaging(blobs, IntakeLimits(allowed_unknown_types=UNCHECKED_TYPES))
    original = {e: v for e, v, _ in CASES}[element]
    replace = (
        f"<{element}>{original}</{element}>".encode(),
        f"<{element}>{escape(value)}</{element}>".encode(),
    )
    assert xml_accepts(replace, staging) is expected
    assert json_accepts(path, value, staging) is expected


def test_the_schema_ships_inside_the_package():
    # adapters/intake/schema is a package, so pyproject's package-data "*.xsd" takes the file.
    assert INTAKE_XSD.parent.joinpath("__init__.py").is_file()
    assert etree.XMLSchema(etree.parse(str(INTAKE_XSD))).validate(
        etree.fromstring(envelope().split(b"?>", 1)[1])
    )
