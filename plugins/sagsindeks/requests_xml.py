"""The ``importer`` and ``opdater`` entries for a locked copy of a case."""

from __future__ import annotations

from lxml import etree

from adapters.oio.dokument_xml import build_dokument_indeks
from adapters.oio.elements import text, timestamp
from adapters.oio.namespaces import NSMAP, SD, SDI, q
from adapters.oio.sag_xml import SagOptions, append_lists, build_sag
from core.models import Document
from ports.snapshots import CaseSnapshot, DocumentSnapshot


def sag_indeks(snapshot: CaseSnapshot, options: SagOptions) -> etree._Element:
    """``sdi:SagIndeks`` (a ``sag:SagType``) for ``importer``."""
    return build_sag(snapshot, options, tag=q(SDI, "SagIndeks"))


def opdater_sag_indeks(snapshot: CaseSnapshot, options: SagOptions) -> etree._Element:
    """``sdi:OpdaterSagIndeks`` for ``opdater``: the whole copy, as of ``taken_at``."""
    element = etree.Element(q(SDI, "OpdaterSagIndeks"), nsmap=NSMAP)
    text(element, SD, "UUIDIdentifikator", str(snapshot.case.id))
    append_lists(element, snapshot, options)
    text(element, SDI, "Tidspunkt", timestamp(snapshot.taken_at))
    return element


def dokument_indeks(
    snapshot: CaseSnapshot, document: Document, options: SagOptions
) -> etree._Element:
    """``sdi:DokumentIndeks`` for one of the case's documents, for ``importer``."""
    party_ids = set(document.party_ids)
    as_document = DocumentSnapshot(
        municipality=snapshot.municipality,
        document=document,
        links=[link for link in snapshot.links if link.document_id == document.id],
        parties=[party for party in snapshot.parties if party.id in party_ids],
    )
    return build_dokument_indeks(as_document, options, tag=q(SDI, "DokumentIndeks"))
