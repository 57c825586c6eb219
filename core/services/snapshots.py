"""Assembling locked copies of cases and documents from one unit of work.

Used by the reads (which audit them), by the change recorder (which stores a case's
head as its next version, inside the transaction that changed the case) and by the
case history (which rebuilds a registered version from its head and children ids).
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from core.models import Case, Caseworker, Document, utcnow
from core.services.loading import require_municipality
from ports.history import CaseDelta, CaseHead
from ports.persistence import UnitOfWork
from ports.snapshots import CaseSnapshot, DocumentSnapshot


def case_head(uow: UnitOfWork, case: Case) -> CaseHead:
    """The parts of ``case`` a change can alter in place, as this unit of work sees them now."""
    return case_heads(uow, [case])[0]


def case_heads(uow: UnitOfWork, cases: Sequence[Case]) -> list[CaseHead]:
    """:func:`case_head` of each case, with one read of all their parties."""
    municipality = require_municipality(uow)
    party_ids = list(dict.fromkeys(p.party_id for case in cases for p in case.parties))
    parties = {party.id: party for party in uow.parties.get_many(party_ids)}
    caseworkers: dict[UUID, Caseworker | None] = {}
    for case in cases:
        if case.caseworker_id is not None and case.caseworker_id not in caseworkers:
            caseworkers[case.caseworker_id] = uow.caseworkers.get(case.caseworker_id)
    taken_at = utcnow()
    return [
        CaseHead(
            municipality=municipality,
            case=case,
            caseworker=caseworkers[case.caseworker_id] if case.caseworker_id else None,
            parties=[parties[p.party_id] for p in case.parties if p.party_id in parties],
            taken_at=taken_at,
        )
        for case in cases
    ]


def case_snapshot(uow: UnitOfWork, case: Case) -> CaseSnapshot:
    """Everything on ``case`` as this unit of work sees it now."""
    return _with_children(uow, case_head(uow, case), None)


def registered_snapshot(uow: UnitOfWork, head: CaseHead, children: CaseDelta) -> CaseSnapshot:
    """The case of ``head`` with only the children ``children`` names, in the order
    :func:`case_snapshot` gives them (children are never changed once added)."""
    return _with_children(uow, head, children)


def _with_children(uow: UnitOfWork, head: CaseHead, only: CaseDelta | None) -> CaseSnapshot:
    case_id = head.case.id
    links = uow.documents.links_for_case(case_id)
    activities = uow.activities.list_for_case(case_id)
    journal_notes = uow.journal.list_for_case(case_id)
    placements = uow.placements.list_for_case(case_id)
    if only is not None:
        kept_links = set(only.links)
        links = [link for link in links if (link.document_id, link.activity_id) in kept_links]
        kept = set(only.activities) | set(only.journal_notes) | set(only.placements)
        activities = [a for a in activities if a.id in kept]
        journal_notes = [n for n in journal_notes if n.id in kept]
        placements = [p for p in placements if p.id in kept]
    document_ids = dict.fromkeys(link.document_id for link in links)
    return CaseSnapshot(
        municipality=head.municipality,
        case=head.case,
        caseworker=head.caseworker,
        parties=head.parties,
        taken_at=head.taken_at,
        activities=activities,
        documents=[d for d in map(uow.documents.get, document_ids) if d is not None],
        links=links,
        journal_notes=journal_notes,
        placements=placements,
    )


def document_snapshot(uow: UnitOfWork, document: Document) -> DocumentSnapshot:
    """``document`` with the links that put it on cases, and its parties."""
    return DocumentSnapshot(
        municipality=require_municipality(uow),
        document=document,
        links=uow.documents.links_for_document(document.id),
        parties=uow.parties.get_many(document.party_ids),
    )
