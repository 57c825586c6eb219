"""Inbox use cases: list what waits to be placed, place it by hand, caseworkers' notices."""

from __future__ import annotations

from uuid import UUID

from core.errors import Conflict, NotFound
from core.models import (
    DocumentLink,
    InboxItem,
    InboxStatus,
    Notice,
    Placement,
    PlacementTarget,
    utcnow,
)
from core.services.loading import require_activity_on, require_case, require_caseworker
from core.services.records import audit, case_changed, record_placement
from core.services.transaction import TransactionalService
from ports.persistence import InboxFilter, Page, UnitOfWork

MANUAL_RULE = "manual"
"""The rule name stored with placements a caseworker made by hand."""


class InboxService(TransactionalService):
    def list(self, query: InboxFilter, actor: str) -> Page[InboxItem]:
        """One page of inbox items (audited: the items reveal documents and parties)."""

        def work(uow: UnitOfWork) -> Page[InboxItem]:
            page = uow.inbox.list(query)
            audit(uow, actor, "read", "inbox", query.caseworker_id)
            return page

        return self._run(work)

    def place(
        self,
        item_id: UUID,
        case_id: UUID,
        activity_id: UUID | None,
        caseworker_id: UUID,
        actor: str,
        reason: str = "placed by hand",
    ) -> Placement:
        """Put an inbox item's document on a case (or one of its activities)."""

        def work(uow: UnitOfWork) -> Placement:
            item = uow.inbox.get(item_id)
            if item is None:
                raise NotFound(f"no inbox item with id {item_id}", field="item_id")
            if item.status is InboxStatus.PLACED:
                raise Conflict("the inbox item was already placed", field="item_id")
            case = require_case(uow, case_id)
            if activity_id is not None:
                require_activity_on(uow, case, activity_id)
            require_caseworker(uow, caseworker_id)
            uow.documents.link(
                DocumentLink(document_id=item.document_id, case_id=case.id, activity_id=activity_id)
            )
            item.status = InboxStatus.PLACED
            item.placed_at = utcnow()
            uow.inbox.update(item)
            placement = Placement(
                municipality_id=uow.municipality_id,
                document_id=item.document_id,
                target=PlacementTarget.ACTIVITY if activity_id else PlacementTarget.CASE,
                case_id=case.id,
                activity_id=activity_id,
                rule=MANUAL_RULE,
                reason=reason,
                evidence={"inbox_item_id": str(item.id), "actor": actor},
                placed_by=caseworker_id,
            )
            record_placement(uow, placement)
            case_changed(uow, case, "document", item.document_id)
            audit(uow, actor, "place", "inbox", item.id)
            return placement

        return self._run(work)

    def notices(self, caseworker_id: UUID, unread_only: bool = False) -> list[Notice]:
        def work(uow: UnitOfWork) -> list[Notice]:
            require_caseworker(uow, caseworker_id)
            return uow.notices.list_for_caseworker(caseworker_id, unread_only=unread_only)

        return self._run(work)

    def mark_notice_read(self, notice_id: UUID) -> None:
        self._run(lambda uow: uow.notices.mark_read(notice_id, utcnow()))
