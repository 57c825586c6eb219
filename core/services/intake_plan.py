"""One delivery's intake, in two steps: plan (read and check), then write.

Planning does every read and every check and builds every row; writing only
adds them. So a delivery that fails its checks leaves nothing behind, which is
what lets a batch share one unit of work and still report one bad item in its
slot while the others commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from uuid import UUID

from pydantic import ValidationError

from core.errors import InvalidValue
from core.events import DocumentReceived
from core.intake import IncomingDocument, Receipt
from core.models import (
    Case,
    Caseworker,
    Document,
    DocumentLink,
    InboxItem,
    Notice,
    Part,
    Party,
    Placement,
    PlacementTarget,
    Variant,
)
from core.placement import PlacementEngine
from core.rules import PlacementContext, PlacementDecision, PlacementPolicy
from core.services.loading import require_activity_on, require_case, require_caseworker
from core.services.lookup import UowPlacementLookup
from core.services.parties import find_or_new
from core.services.records import case_changed, new_case, record_placement
from core.values import parse_cpr
from ports.persistence import IntakeRecord, UnitOfWork

_INBOXES = (PlacementTarget.CASEWORKER_INBOX, PlacementTarget.COMMON_INBOX)


@dataclass
class IntakePlan:
    """Everything one delivery writes, built and checked before anything is written."""

    incoming: IncomingDocument
    new_parties: list[Party]
    document: Document
    case: Case | None
    case_is_new: bool
    activity_id: UUID | None
    caseworker: Caseworker | None
    inbox_item: InboxItem | None
    notice: Notice | None
    placement: Placement
    receipt: Receipt

    def write(self, uow: UnitOfWork) -> None:
        """Add the rows, keep the staged files, record the events (in that order)."""
        for party in self.new_parties:
            uow.parties.add(party)
        uow.documents.add(self.document)
        for variant in self.incoming.variants:
            for part in variant.parts:
                uow.keep_blob(part)
        uow.record(
            DocumentReceived(
                municipality_id=uow.municipality_id,
                document_id=self.document.id,
                sender_system=self.incoming.sender_system,
                message_id=self.incoming.message_id,
            )
        )
        if self.case is not None:
            if self.case_is_new:
                uow.cases.add(self.case)
            uow.documents.link(
                DocumentLink(
                    document_id=self.document.id, case_id=self.case.id, activity_id=self.activity_id
                )
            )
        if self.inbox_item is not None:
            uow.inbox.add(self.inbox_item)
        if self.notice is not None:
            uow.notices.add(self.notice)
        record_placement(uow, self.placement)
        if self.case is not None:
            change = "created" if self.case_is_new else "document"
            case_changed(uow, self.case, change, self.document.id)
        uow.intake.add(self.ledger_record)

    @cached_property
    def ledger_record(self) -> IntakeRecord:
        """The intake ledger's entry for this delivery."""
        return IntakeRecord(
            sender_system=self.incoming.sender_system,
            message_id=self.incoming.message_id,
            fingerprint=self.incoming.fingerprint(),
            receipt=self.receipt,
            received_at=self.document.received_at,
        )


def plan_intake(
    uow: UnitOfWork,
    incoming: IncomingDocument,
    engine: PlacementEngine,
    policy: PlacementPolicy,
) -> IntakePlan:
    """Decide where the document goes and build its rows. Raises a DomainError on bad input."""
    context = PlacementContext(document=incoming, lookup=UowPlacementLookup(uow), policy=policy)
    decision = engine.decide(context)
    new_case_cpr = parse_cpr(decision.new_case_party_cpr) if decision.new_case_party_cpr else None
    parties, new_parties = find_or_new(
        uow, cprs=[*incoming.cprs, *filter(None, [new_case_cpr])], cvrs=incoming.cvrs
    )
    document = _document(uow.municipality_id, incoming, parties)
    caseworker = _caseworker(uow, decision)
    if decision.target is PlacementTarget.NEW_CASE:
        primary = next((p for p in parties if new_case_cpr and p.cpr == new_case_cpr), None)
        case, activity_id = _new_case(uow, incoming, policy, primary, caseworker), None
    else:
        case, activity_id = _existing_target(uow, decision)
    inbox_item = _inbox_item(uow.municipality_id, document, decision)
    placement = Placement(
        municipality_id=uow.municipality_id,
        document_id=document.id,
        target=decision.target,
        case_id=case.id if case else None,
        activity_id=activity_id,
        caseworker_id=caseworker.id if caseworker else None,
        rule=decision.rule,
        reason=decision.reason,
        evidence=decision.evidence,
    )
    return IntakePlan(
        incoming=incoming,
        new_parties=new_parties,
        document=document,
        case=case,
        case_is_new=decision.target is PlacementTarget.NEW_CASE,
        activity_id=activity_id,
        caseworker=caseworker,
        inbox_item=inbox_item,
        notice=_notice(document, inbox_item),
        placement=placement,
        receipt=Receipt(
            document_id=document.id,
            target=decision.target,
            case_id=placement.case_id,
            case_number=case.number if case else None,
            activity_id=activity_id,
            caseworker_id=placement.caseworker_id,
            inbox_item_id=inbox_item.id if inbox_item else None,
            rule=decision.rule,
            reason=decision.reason,
        ),
    )


