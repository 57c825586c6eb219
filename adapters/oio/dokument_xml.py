"""Document metadata shaped like SF1470 v6 DokumentIndeks (``urn:oio:sts:sagdok:dokumentindeks:6``).

The answer is a ``di:LaesOutput`` (the index's read result): ``StandardRetur`` and one
``FiltreretOejebliksbillede`` with the document's registration — ``Egenskaber`` (title,
letter date, number, type, sensitivity), ``Fremdrift`` (``Modtaget``, then ``Fordelt``
once placed on a case), ``Dokumentaktoer`` (the municipality), ``Dokumentpart`` (each
party by URN) and the sending IT system. DokumentIndeks has no notion of variants and
files, so these, and the cases the document is placed on, travel in sagshub's own
extension (``sh:Varianter``, ``sh:Tilknytninger``) in ``LokalUdvidelseListe``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import get_args

from lxml import etree

from adapters.intake.metadata import DokumentType, Foelsomhed
from adapters.oio.elements import (
    clip,
    detached,
    local_list,
    registration,
    relation,
    standard_retur,
    text,
    timestamp,
    virkning,
)
from adapters.oio.namespaces import DI, NSMAP, SAGSHUB, SD, q
from adapters.oio.sag_xml import SagOptions
from core.models import Document, Part, PartyKind
from ports.snapshots import DocumentSnapshot

PartHref = Callable[[Document, Part], str]
"""Where a client downloads a part's bytes (a URL path)."""

DOCUMENT_TYPES = frozenset(get_args(DokumentType))
SENSITIVITIES = frozenset(get_args(Foelsomhed))


def build_dokument(
    snapshot: DocumentSnapshot,
    options: SagOptions | None = None,
    *,
    part_href: PartHref | None = None,
) -> etree._Element:
    """The document as a ``di:LaesOutput``; with ``options.with_sagshub`` its variants too."""
    options = options or SagOptions()
    root = etree.Element(q(DI, "LaesOutput"), nsmap=NSMAP)
    standard_retur(root)
    picture = etree.SubElement(root, q(DI, "FiltreretOejebliksbillede"))
    objekt = etree.SubElement(picture, q(DI, "ObjektType"))
    text(objekt, SD, "UUIDIdentifikator", str(snapshot.document.id))
    picture.append(build_dokument_registrering(snapshot, options, part_href=part_href))
    return root


def build_dokument_indeks(
    snapshot: DocumentSnapshot, options: SagOptions, *, tag: str
) -> etree._Element:
    """The document as a ``di:DokumentIndeksType`` element named ``tag`` (for Importer)."""
    root = etree.Element(tag, nsmap=NSMAP)
    text(root, SD, "UUIDIdentifikator", str(snapshot.document.id))
    root.append(build_dokument_registrering(snapshot, options))
    return root


def build_dokument_registrering(
    snapshot: DocumentSnapshot, options: SagOptions, *, part_href: PartHref | None = None
) -> etree._Element:
    """One ``di:Registrering``: the document's metadata, states and relations."""
    registrering = registration(
        q(DI, "Registrering"), snapshot.document.received_at, options.registrant.urn
    )
    _attributes(registrering, snapshot, options, part_href)
    _states(registrering, snapshot, options)
    _relations(registrering, snapshot, options)
    return registrering


def _attributes(
    parent: etree._Element,
    snapshot: DocumentSnapshot,
    options: SagOptions,
    part_href: PartHref | None,
) -> None:
    document = snapshot.document
    attributes = etree.SubElement(parent, q(DI, "AttributListe"))
    egenskaber = etree.SubElement(attributes, q(DI, "Egenskaber"))
    virkning(egenskaber, DI, document.received_at, actor=options.registrant.urn)
    if document.document_number:
        text(egenskaber, DI, "BrugervendtNoegle", clip(document.document_number, 50))
    text(egenskaber, DI, "Titel", clip(document.title, 255))
    if len(document.title) > 255:
        text(egenskaber, DI, "Beskrivelse", document.title)
    if document.letter_date:
        text(egenskaber, DI, "BrevDato", document.letter_date.isoformat())
    if document.document_number:
        text(egenskaber, DI, "Dokumentnummer", clip(document.document_number, 50))
    sensitivity = (document.sensitivity or "").upper()
    if sensitivity in SENSITIVITIES:
        text(egenskaber, DI, "Foelsomhed", sensitivity)
    doc_type = document.doc_type if document.doc_type in DOCUMENT_TYPES else "Andet"
    text(egenskaber, DI, "Type", doc_type)
    if options.with_sagshub:
        local_list(attributes, [_variants(document, part_href), _links(snapshot)])


