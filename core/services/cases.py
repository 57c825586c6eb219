"""Case use cases: create, add activities and notes, close, read (snapshots, search).

Every read of case or document data writes an :class:`AuditEntry` in the same unit
of work as the read; so do changes, which also record :class:`CaseChanged`.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from core.errors import InvalidValue, NotFound
from core.models import Activity, Case, CaseStatus, JournalNote, utcnow
from core.services.loading import (
    require_activity_on,
    require_case,
    require_caseworker,
    require_caseworker_named,
)
from core.services.parties import find_or_new
from core.services.records import audit, case_changed, new_case
from core.services.snapshots import case_snapshot, document_snapshot
from core.services.transaction import TransactionalService
from core.values import Cpr, Handlingsfacet, KleSubject, parse_case_number, parse_cpr
from ports.persistence import UnitOfWork
from ports.snapshots import CaseSnapshot, DocumentSnapshot


class NewCase(BaseModel):
    """What a caller gives to open a case; the number is generated."""

    title: str = Field(min_length=1, max_length=500)
    kle_subject: KleSubject
    handlingsfacet: Handlingsfacet
    primary_cpr: Cpr | None = None
    caseworker: str | None = Field(default=None, description="the caseworker's username")


class CaseService(TransactionalService):
    def create_case(self, new: NewCase, actor: str) -> Case:
        def work(uow: UnitOfWork) -> Case:
            caseworker = require_caseworker_named(uow, new.caseworker) if new.caseworker else None
            parties, new_parties = find_or_new(
                uow, cprs=[new.primary_cpr] if new.primary_cpr else []
            )
            for party in new_parties:
                uow.parties.add(party)
            case = new_case(
                uow,
                title=new.title,
                kle_subject=new.kle_subject,
                handlingsfacet=new.handlingsfacet,
                primary_party_id=parties[0].id if parties else None,
                caseworker_id=caseworker.id if caseworker else None,
            )
            uow.cases.add(case)
            case_changed(uow, case, "created")
            audit(uow, actor, "create", "case", case.id)
            return case

        return self._run(work)

    def add_activity(self, case_id: UUID, title: str, kind: str, actor: str) -> Activity:
        def work(uow: UnitOfWork) -> Activity:
            case = require_case(uow, case_id)
            activity = Activity(
                municipality_id=uow.municipality_id, case_id=case.id, title=title, kind=kind
            )
            uow.activities.add(activity)
            case_changed(uow, case, "activity", activity.id)
            audit(uow, actor, "add_activity", "case", case.id)
            return activity

        return self._run(work)

    def add_journal_note(
        self,
        case_id: UUID,
        title: str,
        text: str,
        actor: str,
        author_id: UUID | None = None,
        activity_id: UUID | None = None,
    ) -> JournalNote:
        def work(uow: UnitOfWork) -> JournalNote:
            case = require_case(uow, case_id)
            if activity_id is not None:
                require_activity_on(uow, case, activity_id)
            if author_id is not None:
                require_caseworker(uow, author_id, field="author_id")
            note = JournalNote(
                municipality_id=uow.municipality_id,
                case_id=case.id,
                activity_id=activity_id,
                author_id=author_id,
                title=title,
                text=text,
            )
            uow.journal.add(note)
            case_changed(uow, case, "journal_note", note.id)
            audit(uow, actor, "add_journal_note", "case", case.id)
            return note

        return self._run(work)

    def close_case(self, case_id: UUID, actor: str) -> Case:
        """Close the case. Closing a closed case changes nothing (a retry is harmless)."""

        def work(uow: UnitOfWork) -> Case:
            case = require_case(uow, case_id)
            if case.status is CaseStatus.CLOSED:
                return case
            case.status = CaseStatus.CLOSED
            case.closed_at = utcnow()
            case_changed(uow, case, "status")
            audit(uow, actor, "close", "case", case.id)
            return case

        return self._run(work)

    def snapshot(self, case_id: UUID, actor: str, action: str = "read") -> CaseSnapshot:
        """Everything on the case as it stands now. ``action`` says why it is read
        (``read``, ``export`` …) in the audit log."""

        def work(uow: UnitOfWork) -> CaseSnapshot:
            case = require_case(uow, case_id)
            audit(uow, actor, action, "case", case.id)
            return case_snapshot(uow, case)

        return self._run(work)

    def search(self, actor: str, cpr: str | None = None, number: str | None = None) -> list[Case]:
        """Cases by a party's CPR number (any role), by case number, or by both (both must
        match). Each case found is audited as read by ``search``."""
        if cpr is None and number is None:
            raise InvalidValue("search by a CPR number or a case number", field="cpr")
        cpr = parse_cpr(cpr) if cpr is not None else None
        number = parse_case_number(number) if number is not None else None

        def work(uow: UnitOfWork) -> list[Case]:
            if cpr is not None:
                party = uow.parties.get_by_cpr(cpr)
                candidates = uow.cases.cases_for_party(party.id) if party is not None else []
            else:
                candidates = [c for c in [uow.cases.get_by_number(number)] if c is not None]
            found = [c for c in candidates if number is None or c.number == number]
            for case in found:
                audit(uow, actor, "search", "case", case.id)
            return found

        return self._run(work)

    def document(self, document_id: UUID, actor: str, action: str = "read") -> DocumentSnapshot:
        """A document with its links and parties (the bytes are read from the blob store)."""

        def work(uow: UnitOfWork) -> DocumentSnapshot:
            document = uow.documents.get(document_id)
            if document is None:
                raise NotFound(f"no document with id {document_id}", field="document_id")
            audit(uow, actor, action, "document", document.id)
            return document_snapshot(uow, document)

        return self._run(work)
