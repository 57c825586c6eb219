"""The repositories' queries: sequences, a party's cases, the inbox, the audit log, paging."""

from __future__ import annotations

import pytest

from core.models import (
    AuditEntry,
    CaseParty,
    CasePartyRole,
    CaseStatus,
    Channel,
    InboxItem,
    InboxStatus,
)
from ports.persistence import InboxFilter

from . import builders
from .builders import at
from .conftest import add_municipality, store


def pages_of(list_page, total: int, size: int) -> list:
    """Walks every page; checks totals and that pages neither overlap nor skip."""
    seen = []
    for offset in range(0, total + size, size):
        page = list_page(offset, size)
        assert page.total == total
        assert len(page.items) == max(0, min(size, total - offset))
        seen += [item.id for item in page.items]
    assert len(seen) == len(set(seen)) == total
    return seen


def test_next_sequence_counts_within_kle_facet_and_year(uow_factory, open_uow, municipality):
    mid = municipality.id
    with open_uow() as uow:
        assert uow.cases.next_sequence("27.24.00", "G01", 2024) == 1
    store(
        open_uow,
        "cases",
        builders.case(mid, sequence=3),
        builders.case(mid, sequence=17),
        builders.case(mid, sequence=9),
        builders.case(mid, number="27.24.00-G02-40-24"),
        builders.case(mid, number="27.24.00-G01-50-23"),
        builders.case(mid, number="27.20.00-G01-60-24"),
    )
    neighbour = add_municipality(uow_factory)
    store(lambda: uow_factory(neighbour.id), "cases", builders.case(neighbour.id, sequence=99))
    with open_uow() as uow:
        assert uow.cases.next_sequence("27.24.00", "G01", 2024) == 18
        assert uow.cases.next_sequence("27.24.00", "G01", 24) == 18
        assert uow.cases.next_sequence("27.24.00", "G02", 2024) == 41
        assert uow.cases.next_sequence("27.24.00", "G01", 2023) == 51
        assert uow.cases.next_sequence("27.20.00", "G01", 2024) == 61
        assert uow.cases.next_sequence("27.24.00", "G01", 2025) == 1


def test_next_sequence_sees_cases_added_in_the_same_unit_of_work(open_uow, municipality):
    with open_uow() as uow:
        uow.cases.add(builders.case(municipality.id, sequence=4))
        assert uow.cases.next_sequence("27.24.00", "G01", 2024) == 5


def test_open_cases_for_party_are_open_primary_cases_oldest_first(open_uow, world, municipality):
    mid, child, other = municipality.id, world.person, world.company
    newer = builders.case(mid, child, created=20)
    older = builders.case(mid, child, created=-20)
    closed = builders.case(mid, child, created=5, status=CaseStatus.CLOSED)
    as_other = builders.case(mid, other, created=6)
    as_other.parties.append(CaseParty(party_id=child.id, role=CasePartyRole.OTHER))
    store(open_uow, "cases", newer, older, closed, as_other)
    with open_uow() as uow:
        open_cases = uow.cases.open_cases_for_party(child.id)
        every_case = uow.cases.cases_for_party(child.id)
    assert [c.id for c in open_cases] == [older.id, world.case.id, newer.id]
    assert {c.id for c in every_case} == {older.id, world.case.id, newer.id, closed.id, as_other.id}
    assert len(every_case) == 5


def test_case_list_pages_through_every_case(open_uow, municipality):
    cases = [builders.case(municipality.id, created=n) for n in range(7)]
    store(open_uow, "cases", *cases)
    with open_uow() as uow:
        seen = pages_of(lambda offset, limit: uow.cases.list(offset=offset, limit=limit), 7, 3)
    assert set(seen) == {c.id for c in cases}