def _states(parent: etree._Element, snapshot: DocumentSnapshot, options: SagOptions) -> None:
    actor = options.registrant.urn
    states = etree.SubElement(parent, q(DI, "TilstandListe"))
    placed = min((link.linked_at for link in snapshot.links), default=None)
    received = etree.SubElement(states, q(DI, "Fremdrift"))
    virkning(received, DI, snapshot.document.received_at, placed, actor=actor)
    text(received, DI, "FremdriftStatusKode", "Modtaget")
    if placed is not None:
        distributed = etree.SubElement(states, q(DI, "Fremdrift"))
        virkning(distributed, DI, placed, actor=actor)
        text(distributed, DI, "FremdriftStatusKode", "Fordelt")


def _relations(parent: etree._Element, snapshot: DocumentSnapshot, options: SagOptions) -> None:
    codes, actor = options.codes, options.registrant.urn
    document, municipality = snapshot.document, snapshot.municipality
    relations = etree.SubElement(parent, q(DI, "RelationListe"))
    owner = detached(DI, "DokumentaktoerLokalUdvidelse")
    text(owner, DI, "FuldtNavn", clip(municipality.name, 255))
    text(owner, DI, "CVR-Nr", municipality.cvr)
    relation(
        relations,
        DI,
        "Dokumentaktoer",
        start=document.received_at,
        actor=actor,
        role=codes.owner_role,
        kind=codes.organisation_type,
        reference=f"urn:oio:cvr-nr:{municipality.cvr}",
        local=[owner],
    )
    for party in snapshot.parties:
        local = []
        if party.name:
            extension = detached(DI, "DokumentpartLokalUdvidelse")
            text(extension, DI, "FuldtNavn", clip(party.name, 255))
            local.append(extension)
        relation(
            relations,
            DI,
            "Dokumentpart",
            start=document.received_at,
            actor=actor,
            kind=codes.person_type if party.kind is PartyKind.PERSON else codes.company_type,
            reference=party.urn,
            local=local,
        )
    holder = etree.Element("holder")
    sender = relation(
        holder,
        DI,
        "DokumentitsystemRelation",
        start=document.received_at,
        actor=actor,
        kind=codes.it_system_type,
        reference=None,
    )
    text(sender, DI, "SystemNavn", document.sender_system)
    local_list(relations, [sender])


def _variants(document: Document, part_href: PartHref | None) -> etree._Element:
    holder = detached(SAGSHUB, "Varianter")
    for variant in document.variants:
        element = etree.SubElement(holder, q(SAGSHUB, "Variant"))
        text(element, SAGSHUB, "Navn", variant.name)
        for part in variant.parts:
            del_ = etree.SubElement(element, q(SAGSHUB, "Del"))
            text(del_, SAGSHUB, "Navn", part.name)
            text(del_, SAGSHUB, "Mimetype", part.mime_type)
            text(del_, SAGSHUB, "Stoerrelse", part.size)
            text(del_, SAGSHUB, "Sha256", part.sha256)
            if part_href is not None:
                text(del_, SAGSHUB, "Href", part_href(document, part))
    return holder


def _links(snapshot: DocumentSnapshot) -> etree._Element:
    holder = detached(SAGSHUB, "Tilknytninger")
    for link in sorted(snapshot.links, key=lambda link: link.linked_at):
        element = etree.SubElement(holder, q(SAGSHUB, "Tilknytning"))
        text(element, SAGSHUB, "SagUUID", str(link.case_id))
        if link.activity_id is not None:
            text(element, SAGSHUB, "AktivitetUUID", str(link.activity_id))
        text(element, SAGSHUB, "Tidspunkt", timestamp(link.linked_at))
    return holder
