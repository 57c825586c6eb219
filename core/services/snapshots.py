"""Assembling locked copies of cases and documents from one unit of work.

Used by the reads (which audit them) and by the change recorder (which stores them
as versions, inside the transaction that changed the case).
"""

from __future__ import annotations

from core.models import Case, Document, utcnow
from core.services.loading import require_municipality
from ports.persistence import UnitOfWork
from ports.snapshots import CaseSnapshot, DocumentSnapshot


def case_snapshot(uow: UnitOfWork, case: Case) -> CaseSnapshot:
    """Everything on ``case`` as this unit of work sees it now."""
    links = uow.documents.links_for_case(case.id)
    document_ids = dict.fromkeys(link.document_id for link in links)
    return CaseSnapshot(
        municipality=require_municipality(uow),
        case=case,
        caseworker=uow.caseworkers.get(case.caseworker_id) if case.caseworker_id else None,
        parties=uow.parties.get_many([p.party_id for p in case.parties]),
        activities=uow.activities.list_for_case(case.id),
        documents=[d for d in map(uow.documents.get, document_ids) if d is not None],
        links=links,
        journal_notes=uow.journal.list_for_case(case.id),
        placements=uow.placements.list_for_case(case.id),
        taken_at=utcnow(),
    )


def document_snapshot(uow: UnitOfWork, document: Document) -> DocumentSnapshot:
    """``document`` with the links that put it on cases, and its parties."""
    return DocumentSnapshot(
        municipality=require_municipality(uow),
        document=document,
        links=uow.documents.links_for_document(document.id),
        parties=uow.parties.get_many(document.party_ids),
    )
