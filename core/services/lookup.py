"""The placement rules' read-only view of a unit of work."""

from __future__ import annotations

from uuid import UUID

from core.models import Activity, Case, Caseworker, Party
from ports.persistence import UnitOfWork


class UowPlacementLookup:
    """Adapts a unit of work's repositories to :class:`core.rules.PlacementLookup`."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def case_by_id(self, case_id: UUID) -> Case | None:
        return self._uow.cases.get(case_id)

    def case_by_number(self, number: str) -> Case | None:
        return self._uow.cases.get_by_number(number)

    def activity(self, activity_id: UUID) -> Activity | None:
        return self._uow.activities.get(activity_id)

    def party_by_cpr(self, cpr: str) -> Party | None:
        return self._uow.parties.get_by_cpr(cpr)

    def open_cases_for_party(self, party_id: UUID) -> list[Case]:
        return self._uow.cases.open_cases_for_party(party_id)

    def caseworker(self, username: str) -> Caseworker | None:
        return self._uow.caseworkers.get_by_username(username)
