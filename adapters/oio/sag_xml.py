"""A locked copy of a case as an SF1470 v6 ``sag:Sag`` (``urn:oio:sts:sagdok:sag:6``).

One ``Registrering`` holds the case as registered at the snapshot's ``taken_at``:

- ``AttributListe/Egenskaber``: case number, title (full title in ``Beskrivelse`` when it is
  longer than the schema's 255 characters), plus the index's ``SagIndeksEgenskaber``;
- ``TilstandListe/Fremdrift``: ``Opstaaet`` from creation, ``Afsluttet`` from closing;
- ``RelationListe``: ``Sagsaktoer`` (the municipality as owner, the caseworker as primary
  caseworker), ``Sagsklasse`` (KLE subject and handlingsfacet), ``Sagspart`` (each party by
  its ``urn:oio:cpr-nr:`` / ``urn:oio:cvr-nr:`` URN), ``Journalpost`` for each document on
  the case and each journal note, and the hub as master IT system.

With ``with_sagshub`` the case's activities travel in sagshub's own extension
(``sh:Aktiviteter``) inside the relation list's ``LokalUdvidelseListe``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from uuid import UUID

from lxml import etree

from adapters.oio.codes import Registrant, RelationCodes
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
from adapters.oio.namespaces import GD, NSMAP, SAG, SAGSHUB, SD, SI, q
from core.models import CasePartyRole, CaseStatus, JournalNote, PartyKind
from ports.snapshots import CaseSnapshot

KLE_SUBJECT_URN = "urn:oio:kle:emne:"
KLE_FACET_URN = "urn:oio:kle:handlingsfacet:"
CHILD_WELFARE_SENSITIVITY = "FOELSOMME_PERSONOPLYSNINGER"
EMPTY_REFERENCE = "URN:Empty"
NOTE_LIMIT = 100 * 1024
NOTE_TOO_LARGE = (
    "Dette Journalnotat er for stort til at blive sendt til Sags- og Dokumentindekset, "
    "se dette Journalnotat i {system}"
)


@dataclass(frozen=True)
class SagOptions:
    """What the copy says about who registers it and how much it carries."""

    codes: RelationCodes = field(default_factory=RelationCodes)
    registrant: Registrant = field(default_factory=Registrant)
    sensitivity: str = CHILD_WELFARE_SENSITIVITY
    with_sagshub: bool = False


def build_sag(
    snapshot: CaseSnapshot, options: SagOptions | None = None, *, tag: str = q(SAG, "Sag")
) -> etree._Element:
    """The case as a ``sag:SagType`` element (``sag:Sag`` unless ``tag`` names another)."""
    options = options or SagOptions()
    root = etree.Element(tag, nsmap=NSMAP)
    text(root, SD, "UUIDIdentifikator", str(snapshot.case.id))
    root.append(build_registrering(snapshot, options))
    return root


def build_sag_list(snapshots: Iterable[CaseSnapshot], options: SagOptions | None = None):
    """Several cases as a ``sag:ListOutput`` (one ``FiltreretOejebliksbillede`` each)."""
    options = options or SagOptions()
    root = etree.Element(q(SAG, "ListOutput"), nsmap=NSMAP)
    standard_retur(root)
    for snapshot in snapshots:
        picture = etree.SubElement(root, q(SAG, "FiltreretOejebliksbillede"))
        objekt = etree.SubElement(picture, q(SAG, "ObjektType"))
        text(objekt, SD, "UUIDIdentifikator", str(snapshot.case.id))
        picture.append(build_registrering(snapshot, options))
    return root


def build_registrering(snapshot: CaseSnapshot, options: SagOptions) -> etree._Element:
    """One ``sag:Registrering``: the case as registered at ``snapshot.taken_at``."""
    registrering = registration(q(SAG, "Registrering"), snapshot.taken_at, options.registrant.urn)
    append_lists(registrering, snapshot, options)
    return registrering


def append_lists(parent: etree._Element, snapshot: CaseSnapshot, options: SagOptions) -> None:
    """Append ``AttributListe``, ``TilstandListe`` and ``RelationListe`` (also used by Opdater)."""
    _attributes(parent, snapshot, options)
    _states(parent, snapshot, options)
    _relations(parent, snapshot, options)


def _attributes(parent: etree._Element, snapshot: CaseSnapshot, options: SagOptions) -> None:
    case = snapshot.case
    actor = options.registrant.urn
    attributes = etree.SubElement(parent, q(SAG, "AttributListe"))
    egenskaber = etree.SubElement(attributes, q(SAG, "Egenskaber"))
    virkning(egenskaber, SAG, case.created_at, actor=actor)
    text(egenskaber, SAG, "BrugervendtNoegle", case.number)
    text(egenskaber, SAG, "AfleveretIndikator", "false")
    if len(case.title) > 255:
        text(egenskaber, SAG, "Beskrivelse", case.title)
    text(egenskaber, SAG, "Sagsnummer", case.number)
    text(egenskaber, SAG, "Titel", clip(case.title, 255))

    index = detached(SI, "SagIndeksEgenskaber")
    virkning(index, GD, case.created_at, actor=actor)
    text(index, SI, "Sagsstatus", "Afsluttet" if case.status is CaseStatus.CLOSED else "Aaben")
    text(index, SI, "Foelsomhed", options.sensitivity)
    text(index, SI, "OprettetTidspunkt", timestamp(case.created_at))
    local_list(attributes, [index], changed=case.updated_at)


def _states(parent: etree._Element, snapshot: CaseSnapshot, options: SagOptions) -> None:
    case = snapshot.case
    actor = options.registrant.urn
    states = etree.SubElement(parent, q(SAG, "TilstandListe"))
    opened = etree.SubElement(states, q(SAG, "Fremdrift"))
    virkning(opened, SAG, case.created_at, case.closed_at, actor=actor)
    text(opened, SAG, "FremdriftStatusKode", "Opstaaet")
    if case.status is CaseStatus.CLOSED and case.closed_at is not None:
        closed = etree.SubElement(states, q(SAG, "Fremdrift"))
        virkning(closed, SAG, case.closed_at, actor=actor)
        text(closed, SAG, "FremdriftStatusKode", "Afsluttet")


def _relations(parent: etree._Element, snapshot: CaseSnapshot, options: SagOptions) -> None:
    relations = etree.SubElement(parent, q(SAG, "RelationListe"))
    _actors(relations, snapshot, options)
    _classes(relations, snapshot, options)
    _parties(relations, snapshot, options)
    _journal(relations, snapshot, options)
    extensions = [_it_system(snapshot, options)]
    if options.with_sagshub:
        extensions.append(_activities(snapshot))
    local_list(relations, extensions)


def _actors(relations: etree._Element, snapshot: CaseSnapshot, options: SagOptions) -> None:
    """The municipality as owner and, when there is one, the caseworker as primary caseworker."""
    codes, municipality = options.codes, snapshot.municipality
    actors: list[tuple[UUID, UUID, UUID | str, str | None, str]] = [
        (
            codes.owner_role,
            codes.organisation_type,
            f"urn:oio:cvr-nr:{municipality.cvr}",
            None,
            municipality.name,
        )
    ]
    if snapshot.caseworker is not None:
        worker = snapshot.caseworker
        actors.append(
            (
                codes.primary_caseworker_role,
                codes.user_type,
                worker.id,
                worker.username,
                worker.name,
            )
        )
    for role, kind, reference, key, name in actors:
        extension = detached(SI, "SagsaktoerLokalUdvidelse")
        if key:
            text(extension, SI, "BrugervendtNoegle", clip(key, 50))
        text(extension, SI, "FuldtNavn", clip(name, 255))
        text(extension, SI, "CVR-Nummer", municipality.cvr)
        relation(
            relations,
            SAG,
            "Sagsaktoer",
            start=snapshot.case.created_at,
            actor=options.registrant.urn,
            role=role,
            kind=kind,
            reference=reference,
            local=[extension],
        )


def _classes(relations: etree._Element, snapshot: CaseSnapshot, options: SagOptions) -> None:
    """The KLE subject (primary class) and the handlingsfacet (action class)."""
    codes, case = options.codes, snapshot.case
    classes = (
        (codes.primary_class_role, KLE_SUBJECT_URN, "KLE Emneplan", case.kle_subject),
        (codes.action_class_role, KLE_FACET_URN, "KLE - handlingsfacet", case.handlingsfacet),
    )
    for role, urn, facet, key in classes:
        extension = detached(SI, "SagsklasseLokalUdvidelse")
        text(extension, SI, "Facettitel", facet)
        text(extension, SI, "Klassetitel", key)
        text(extension, SI, "BrugervendtNoegle", key)
        relation(
            relations,
            SAG,
            "Sagsklasse",
            start=case.created_at,
            actor=options.registrant.urn,
            role=role,
            kind=codes.class_type,
            reference=urn + key,
            local=[extension],
        )


def _parties(relations: etree._Element, snapshot: CaseSnapshot, options: SagOptions) -> None:
    codes, case = options.codes, snapshot.case
    roles = {link.party_id: link.role for link in case.parties}
    for party in snapshot.parties:
        primary = roles.get(party.id) is CasePartyRole.PRIMARY
        person = party.kind is PartyKind.PERSON
        local = []
        if party.name:
            extension = detached(SI, "SagspartLokalUdvidelse")
            text(extension, SI, "FuldtNavn", clip(party.name, 255))
            local.append(extension)
        relation(
            relations,
            SAG,
            "Sagspart",
            start=case.created_at,
            actor=options.registrant.urn,
            role=codes.primary_party_role if primary else codes.other_party_role,
            kind=codes.person_type if person else codes.company_type,
            reference=party.urn,
            local=local,
        )


def _journal(relations: etree._Element, snapshot: CaseSnapshot, options: SagOptions) -> None:
    """A ``Journalpost`` per document on the case, then one per journal note, in time order.

    ``Indeks`` is the document's or note's UUID, so it stays put from one copy to the next
    (the index keys a relation by type, role and index). A note's reference is ``URN:Empty``,
    as SF1470's guidance asks; its journal post carries the note itself.
    """
    codes = options.codes
    titles = {document.id: document.title for document in snapshot.documents}
    links = sorted(snapshot.links, key=lambda link: link.linked_at)
    notes = sorted(snapshot.journal_notes, key=lambda note: note.created_at)
    posts = [
        (
            link.linked_at,
            link.document_id,
            link.document_id,
            codes.filed_document_role,
            partial(_document_post, titles.get(link.document_id, "")),
        )
        for link in links
    ] + [
        (
            note.created_at,
            note.id,
            EMPTY_REFERENCE,
            codes.journal_note_role,
            partial(_note_post, note, options),
        )
        for note in notes
    ]
    for start, key, reference, role, fill in posts:
        post = relation(
            relations,
            SAG,
            "Journalpost",
            start=start,
            actor=options.registrant.urn,
            role=role,
            kind=codes.document_type,
            index=str(key),
            reference=reference,
        )
        fill(etree.SubElement(post, q(SAG, "JournalpostEgenskaber")))


def _document_post(title: str, properties: etree._Element) -> None:
    text(properties, SAG, "Dokumenttitel", clip(title, 255))


def _note_post(note: JournalNote, options: SagOptions, properties: etree._Element) -> None:
    notat = etree.SubElement(properties, q(SAG, "JournalnotatEgenskaber"))
    text(notat, SAG, "Titel", clip(note.title, 255))
    encoded = base64.b64encode(note.text.encode())
    if len(encoded) > NOTE_LIMIT:
        placeholder = NOTE_TOO_LARGE.format(system=options.registrant.system_name)
        encoded = base64.b64encode(placeholder.encode())
    text(notat, SAG, "Notat", encoded.decode("ascii"))
    text(notat, SAG, "Format", options.codes.note_format)


def _it_system(snapshot: CaseSnapshot, options: SagOptions) -> etree._Element:
    """The hub as the case's master IT system (``si:SagsitsystemRelation``)."""
    codes, registrant = options.codes, options.registrant
    holder = etree.Element("holder")
    element = relation(
        holder,
        SI,
        "SagsitsystemRelation",
        start=snapshot.case.created_at,
        actor=registrant.urn,
        role=codes.master_role,
        kind=codes.it_system_type,
        reference=registrant.system_uuid,
    )
    text(element, SI, "SystemNavn", registrant.system_name)
    return element


def _activities(snapshot: CaseSnapshot) -> etree._Element:
    holder = detached(SAGSHUB, "Aktiviteter")
    for activity in sorted(snapshot.activities, key=lambda activity: activity.created_at):
        element = etree.SubElement(holder, q(SAGSHUB, "Aktivitet"))
        text(element, SAGSHUB, "UUID", str(activity.id))
        text(element, SAGSHUB, "Titel", activity.title)
        text(element, SAGSHUB, "Art", activity.kind)
        text(element, SAGSHUB, "OprettetTidspunkt", timestamp(activity.created_at))
        for document in snapshot.documents_on(activity.id):
            text(element, SAGSHUB, "DokumentUUID", str(document.id))
    return holder
