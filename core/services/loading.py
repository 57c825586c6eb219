"""Loading what a use case was asked about, or a NotFound that names the caller's field."""

from __future__ import annotations

from uuid import UUID

from core.errors import NotFound
from core.models import Activity, Case, Caseworker, Municipality
from ports.persistence import UnitOfWork


def require_municipality(uow: UnitOfWork) -> Municipality:
    municipality = uow.municipalities.get(uow.municipality_id)
    if municipality is None:
        raise NotFound(f"no municipality {uow.municipality_id}", field="municipality_id")
    return municipality


def require_case(uow: UnitOfWork, case_id: UUID, *, field: str = "case_id") -> Case:
    case = uow.cases.get(case_id)
    if case is None:
        raise NotFound(f"no case with id {case_id}", field=field)
    return case


def require_activity_on(
    uow: UnitOfWork, case: Case, activity_id: UUID, *, field: str = "activity_id"
) -> Activity:
    activity = uow.activities.get(activity_id)
    if activity is None or activity.case_id != case.id:
        raise NotFound(f"no activity {activity_id} on case {case.number}", field=field)
    return activity


def require_caseworker(
    uow: UnitOfWork, caseworker_id: UUID, *, field: str = "caseworker_id"
) -> Caseworker:
    caseworker = uow.caseworkers.get(caseworker_id)
    if caseworker is None:
        raise NotFound(f"no caseworker with id {caseworker_id}", field=field)
    return caseworker


def require_caseworker_named(
    uow: UnitOfWork, username: str, *, field: str = "caseworker"
) -> Caseworker:
    caseworker = uow.caseworkers.get_by_username(username)
    if caseworker is None:
        raise NotFound(f"no caseworker with username {username!r}", field=field)
    return caseworker
