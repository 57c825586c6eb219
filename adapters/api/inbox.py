"""The inboxes and a caseworker's notices (scope ``inbox``).

Listing shows what waits to be placed: by default a caseworker sees their own
inbox and the common one, a client system every inbox. Placing an item by hand
and reading notices need a caseworker's own token, so the hub knows who did it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from adapters.api.auth import Caller, require_scope
from adapters.api.dependencies import CallerDep, InboxDep
from adapters.api.schemas import InboxPage, NoticeOut, PlaceIn, PlacementOut
from core.errors import InvalidValue, NotFound
from core.models import Channel, InboxStatus
from core.values import to_utc
from ports.clients import Scope
from ports.persistence import InboxFilter

CASEWORKER = {"caller": require_scope(Scope.INBOX, caseworker=True)}


def inbox_filter(
    caller: Caller,
    caseworker_id: UUID | None,
    common: bool | None,
    **fields: object,
) -> InboxFilter:
    """Which inboxes: those asked for; else a caseworker's own and the common one; else all."""
    if caseworker_id is None and common is None and caller.caseworker_id is not None:
        caseworker_id, common = caller.caseworker_id, True
    return InboxFilter(caseworker_id=caseworker_id, common=bool(common), **fields)


def utc(moment: datetime | None, field: str) -> datetime | None:
    """A query's time in UTC; one without a timezone is refused, naming the parameter."""
    if moment is None:
        return None
    try:
        return to_utc(moment)
    except InvalidValue as error:
        raise InvalidValue(error.message, field=field) from None


class InboxController(Controller):
    path = "/api/inbox"
    tags: ClassVar[list[str]] = ["inbox"]
    dependencies: ClassVar[dict[str, Provide]] = {"caller": require_scope(Scope.INBOX)}

    @get(
        "/",
        operation_id="listInbox",
        summary="Inbox items, newest first, filtered and paged",
        sync_to_thread=True,
    )
    def list_inbox(
        self,
        caller: CallerDep,
        inbox: InboxDep,
        caseworker_id: Annotated[
            UUID | None, QueryParameter(description="this caseworker's inbox")
        ] = None,
        common: Annotated[bool | None, QueryParameter(description="the common inbox")] = None,
        channel: FromQuery[Channel | None] = None,
        received_from: Annotated[
            datetime | None, QueryParameter(description="inclusive, with a timezone")
        ] = None,
        received_to: Annotated[
            datetime | None, QueryParameter(description="exclusive, with a timezone")
        ] = None,
        has_cpr: Annotated[
            bool | None, QueryParameter(description="whether the document concerns a person")
        ] = None,
        status: FromQuery[Literal["open", "placed", "any"]] = "open",
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
    ) -> InboxPage:
        query = inbox_filter(
            caller,
            caseworker_id,
            common,
            status=None if status == "any" else InboxStatus(status),
            channel=channel,
            received_from=utc(received_from, "received_from"),
            received_to=utc(received_to, "received_to"),
            has_cpr=has_cpr,
            offset=offset,
            limit=limit,
        )
        return InboxPage.of(inbox.list(query, caller.name))

    @post(
        "/{item_id:uuid}/placement",
        operation_id="placeInboxItem",
        summary="Place an inbox item's document on a case (or activity) by hand",
        dependencies=CASEWORKER,
        sync_to_thread=True,
    )
    def place(
        self, caller: CallerDep, inbox: InboxDep, item_id: FromPath[UUID], data: JSONBody[PlaceIn]
    ) -> PlacementOut:
        assert caller.caseworker_id is not None  # the dependency demands a caseworker's token
        placement = inbox.place(
            item_id,
            data.case_id,
            data.activity_id,
            caller.caseworker_id,
            caller.name,
            reason=data.reason,
        )
        return PlacementOut.model_validate(placement)


class NoticeController(Controller):
    path = "/api/notices"
    tags: ClassVar[list[str]] = ["inbox"]
    dependencies: ClassVar[dict[str, Provide]] = CASEWORKER

    @get(
        "/",
        operation_id="listNotices",
        summary="The calling caseworker's notices",
        sync_to_thread=True,
    )
    def list_notices(
        self, caller: CallerDep, inbox: InboxDep, unread_only: FromQuery[bool] = False
    ) -> list[NoticeOut]:
        assert caller.caseworker_id is not None
        notices = inbox.notices(caller.caseworker_id, unread_only=unread_only)
        return [NoticeOut.of(n) for n in notices]

    @post(
        "/{notice_id:uuid}/read",
        operation_id="markNoticeRead",
        summary="Mark one of the calling caseworker's notices read",
        status_code=204,
        sync_to_thread=True,
    )
    def mark_read(self, caller: CallerDep, inbox: InboxDep, notice_id: FromPath[UUID]) -> None:
        assert caller.caseworker_id is not None
        if all(n.id != notice_id for n in inbox.notices(caller.caseworker_id)):
            raise NotFound(f"you have no notice {notice_id}", field="notice_id")
        inbox.mark_notice_read(notice_id)
