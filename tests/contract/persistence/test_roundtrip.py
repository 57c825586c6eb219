"""Every entity comes back from a new unit of work exactly as it was added."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.errors import NotFound
from core.intake import Receipt
from core.models import (
    AuditEntry,
    CaseParty,
    CasePartyRole,
    CaseStatus,
    DocumentLink,
    InboxItem,
    InboxStatus,
    JournalNote,
    Notice,
    Placement,
    PlacementTarget,
    Variant,
)
from ports.persistence import IntakeRecord

from . import builders
from .builders import at
from .conftest import store

COPENHAGEN_SUMMER = timezone(timedelta(hours=2))


def in_time_order(items: list) -> list:
    """Listings whose order the ports leave open, put in creation order for comparing."""
    moment = next(name for name in ("created_at", "linked_at") if hasattr(items[0], name))
    return sorted(items, key=lambda item: getattr(item, moment))


def assert_utc(*moments: datetime | None) -> None:
    for moment in moments:
        assert moment is not None and moment.utcoffset() == timedelta(0), moment


def test_municipality_round_trip(uow_factory, municipality):
    with uow_factory(municipality.id) as uow:
        assert uow.municipalities.get(municipality.id) == municipality
        assert uow.municipalities.get_by_cvr(municipality.cvr) == municipality


def test_parties_round_trip_by_id_cpr_cvr_and_many(open_uow, world):
    with open_uow() as uow:
        assert uow.parties.get(world.person.id) == world.person
        assert uow.parties.get_by_cpr(world.person.cpr) == world.person
        assert uow.parties.get_by_cvr(world.company.cvr) == world.company
        assert uow.parties.get_by_cpr("0101011234") is None
        many = uow.parties.get_many([world.company.id, world.person.id])
    assert many == [world.company, world.person]
    assert world.person.address_lines == ["Algade 1", "4000 Roskilde"]


def test_caseworker_round_trip_and_list(open_uow, world, municipality):
    other = builders.caseworker(municipality.id, username="aaa-first")
    store(open_uow, "caseworkers", other)
    with open_uow() as uow:
        assert uow.caseworkers.get(world.caseworker.id) == world.caseworker
        assert uow.caseworkers.get_by_username(world.caseworker.username) == world.caseworker
        assert {c.id for c in uow.caseworkers.list()} == {other.id, world.caseworker.id}


def test_case_round_trip_with_parties_and_aware_times(open_uow, world, municipality):
    closed = builders.case(
        municipality.id,
        world.person,
        status=CaseStatus.CLOSED,
        caseworker_id=world.caseworker.id,
        created_at=datetime(2024, 6, 1, 10, 0, tzinfo=COPENHAGEN_SUMMER),
        updated_at=datetime(2024, 6, 2, 10, 0, tzinfo=COPENHAGEN_SUMMER),
        closed_at=datetime(2024, 6, 3, 10, 0, 0, 123456, tzinfo=COPENHAGEN_SUMMER),
    )
    closed.parties.append(CaseParty(party_id=world.company.id, role=CasePartyRole.OTHER))
    store(open_uow, "cases", closed)
    with open_uow() as uow:
        got = uow.cases.get(closed.id)
        assert uow.cases.get_by_number(closed.number) == closed
    assert got == closed
    assert got.closed_at == datetime(2024, 6, 3, 8, 0, 0, 123456, tzinfo=UTC)
    assert_utc(got.created_at, got.updated_at, got.closed_at)


def test_case_update_stores_changed_fields_and_parties(open_uow, world):
    case = world.case.model_copy(deep=True)
    case.title = "Ny titel"
    case.status = CaseStatus.CLOSED
    case.caseworker_id = None
    case.closed_at = at(90)
    case.updated_at = at(91)
    case.parties = [
        CaseParty(party_id=world.company.id, role=CasePartyRole.PRIMARY),
        CaseParty(party_id=world.person.id, role=CasePartyRole.OTHER),
    ]
    store(open_uow, "cases", case, method="update")
    with open_uow() as uow:
        assert uow.cases.get(case.id) == case


def test_updating_an_unknown_case_is_not_found(open_uow, municipality):
    with open_uow() as uow, pytest.raises(NotFound):
        uow.cases.update(builders.case(municipality.id))


def test_activity_round_trip(open_uow, world):
    later = builders.activity(world.case, created=30)
    store(open_uow, "activities", later)
    with open_uow() as uow:
        assert uow.activities.get(world.activity.id) == world.activity
        assert in_time_order(uow.activities.list_for_case(world.case.id)) == [world.activity, later]
    assert_utc(later.created_at)


def test_document_round_trip_with_variants_parts_and_parties(open_uow, world, municipality):
    document = builders.document(
        municipality.id,
        world.company,
        world.person,
        variants=[
            Variant(name="arkiv", parts=[builders.part(name="a.pdf"), builders.part(name="b.pdf")]),
            Variant(name="produktion", parts=[builders.part(name="c.docx")]),
        ],
    )
    store(open_uow, "documents", document)
    with open_uow() as uow:
        got = uow.documents.get(document.id)
    assert got == document
    assert [p.name for v in got.variants for p in v.parts] == ["a.pdf", "b.pdf", "c.docx"]
    assert got.variants[0].parts[0].size == 5_000_000_000
    assert_utc(got.received_at)


def test_links_round_trip_and_dedupe(open_uow, world):
    on_case = DocumentLink(document_id=world.document.id, case_id=world.case.id, linked_at=at(1))
    on_activity = DocumentLink(
        document_id=world.document.id,
        case_id=world.case.id,
        activity_id=world.activity.id,
        linked_at=at(2),
    )
    again = on_case.model_copy(update={"linked_at": at(3)})
    store(open_uow, "documents", on_case, on_activity, again, method="link")
    later = on_activity.model_copy(update={"linked_at": at(4)})
    store(open_uow, "documents", later, on_case, method="link")
    with open_uow() as uow:
        by_case = uow.documents.links_for_case(world.case.id)
        by_document = uow.documents.links_for_document(world.document.id)
    assert in_time_order(by_case) == in_time_order(by_document) == [on_case, on_activity]


def test_placement_round_trip_with_json_evidence(open_uow, world, municipality):
    placement = Placement(
        municipality_id=municipality.id,
        document_id=world.document.id,
        target=PlacementTarget.ACTIVITY,
        case_id=world.case.id,
        activity_id=world.activity.id,
        caseworker_id=world.caseworker.id,
        rule="case_reference",
        reason="named by the sender",
        evidence={"case_number": world.case.number, "matches": [1, 2], "nested": {"ok": True}},
        placed_by=world.caseworker.id,
        placed_at=at(7),
    )
    store(open_uow, "placements", placement)
    with open_uow() as uow:
        assert uow.placements.list_for_document(world.document.id) == [placement]
        assert uow.placements.list_for_case(world.case.id) == [placement]


def test_inbox_item_round_trip_and_update(open_uow, world, municipality):
    item = InboxItem(
        municipality_id=municipality.id,
        document_id=world.document.id,
        caseworker_id=world.caseworker.id,
        candidate_case_ids=[world.case.id],
        created_at=at(8),
    )
    store(open_uow, "inbox", item)
    with open_uow() as uow:
        assert uow.inbox.get(item.id) == item
        assert uow.inbox.get_for_document(world.document.id) == item
    placed = item.model_copy(update={"status": InboxStatus.PLACED, "placed_at": at(9)})
    store(open_uow, "inbox", placed, method="update")
    with open_uow() as uow:
        assert uow.inbox.get(item.id) == placed


def test_journal_note_round_trip(open_uow, world, municipality):
    note = JournalNote(
        municipality_id=municipality.id,
        case_id=world.case.id,
        activity_id=world.activity.id,
        author_id=world.caseworker.id,
        title="Samtale",
        text="Lang tekst " * 1000,
        created_at=at(10),
    )
    store(open_uow, "journal", note)
    with open_uow() as uow:
        assert uow.journal.list_for_case(world.case.id) == [note]


def test_notices_round_trip_unread_and_mark_read(open_uow, world, municipality):
    first, second = (
        Notice(
            municipality_id=municipality.id,
            caseworker_id=world.caseworker.id,
            document_id=world.document.id,
            message=f"nyt dokument {n}",
            created_at=at(n),
        )
        for n in (1, 2)
    )
    store(open_uow, "notices", first, second)
    with open_uow() as uow:
        uow.notices.mark_read(first.id, at(20))
        uow.commit()
    with open_uow() as uow:
        everything = uow.notices.list_for_caseworker(world.caseworker.id)
        unread = uow.notices.list_for_caseworker(world.caseworker.id, unread_only=True)
    assert in_time_order(everything) == [first.model_copy(update={"read_at": at(20)}), second]
    assert unread == [second]
    with open_uow() as uow, pytest.raises(NotFound):
        uow.notices.mark_read(world.document.id, at(21))


def test_intake_record_round_trip_with_receipt(open_uow, world):
    receipt = Receipt(
        document_id=world.document.id,
        target=PlacementTarget.CASE,
        case_id=world.case.id,
        case_number=world.case.number,
        rule="cpr_open_case",
        reason="one open case",
    )
    record = IntakeRecord(
        sender_system="scanning",
        message_id="m-1",
        fingerprint="f" * 64,
        receipt=receipt,
        received_at=at(11),
    )
    store(open_uow, "intake", record)
    with open_uow() as uow:
        assert uow.intake.get("scanning", "m-1") == record
        assert uow.intake.get("scanning", "m-2") is None
        assert uow.intake.get("other", "m-1") is None


def test_audit_entry_round_trip(open_uow, world, municipality):
    entry = AuditEntry(
        municipality_id=municipality.id,
        actor="sara",
        action="read",
        object_type="case",
        object_id=world.case.id,
        at=at(12),
    )
    store(open_uow, "audit", entry)
    with open_uow() as uow:
        page = uow.audit.list()
    assert page.items == [entry]
    assert page.total == 1
