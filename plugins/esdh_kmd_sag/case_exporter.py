"""The hub's cases as KMD Sag cases (OIO Sag v6 Opret / Ret, found again with Soeg).

The copy's ``BrugervendtNoegle`` is the hub case id, so an export that lost KMD's uuid
finds its copy again; its ``Sagsnummer`` is the hub case number, so documents fetched
from the case find their way back to the hub case.
"""

from __future__ import annotations

from lxml import etree

from core.models import CaseStatus
from plugins.esdh_common.errors import EsdhError
from plugins.esdh_kmd_sag.client import SYSTEM, KmdSagClient
from plugins.esdh_kmd_sag.oio import SD, relation, sub
from plugins.esdh_kmd_sag.settings import KmdSagUrns
from ports.integrations import ExportResult
from ports.snapshots import CaseSnapshot

TITLE_MAX = 255


def find_by_key(client: KmdSagClient, service, key: str) -> str | None:
    """The uuid of the one object whose ``BrugervendtNoegle`` is ``key``, if any."""
    ns = client.namespace(service)
    request = client.request(service, "Soeg")
    sub(sub(sub(request, ns, "AttributListe"), ns, "Egenskaber"), ns, "BrugervendtNoegle", key)
    sub(request, ns, "TilstandListe")
    sub(request, ns, "RelationListe")
    answer = client.call(service, "Soeg", request, read=True)
    found = sorted(
        set(answer.xpath(".//sd:IdListe/sd:UUIDIdentifikator/text()", namespaces={"sd": SD}))
    )
    if len(found) > 1:
        raise EsdhError(
            f"{len(found)} KMD objects carry the hub id {key}; merge them",
            system=SYSTEM,
            operation=f"{service}.Soeg",
            retryable=False,
            kind="ambiguous",
        )
    return found[0] if found else None


class KmdSagCaseExporter:
    def __init__(self, client: KmdSagClient, urns: KmdSagUrns) -> None:
        self._client = client
        self._urns = urns

    def export_case(self, snapshot: CaseSnapshot, *, external_id: str | None) -> ExportResult:
        known = external_id or self.find(str(snapshot.case.id))
        operation = "Opret" if known is None else "Ret"
        request = self._client.request("sag", operation)
        if known is not None:
            sub(request, SD, "UUIDIdentifikator", known)
        self._lists(request, snapshot)
        answer = self._client.call("sag", operation, request, read=False)
        if known is not None:
            return ExportResult(external_id=known, created=False)
        return ExportResult(external_id=answer.findtext(f"{{{SD}}}UUIDIdentifikator"), created=True)

    def find(self, hub_case_id: str) -> str | None:
        return find_by_key(self._client, "sag", hub_case_id)

    def _lists(self, request: etree._Element, snapshot: CaseSnapshot) -> None:
        ns, case, urns = self._client.namespace("sag"), snapshot.case, self._urns
        properties = sub(sub(request, ns, "AttributListe"), ns, "Egenskaber")
        sub(properties, ns, "BrugervendtNoegle", str(case.id))
        sub(properties, ns, "Sagsnummer", case.number)
        sub(properties, ns, "Titel", case.title[:TITLE_MAX])
        progress = sub(sub(request, ns, "TilstandListe"), ns, "Fremdrift")
        closed = case.status is CaseStatus.CLOSED
        sub(progress, ns, "FremdriftStatusKode", "Afsluttet" if closed else "Opstaaet")
        relations = sub(request, ns, "RelationListe")
        if snapshot.caseworker is not None:
            relation(
                relations,
                ns,
                "Sagsaktoer",
                urn=urns.caseworker + snapshot.caseworker.username,
                role=urns.caseworker_role,
            )
        relation(relations, ns, "Sagsklasse", urn=urns.kle_subject + case.kle_subject)
        relation(relations, ns, "Sagsklasse", urn=urns.kle_facet + case.handlingsfacet)
        for party in snapshot.parties:
            primary = party.id == case.primary_party_id
            role = urns.primary_party_role if primary else urns.other_party_role
            relation(relations, ns, "Sagspart", urn=party.urn, role=role)
