"""Records several use cases write the same way: audit entries, new cases, changes, placements."""

from __future__ import annotations

from uuid import UUID

from core.events import CaseChanged, DocumentPlaced
from core.models import AuditEntry, Case, CaseParty, Placement, utcnow
from core.values import format_case_number
from ports.persistence import UnitOfWork


def audit(
    uow: UnitOfWork, actor: str, action: str, object_type: str, object_id: UUID | None
) -> None:
    """Note who read or changed which case data, in the same transaction as the work."""
    uow.audit.add(
        AuditEntry(
            municipality_id=uow.municipality_id,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
        )
    )


def new_case(
    uow: UnitOfWork,
    *,
    title: str,
    kle_subject: str,
    handlingsfacet: str,
    primary_party_id: UUID | None,
    caseworker_id: UUID | None,
) -> Case:
    """A case numbered with the next free sequence for its KLE parts this year (not yet added).

    Two transactions may pick the same number; the unique number makes the later commit
    conflict, and :func:`core.services.transaction.transact` runs the work again.
    """
    year = utcnow().year
    sequence = uow.cases.next_sequence(kle_subject, handlingsfacet, year)
    return Case(
        municipality_id=uow.municipality_id,
        number=format_case_number(kle_subject, handlingsfacet, sequence, year),
        title=title,
        kle_subject=kle_subject,
        handlingsfacet=handlingsfacet,
        caseworker_id=caseworker_id,
        parties=[CaseParty(party_id=primary_party_id)] if primary_party_id else [],
    )


def case_changed(uow: UnitOfWork, case: Case, change: str, object_id: UUID | None = None) -> None:
    """Store the case with a new ``updated_at`` (what the change feed reads) and record
    :class:`CaseChanged` (created | document | activity | journal_note | status).

    ``object_id`` names the document, activity or journal note the change added: the
    case's next version records only these (see :mod:`ports.history`).
    """
    case.updated_at = utcnow()
    uow.cases.update(case)
    uow.record(
        CaseChanged(
            municipality_id=uow.municipality_id,
            case_id=case.id,
            change=change,
            object_id=object_id,
        )
    )


def record_placement(uow: UnitOfWork, placement: Placement) -> None:
    """Store where a document went and why, and record :class:`DocumentPlaced`."""
    uow.placements.add(placement)
    uow.record(
        DocumentPlaced(
            municipality_id=uow.municipality_id,
            document_id=placement.document_id,
            placement_id=placement.id,
            target=placement.target,
            case_id=placement.case_id,
            activity_id=placement.activity_id,
            caseworker_id=placement.caseworker_id,
            rule=placement.rule,
        )
    )