@pytest.fixture
def inbox(open_uow, world, municipality):
    """Four inbox items, named by letter, over documents with and without a CPR party."""
    mid = municipality.id
    other_worker = builders.caseworker(mid)
    with_cpr = builders.document(mid, world.person, channel=Channel.SCANNING)
    company_only = builders.document(mid, world.company, channel=Channel.EMAIL)
    no_party = builders.document(mid, channel=Channel.FORM)
    with_cpr_by_mail = builders.document(mid, world.company, world.person, channel=Channel.EMAIL)
    with open_uow() as uow:
        uow.caseworkers.add(other_worker)
        for document in (with_cpr, company_only, no_party, with_cpr_by_mail):
            uow.documents.add(document)
        uow.commit()

    def item(document, caseworker, minutes, status=InboxStatus.OPEN):
        return InboxItem(
            municipality_id=mid,
            document_id=document.id,
            caseworker_id=caseworker.id if caseworker else None,
            status=status,
            created_at=at(minutes),
        )

    items = {
        "a": item(with_cpr, world.caseworker, 10),
        "b": item(company_only, world.caseworker, 20, InboxStatus.PLACED),
        "c": item(no_party, None, 30),
        "d": item(with_cpr_by_mail, other_worker, 40),
    }
    store(open_uow, "inbox", *items.values())
    return {"items": items, "mine": world.caseworker.id}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, "dca"),
        ({"status": None}, "dcba"),
        ({"status": InboxStatus.PLACED}, "b"),
        ({"caseworker_id": "mine"}, "a"),
        ({"caseworker_id": "mine", "status": None}, "ba"),
        ({"common": True}, "c"),
        ({"caseworker_id": "mine", "common": True}, "ca"),
        ({"channel": Channel.EMAIL, "status": None}, "db"),
        ({"channel": Channel.FORM}, "c"),
        ({"received_from": at(20), "received_to": at(40), "status": None}, "cb"),
        ({"received_from": at(21)}, "dc"),
        ({"received_to": at(10)}, ""),
        ({"has_cpr": True}, "da"),
        ({"has_cpr": False}, "c"),
        ({"has_cpr": False, "status": None}, "cb"),
        ({"has_cpr": True, "channel": Channel.EMAIL, "caseworker_id": "mine"}, ""),
    ],
)
def test_inbox_filters_newest_first(open_uow, inbox, query, expected):
    if query.get("caseworker_id") == "mine":
        query = query | {"caseworker_id": inbox["mine"]}
    with open_uow() as uow:
        page = uow.inbox.list(InboxFilter(**query))
    assert [item.id for item in page.items] == [inbox["items"][name].id for name in expected]
    assert page.total == len(expected)


def test_inbox_pages_newest_first_with_the_total(open_uow, inbox):
    items = inbox["items"]
    with open_uow() as uow:
        pages = [
            uow.inbox.list(InboxFilter(status=None, offset=offset, limit=3)) for offset in (0, 3, 6)
        ]
    assert [[i.id for i in page.items] for page in pages] == [
        [items["d"].id, items["c"].id, items["b"].id],
        [items["a"].id],
        [],
    ]
    assert [page.total for page in pages] == [4, 4, 4]
    assert [(page.offset, page.limit) for page in pages] == [(0, 3), (3, 3), (6, 3)]


def test_inbox_item_for_a_document_is_its_latest(open_uow, world, municipality):
    first = InboxItem(
        municipality_id=municipality.id,
        document_id=world.document.id,
        status=InboxStatus.PLACED,
        created_at=at(1),
    )
    latest = InboxItem(
        municipality_id=municipality.id,
        document_id=world.document.id,
        caseworker_id=world.caseworker.id,
        created_at=at(2),
    )
    store(open_uow, "inbox", latest, first)
    with open_uow() as uow:
        assert uow.inbox.get_for_document(world.document.id) == latest


def test_audit_list_filters_by_object_and_actor_and_pages(open_uow, world, municipality):
    def entry(actor, object_id, minutes):
        return AuditEntry(
            municipality_id=municipality.id,
            actor=actor,
            action="read",
            object_type="case",
            object_id=object_id,
            at=at(minutes),
        )

    sara_case = [entry("sara", world.case.id, n) for n in range(5)]
    ole_case = [entry("ole", world.case.id, 10)]
    sara_other = [entry("sara", world.document.id, 11), entry("sara", None, 12)]
    store(open_uow, "audit", *sara_case, *ole_case, *sara_other)
    with open_uow() as uow:
        by_object = uow.audit.list(object_id=world.case.id)
        by_actor = uow.audit.list(actor="ole")
        both = uow.audit.list(object_id=world.case.id, actor="sara")
        seen = pages_of(lambda offset, limit: uow.audit.list(offset=offset, limit=limit), 8, 3)
    assert {e.id for e in by_object.items} == {e.id for e in sara_case + ole_case}
    assert by_object.total == 6
    assert by_actor.items == ole_case
    assert {e.id for e in both.items} == {e.id for e in sara_case}
    assert both.total == 5
    assert set(seen) == {e.id for e in sara_case + ole_case + sara_other}
