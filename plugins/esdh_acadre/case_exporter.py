"""The hub's cases as locked copies in Acadre (CaseService CreateCase / UpdateCase).

The copy carries the hub case's id as its classification keyword, so the exporter finds
its earlier copy even when the hub lost the Acadre case id (a timeout after Acadre had
created the case), and the hub's case number as the historic case number, so documents
fetched from the copy find their way back to the hub case.
"""

from __future__ import annotations

from typing import Any

from zeep.helpers import serialize_object

from core.models import CaseStatus, utcnow
from plugins.esdh_acadre.client import SYSTEM, AcadreClient
from plugins.esdh_acadre.contacts import AcadreContacts
from plugins.esdh_acadre.settings import AcadreCaseSettings
from plugins.esdh_common.errors import EsdhError
from ports.integrations import ExportResult
from ports.snapshots import CaseSnapshot

PORT = "CaseService7"
NOT_CREATED = "CaseNotCreatedAndListAMCReceived"
UNTOUCHED = frozenset({"Record", "Comment"})
"""What GetCase shows but UpdateCase must not send back: the case's records and comments."""


class AcadreCaseExporter:
    def __init__(self, client: AcadreClient, settings: AcadreCaseSettings) -> None:
        self._client = client
        self._settings = settings
        self._contacts = AcadreContacts(client)

    def export_case(self, snapshot: CaseSnapshot, *, external_id: str | None) -> ExportResult:
        fields = self._case_fields(snapshot)
        known = external_id or self.find(str(snapshot.case.id))
        if known is None:
            return ExportResult(external_id=str(self._create(fields)), created=True)
        self._update(int(known), fields)
        return ExportResult(external_id=known, created=False)

    def find(self, hub_case_id: str) -> str | None:
        """The Acadre case id of the copy of a hub case, if there is one."""
        found = self._client.call(PORT, "AdvancedCaseSearch", Keyword=hub_case_id, read=True)
        ids = sorted({int(case.CaseFileIdentifier) for case in found or []})
        if len(ids) > 1:
            raise _error(
                f"{len(ids)} Acadre cases carry the hub case id {hub_case_id}; merge them",
                "AdvancedCaseSearch",
                "ambiguous",
            )
        return str(ids[0]) if ids else None

    def _create(self, fields: dict[str, Any]) -> int:
        answer = self._client.call(PORT, "CreateCase", CaseFile=fields, read=False)
        if answer.CreateCaseAndAMCResult == NOT_CREATED:
            multi_cases = list(answer.MultiCaseIdentifiers.MultiCaseIdentifier)
            if self._settings.multi_case == "refuse":
                raise _error(
                    f"the primary party has multi-cases {multi_cases}; "
                    "the municipality chose to decide by hand",
                    "CreateCase",
                    "multi_case",
                )
            answer = self._client.call(
                PORT,
                "CreateCase",
                CaseFile=fields,
                MultiCaseIdentifiers={"MultiCaseIdentifier": multi_cases},
                read=False,
            )
        if answer.CaseFileIdentifier is None or answer.CreateCaseAndAMCResult == NOT_CREATED:
            raise _error(
                f"Acadre created no case ({answer.CreateCaseAndAMCResult})",
                "CreateCase",
                "multi_case",
            )
        return int(answer.CaseFileIdentifier)

    def _update(self, case_id: int, fields: dict[str, Any]) -> None:
        """UpdateCase replaces the case: start from what Acadre holds, change ours."""
        current = serialize_object(self._client.call(PORT, "GetCase", case_id, read=True), dict)
        kept = self._client.input_fields(PORT, "UpdateCase") - UNTOUCHED
        merged = {k: v for k, v in current.items() if k in kept and v not in (None, [])}
        merged.update(fields)
        merged["CaseFileIdentifier"] = case_id
        self._client.call(PORT, "UpdateCase", **merged, read=False)

    def _case_fields(self, snapshot: CaseSnapshot) -> dict[str, Any]:
        case, settings = snapshot.case, self._settings
        today = utcnow().date()
        closed = case.status is CaseStatus.CLOSED
        manager = settings.default_case_manager
        if snapshot.caseworker is not None:
            manager = settings.caseworkers.get(snapshot.caseworker.username, manager)
        parties = []
        for party in snapshot.parties:
            primary = party.id == case.primary_party_id
            parties.append(
                {
                    "ContactReference": self._contacts.guid_for(party),
                    "CreationDate": today,
                    "PartyRelationTypeLiteral": (
                        settings.primary_relation if primary else settings.other_relation
                    ),
                    "IsPrimary": primary,
                }
            )
        status = settings.locked_status_code or (
            settings.closed_status_code if closed else settings.open_status_code
        )
        return {
            "CreationDate": case.created_at.date(),
            "CaseFileTitleText": case.title,
            "TitleUnofficialIndicator": False,
            "CaseFileManagerReference": manager,
            "CaseFileNumberHistoricIdentifier": case.number,
            "CaseFileStatusCode": status,
            "CaseFileTypeCode": settings.case_type_code,
            "AccessCode": settings.access_code,
            "AdministrativeUnit": (
                [{"AdministrativeUnitReference": settings.administrative_unit}]
                if settings.administrative_unit is not None
                else []
            ),
            "Classification": {
                "Keyword": str(case.id),
                "Category": [
                    {"Principle": settings.kle_principle, "Literal": case.kle_subject},
                    {"Principle": settings.facet_principle, "Literal": case.handlingsfacet},
                ],
            },
            "Party": parties,
            "ClosedDate": (case.closed_at or snapshot.taken_at).date() if closed else None,
        }


def _error(message: str, operation: str, kind: str) -> EsdhError:
    return EsdhError(message, system=SYSTEM, operation=operation, retryable=False, kind=kind)