def _caseworker(uow: UnitOfWork, decision: PlacementDecision) -> Caseworker | None:
    if decision.caseworker_id is not None:
        return require_caseworker(uow, decision.caseworker_id, field="caseworker")
    if decision.target is PlacementTarget.CASEWORKER_INBOX:
        raise InvalidValue(
            f"rule {decision.rule} chose a caseworker's inbox but named none", field="caseworker"
        )
    return None


def _new_case(
    uow: UnitOfWork,
    incoming: IncomingDocument,
    policy: PlacementPolicy,
    primary: Party | None,
    caseworker: Caseworker | None,
) -> Case:
    """The case a NEW_CASE decision asks for: titled like the document, numbered by policy."""
    return new_case(
        uow,
        title=incoming.title,
        kle_subject=policy.new_case_kle_subject,
        handlingsfacet=policy.new_case_handlingsfacet,
        primary_party_id=primary.id if primary else None,
        caseworker_id=caseworker.id if caseworker else None,
    )


def _existing_target(
    uow: UnitOfWork, decision: PlacementDecision
) -> tuple[Case | None, UUID | None]:
    """The existing case (and activity) a CASE or ACTIVITY decision names, checked to exist:
    a contributed rule may name anything."""
    if decision.target not in (PlacementTarget.CASE, PlacementTarget.ACTIVITY):
        return None, None
    if decision.case_id is None:
        raise InvalidValue(f"rule {decision.rule} placed on a case but named none", field="case")
    case = require_case(uow, decision.case_id, field="case")
    if decision.target is PlacementTarget.CASE:
        return case, None
    if decision.activity_id is None:
        raise InvalidValue(
            f"rule {decision.rule} chose an activity but named none", field="activity"
        )
    return case, require_activity_on(uow, case, decision.activity_id, field="activity").id


def _document(municipality_id: UUID, incoming: IncomingDocument, parties: list[Party]) -> Document:
    try:
        return Document(
            municipality_id=municipality_id,
            title=incoming.title,
            letter_date=incoming.letter_date,
            document_number=incoming.document_number,
            doc_type=incoming.doc_type,
            sensitivity=incoming.sensitivity,
            channel=incoming.channel,
            sender_system=incoming.sender_system,
            message_id=incoming.message_id,
            party_ids=[p.id for p in parties],
            variants=[
                Variant(
                    name=variant.name,
                    parts=[
                        Part(name=p.name, mime_type=p.mime_type, size=p.size, sha256=p.sha256)
                        for p in variant.parts
                    ],
                )
                for variant in incoming.variants
            ],
        )
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(step) for step in first["loc"])
        raise InvalidValue(first["msg"], field=field) from None


def _inbox_item(
    municipality_id: UUID, document: Document, decision: PlacementDecision
) -> InboxItem | None:
    if decision.target not in _INBOXES:
        return None
    return InboxItem(
        municipality_id=municipality_id,
        document_id=document.id,
        caseworker_id=decision.caseworker_id
        if decision.target is PlacementTarget.CASEWORKER_INBOX
        else None,
        candidate_case_ids=decision.candidate_case_ids,
    )


def _notice(document: Document, inbox_item: InboxItem | None) -> Notice | None:
    """A caseworker whose inbox receives a document is told so."""
    if inbox_item is None or inbox_item.caseworker_id is None:
        return None
    return Notice(
        municipality_id=document.municipality_id,
        caseworker_id=inbox_item.caseworker_id,
        document_id=document.id,
        message=f"A document arrived in your inbox: {document.title}",
    )
