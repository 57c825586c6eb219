"""OIO Sag/DokumentIndeks v6 elements, built and read with lxml.

The body shapes follow ``sf1470/xsd/6.0.STS-0`` (``SagOperationer.xsd``,
``DokumentIndeksOperationer.xsd``) and the common ``urn:oio:sagdok:3.0.0`` types.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

SD = "urn:oio:sagdok:3.0.0"
GD = "urn:oio:sts:generelledefinitioner:6"


def q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def sub(parent: etree._Element, namespace: str, name: str, text: str | None = None):
    element = etree.SubElement(parent, q(namespace, name))
    if text is not None:
        element.text = text
    return element


def relation(
    parent: etree._Element, namespace: str, name: str, *, urn: str, role: str | None = None
) -> etree._Element:
    """A ``gd:RelationType`` child pointing at ``urn`` (a UUID when it looks like one)."""
    element = sub(parent, namespace, name)
    if role is not None:
        sub(sub(element, GD, "Rolle"), SD, "URNIdentifikator", role)
    reference = sub(element, GD, "ReferenceID")
    if _is_uuid(urn):
        sub(reference, SD, "UUIDIdentifikator", urn)
    else:
        sub(reference, SD, "URNIdentifikator", urn)
    return element


def references(element: etree._Element, name: str) -> Iterable[tuple[str | None, str | None]]:
    """(role, reference) of each relation called ``name`` under ``element``."""
    for found in element.iter(f"{{*}}{name}"):
        role = found.findtext(f"{{{GD}}}Rolle/{{{SD}}}URNIdentifikator")
        reference = found.find(f"{{{GD}}}ReferenceID")
        value = None
        if reference is not None:
            value = reference.findtext(f"{{{SD}}}URNIdentifikator") or reference.findtext(
                f"{{{SD}}}UUIDIdentifikator"
            )
        yield role, value


def uuid_of(element: etree._Element) -> str | None:
    return element.findtext(f".//{{{SD}}}UUIDIdentifikator")


def _is_uuid(value: str) -> bool:
    parts = value.split("-")
    return [len(p) for p in parts] == [8, 4, 4, 4, 12]
