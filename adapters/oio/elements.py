"""Small builders for the recurring SagDok structures (Virkning, UnikId, relations)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from lxml import etree

from adapters.oio.namespaces import GD, SD, q

ELLIPSIS = "…"


def text(parent: etree._Element, namespace: str, name: str, value: object) -> etree._Element:
    element = etree.SubElement(parent, q(namespace, name))
    element.text = value if isinstance(value, str) else str(value)
    return element


def clip(value: str, limit: int) -> str:
    """``value`` cut to the schema's maximum length, marked with an ellipsis when cut."""
    return value if len(value) <= limit else value[: limit - 1] + ELLIPSIS


def timestamp(moment: datetime) -> str:
    """An ``xs:dateTime`` in UTC."""
    return moment.astimezone(UTC).isoformat()


def unik_id(parent: etree._Element, namespace: str, name: str, ref: UUID | str) -> None:
    """A ``sd:UnikIdType``: a UUID, or a URN (``urn:oio:cpr-nr:…``) for anything else."""
    holder = etree.SubElement(parent, q(namespace, name))
    if isinstance(ref, UUID):
        text(holder, SD, "UUIDIdentifikator", str(ref))
    else:
        text(holder, SD, "URNIdentifikator", ref)


def _tidspunkt(parent: etree._Element, name: str, moment: datetime | None) -> None:
    holder = etree.SubElement(parent, q(SD, name))
    if moment is None:
        text(holder, SD, "GraenseIndikator", "true")
    else:
        text(holder, SD, "TidsstempelDatoTid", timestamp(moment))


def virkning(
    parent: etree._Element,
    namespace: str,
    start: datetime,
    end: datetime | None = None,
    *,
    actor: str | None = None,
) -> None:
    """A ``Virkning`` (period of effect); an open end is the ``GraenseIndikator`` (infinity).

    ``actor`` is the IT system's URN (``urn:oio:it-system-uuid:…``) that made the change.
    """
    holder = etree.SubElement(parent, q(namespace, "Virkning"))
    _tidspunkt(holder, "FraTidspunkt", start)
    _tidspunkt(holder, "TilTidspunkt", end)
    if actor is not None:
        unik_id(holder, SD, "AktoerRef", actor)
        text(holder, SD, "AktoerTypeKode", "ItSystem")


def relation(
    parent: etree._Element,
    namespace: str,
    name: str,
    *,
    start: datetime,
    reference: UUID | str | None,
    role: UUID | None = None,
    kind: UUID | None = None,
    index: str | None = None,
    actor: str | None = None,
    local: list[etree._Element] | None = None,
) -> etree._Element:
    """A ``gd:RelationType`` element named ``name`` in ``namespace``."""
    element = etree.SubElement(parent, q(namespace, name))
    virkning(element, GD, start, actor=actor)
    if role is not None:
        unik_id(element, GD, "Rolle", role)
    if kind is not None:
        unik_id(element, GD, "Type", kind)
    if index is not None:
        text(element, GD, "Indeks", index)
    if reference is not None:
        unik_id(element, GD, "ReferenceID", reference)
    if local:
        local_list(element, local)
    return element


def local_list(
    parent: etree._Element, extensions: list[etree._Element], *, changed: datetime | None = None
) -> etree._Element:
    """A ``gd:LokalUdvidelseListe`` carrying extension elements of other namespaces."""
    holder = etree.SubElement(parent, q(GD, "LokalUdvidelseListe"))
    holder.extend(extensions)
    if changed is not None:
        text(holder, GD, "SenestAendretTidspunkt", timestamp(changed))
    return holder


def registration(tag: str, moment: datetime, registrant_urn: str | None) -> etree._Element:
    """A ``Registrering`` opened with its time, ``LivscyklusKode`` and registering system.

    SF1470's guidance: a copy the index receives is always ``Importeret``.
    """
    registrering = etree.Element(tag)
    text(registrering, SD, "Tidspunkt", timestamp(moment))
    text(registrering, SD, "LivscyklusKode", "Importeret")
    if registrant_urn is not None:
        unik_id(registrering, SD, "BrugerRef", registrant_urn)
    return registrering


def standard_retur(parent: etree._Element, code: int = 20, message: str = "OK") -> None:
    holder = etree.SubElement(parent, q(SD, "StandardRetur"))
    text(holder, SD, "StatusKode", code)
    text(holder, SD, "FejlbeskedTekst", message)


def detached(namespace: str, name: str) -> etree._Element:
    """A new element not yet in a tree (for extension lists)."""
    return etree.Element(q(namespace, name))
