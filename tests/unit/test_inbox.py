from __future__ import annotations

from uuid import uuid4

import pytest

from core.errors import Conflict, NotFound
from core.events import CaseChanged, DocumentPlaced
from core.models import Channel, InboxStatus, PlacementTarget
from ports.persistence import InboxFilter
from tests.unit.builders import incoming

CPR = "0101901234"


@pytest.fixture
def items(intake, world, blobs, uow_factory):
    """Three inbox items: Hanne's (scanned, with a CPR), and two common ones (e-mail, form)."""
    world.caseworker("hanne")
    receipts = [
        intake.receive(incoming(blobs, b"1", caseworker="hanne", cprs=[CPR])),
        intake.receive(incoming(blobs, b"2", channel=Channel.EMAIL)),
        intake.receive(incoming(blobs, b"3", channel=Channel.FORM)),
    ]
    with uow_factory(world.id) as uow:
        return [uow.inbox.get(r.inbox_item_id) for r in receipts]


def _ids(page):
    return [item.id for item in page.items]


def test_list_filters(inbox, items, world, uow_factory):
    mine, mail, form = items
    hanne = mine.caseworker_id

    def listed(**query):
        return _ids(inbox.list(InboxFilter(**query), "hanne"))

    assert listed() == [form.id, mail.id, mine.id], "newest first"
    assert listed(caseworker_id=hanne) == [mine.id]
    assert listed(common=True) == [form.id, mail.id]
    assert listed(caseworker_id=hanne, common=True) == [form.id, mail.id, mine.id]
    assert listed(channel=Channel.EMAIL) == [mail.id]
    assert listed(has_cpr=True) == [mine.id]
    assert listed(has_cpr=False) == [form.id, mail.id]
    assert listed(received_from=mail.created_at) == [form.id, mail.id], "from is inclusive"
    assert listed(received_to=mail.created_at) == [mine.id], "to is exclusive"
    assert listed(status=InboxStatus.PLACED) == []
    page = inbox.list(InboxFilter(offset=1, limit=1), "hanne")
    assert (_ids(page), page.total) == ([mail.id], 3)


def test_listing_is_audited(inbox, items, world, uow_factory):
    hanne = items[0].caseworker_id
    inbox.list(InboxFilter(caseworker_id=hanne), "hanne")
    with uow_factory(world.id) as uow:
        [entry] = uow.audit.list(actor="hanne").items
    assert (entry.action, entry.object_type, entry.object_id) == ("read", "inbox", hanne)


def test_place_by_hand(inbox, items, world, uow_factory, publisher):
    item = items[1]
    case = world.case()
    worker = world.caseworker("jens")
    before = len(publisher.events)
    placement = inbox.place(item.id, case.id, None, worker.id, "jens", reason="det er hans sag")

    assert (placement.target, placement.rule) == (PlacementTarget.CASE, "manual")
    assert (placement.placed_by, placement.reason) == (worker.id, "det er hans sag")
    with uow_factory(world.id) as uow:
        stored = uow.inbox.get(item.id)
        [link] = uow.documents.links_for_case(case.id)
        placements = uow.placements.list_for_document(item.document_id)
    assert stored.status is InboxStatus.PLACED and stored.placed_at is not None
    assert link.document_id == item.document_id
    assert placements[-1] == placement
    new_events = publisher.events[before:]
    assert [type(e) for e in new_events] == [DocumentPlaced, CaseChanged]
    assert new_events[0].placement_id == placement.id
    assert new_events[1].change == "document"
    assert _ids(inbox.list(InboxFilter(status=InboxStatus.PLACED), "jens")) == [item.id]


def test_place_on_an_activity(inbox, items, world, uow_factory):
    case = world.case()
    activity = world.activity(case)
    worker = world.caseworker("jens")
    placement = inbox.place(items[2].id, case.id, activity.id, worker.id, "jens")
    assert (placement.target, placement.activity_id) == (PlacementTarget.ACTIVITY, activity.id)
    assert placement.reason == "placed by hand"


def test_placing_twice_is_a_conflict(inbox, items, world, uow_factory):
    case = world.case()
    hanne = items[0].caseworker_id
    inbox.place(items[0].id, case.id, None, hanne, "hanne")
    with pytest.raises(Conflict) as raised:
        inbox.place(items[0].id, world.case().id, None, hanne, "hanne")
    assert raised.value.field == "item_id"
    with uow_factory(world.id) as uow:
        assert len(uow.placements.list_for_document(items[0].document_id)) == 2  # rule + manual


@pytest.mark.parametrize("wrong", ["item_id", "case_id", "activity_id", "caseworker_id"])
def test_placing_with_unknown_ids_is_not_found(inbox, items, world, uow_factory, wrong):
    case, other = world.case(), world.case()
    ids = {
        "item_id": items[1].id,
        "case_id": case.id,
        "activity_id": None,
        "caseworker_id": items[0].caseworker_id,
    }
    ids[wrong] = world.activity(other).id if wrong == "activity_id" else uuid4()
    with pytest.raises(NotFound) as raised:
        inbox.place(actor="hanne", **ids)
    assert raised.value.field == wrong
    with uow_factory(world.id) as uow:
        assert uow.inbox.get(items[1].id).status is InboxStatus.OPEN


def test_notices(inbox, items, world):
    hanne = items[0].caseworker_id
    [notice] = inbox.notices(hanne)
    assert notice.document_id == items[0].document_id
    assert inbox.notices(hanne, unread_only=True) == [notice]
    inbox.mark_notice_read(notice.id)
    assert inbox.notices(hanne, unread_only=True) == []
    assert inbox.notices(hanne)[0].read_at is not None
    with pytest.raises(NotFound) as raised:
        inbox.mark_notice_read(uuid4())
    assert raised.value.field == "notice_id"
    with pytest.raises(NotFound) as raised:
        inbox.notices(uuid4())
    assert raised.value.field == "caseworker_id"
