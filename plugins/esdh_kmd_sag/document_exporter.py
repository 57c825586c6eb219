"""The hub's documents as KMD documents (OIO DokumentIndeks v6 Opret / Ret).

The file travels in a ``LokalUdvidelseListe`` as ``fil:Fil`` (our own schema,
``sagshub-kmd-fil.xsd``): the OIO index schema has no element for it. The document is
tied to its KMD case with a ``Dokumentrelation`` in the case role.
"""

from __future__ import annotations

import base64

from lxml import etree

from plugins.esdh_common.documents import first_exported_case, main_part
from plugins.esdh_kmd_sag.case_exporter import TITLE_MAX, KmdSagCaseExporter, find_by_key
from plugins.esdh_kmd_sag.client import SYSTEM, KmdSagClient
from plugins.esdh_kmd_sag.oio import GD, SD, relation, sub
from plugins.esdh_kmd_sag.settings import KmdSagSettings
from ports.integrations import ExportResult, OpenPart
from ports.snapshots import DocumentSnapshot

DOCUMENT_TYPES = frozenset(
    {
        "Faktura",
        "Brev, indgaaende",
        "Brev, udgaaende",
        "Brev",
        "Internt Notat",
        "Eksternt Notat",
        "Rapport",
        "Dagsorden",
        "Plan",
        "Andet",
    }
)


class KmdSagDocumentExporter:
    def __init__(
        self, client: KmdSagClient, settings: KmdSagSettings, cases: KmdSagCaseExporter
    ) -> None:
        self._client = client
        self._settings = settings
        self._cases = cases

    def export_document(
        self, snapshot: DocumentSnapshot, open_part: OpenPart, *, external_id: str | None
    ) -> ExportResult:
        case_uuid = first_exported_case(
            snapshot, self._cases.find, system=SYSTEM, operation="dokument.Opret"
        )
        known = external_id or find_by_key(self._client, "dokument", str(snapshot.document.id))
        operation = "Opret" if known is None else "Ret"
        request = self._client.request("dokument", operation)
        if known is not None:
            sub(request, SD, "UUIDIdentifikator", known)
        self._lists(request, snapshot, open_part, case_uuid)
        answer = self._client.call("dokument", operation, request, read=False)
        if known is not None:
            return ExportResult(external_id=known, created=False)
        return ExportResult(external_id=answer.findtext(f"{{{SD}}}UUIDIdentifikator"), created=True)

    def _lists(
        self,
        request: etree._Element,
        snapshot: DocumentSnapshot,
        open_part: OpenPart,
        case_uuid: str,
    ) -> None:
        ns, document, urns = (
            self._client.namespace("dokument"),
            snapshot.document,
            self._settings.urns,
        )
        part = main_part(document)
        with open_part(part.sha256) as stream:
            content = stream.read()
        attributes = sub(request, ns, "AttributListe")
        properties = sub(attributes, ns, "Egenskaber")
        sub(properties, ns, "BrugervendtNoegle", str(document.id))
        sub(properties, ns, "Titel", document.title[:TITLE_MAX])
        if document.letter_date is not None:
            sub(properties, ns, "BrevDato", document.letter_date.isoformat())
        if document.document_number:
            sub(properties, ns, "Dokumentnummer", document.document_number[:50])
        sub(
            properties,
            ns,
            "Type",
            document.doc_type if document.doc_type in DOCUMENT_TYPES else "Andet",
        )
        extension = sub(attributes, GD, "LokalUdvidelseListe")
        fil_ns = self._settings.file_namespace
        file = sub(extension, fil_ns, "Fil")
        sub(file, fil_ns, "Filnavn", part.name)
        sub(file, fil_ns, "MimeType", part.mime_type)
        sub(file, fil_ns, "Indhold", base64.b64encode(content).decode("ascii"))
        progress = sub(sub(request, ns, "TilstandListe"), ns, "Fremdrift")
        sub(progress, ns, "FremdriftStatusKode", "Endeligt")
        relations = sub(request, ns, "RelationListe")
        relation(relations, ns, "Dokumentrelation", urn=case_uuid, role=urns.case_role)
        for party in snapshot.parties:
            relation(relations, ns, "Dokumentpart", urn=party.urn)
