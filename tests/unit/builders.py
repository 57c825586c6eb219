"""Small builders for unit tests: staged files, deliveries, and a seeded municipality."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from core.intake import IncomingDocument, IncomingVariant, StagedPart
from core.models import (
    Activity,
    Case,
    CaseParty,
    CasePartyRole,
    CaseStatus,
    Caseworker,
    Municipality,
    Party,
    PartyKind,
)
from ports.persistence import UnitOfWorkFactory
from tests.fakes import InMemoryBlobStore

ROSKILDE_CVR = "29188386"
KOEGE_CVR = "29189129"


def stage_part(
    blobs: InMemoryBlobStore,
    data: bytes = b"%PDF-1.7 a letter",
    *,
    name: str = "brev.pdf",
    mime_type: str = "application/pdf",
) -> StagedPart:
    """Write ``data`` through the blob store's writer, as an interface would."""
    writer = blobs.writer(max_bytes=10_000)
    writer.write(data)
    return writer.finish().as_part(name, mime_type)


def incoming(blobs: InMemoryBlobStore, data: bytes = b"%PDF-1.7 a letter", **fields: Any):
    """A delivery with ``data`` staged as one PDF; ``fields`` override the envelope."""
    envelope: dict[str, Any] = {
        "sender_system": "scanning",
        "message_id": f"msg-{uuid4()}",
        "title": "Underretning fra skolen",
    }
    if "variants" not in fields:
        envelope["variants"] = [IncomingVariant(name="arkiv", parts=[stage_part(blobs, data)])]
    return IncomingDocument(**(envelope | fields))


class World:
    """A municipality seeded through committed units of work, as the tests need it."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        name: str = "Roskilde Kommune",
        cvr: str = ROSKILDE_CVR,
    ) -> None:
        self.uow_factory = uow_factory
        self.municipality = Municipality(name=name, cvr=cvr)
        self.id: UUID = self.municipality.id
        self._sequence = 0
        self.add(municipalities=self.municipality)

    def add(self, **rows: Any) -> None:
        """Add rows through the named repositories, e.g. ``add(cases=case)``, and commit."""
        with self.uow_factory(self.id) as uow:
            for repository, row in rows.items():
                getattr(uow, repository).add(row)
            uow.commit()

    def caseworker(self, username: str = "hanne", *, active: bool = True) -> Caseworker:
        worker = Caseworker(
            municipality_id=self.id,
            username=username,
            name=username.title(),
            email=f"{username}@kommune.dk",
            active=active,
        )
        self.add(caseworkers=worker)
        return worker

    def person(self, cpr: str = "0101901234") -> Party:
        party = Party(municipality_id=self.id, kind=PartyKind.PERSON, cpr=cpr, name="Barn")
        self.add(parties=party)
        return party

    def case(
        self,
        party: Party | None = None,
        *,
        status: CaseStatus = CaseStatus.OPEN,
        role: CasePartyRole = CasePartyRole.PRIMARY,
        caseworker: Caseworker | None = None,
    ) -> Case:
        """A case numbered ``27.24.00-G01-9<n>-23`` (a sequence the services never pick)."""
        self._sequence += 1
        case = Case(
            municipality_id=self.id,
            number=f"27.24.00-G01-9{self._sequence}-23",
            title=f"Sag {self._sequence}",
            kle_subject="27.24.00",
            handlingsfacet="G01",
            status=status,
            caseworker_id=caseworker.id if caseworker else None,
            parties=[CaseParty(party_id=party.id, role=role)] if party else [],
        )
        self.add(cases=case)
        return case

    def activity(self, case: Case, title: str = "Børnefaglig undersøgelse") -> Activity:
        activity = Activity(municipality_id=self.id, case_id=case.id, title=title)
        self.add(activities=activity)
        return activity
