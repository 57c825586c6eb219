"""The reads a batch uses to read ahead, and what a unit of work sees of its own writes
between them (the SQL adapter remembers reads and buffers writes within a transaction)."""

from __future__ import annotations

from core.intake import Receipt
from core.models import CaseParty, CasePartyRole, CaseStatus, PlacementTarget, utcnow
from ports.persistence import IntakeRecord

from . import builders
from .builders import at
from .conftest import store


def test_get_many_and_by_number_keep_the_order_asked_and_skip_the_unknown(
    open_uow, world, municipality
):
    second = builders.case(municipality.id, world.person)
    store(open_uow, "cases", second)
    with open_uow() as uow:
        by_id = uow.cases.get_many([second.id, builders.case(municipality.id).id, world.case.id])
        by_number = uow.cases.get_many_by_number(
            [second.number, "27.24.00-G01-99-99", world.case.number]
        )
    assert [c.id for c in by_id] == [second.id, world.case.id]
    assert [c.id for c in by_number] == [second.id, world.case.id]
    assert by_id[1] == world.case


def test_open_cases_for_parties_match_one_by_one(open_uow, world, municipality):
    mid = municipality.id
    sibling = builders.person(mid)
    closed = builders.case(mid, sibling, status=CaseStatus.CLOSED)
    as_other = builders.case(mid, world.company, created=5)
    as_other.parties.append(CaseParty(party_id=sibling.id, role=CasePartyRole.OTHER))
    newer = builders.case(mid, world.person, created=30)
    store(open_uow, "parties", sibling)
    store(open_uow, "cases", closed, as_other, newer)
    ids = [world.person.id, sibling.id, world.company.id]
    with open_uow() as uow:
        together = uow.cases.open_cases_for_parties(ids)
    with open_uow() as uow:
        one_by_one = {party_id: uow.cases.open_cases_for_party(party_id) for party_id in ids}
    assert together == one_by_one
    assert [c.id for c in together[world.person.id]] == [world.case.id, newer.id]
    assert together[sibling.id] == []


def test_parties_by_cpr_include_those_added_in_the_same_unit_of_work(open_uow, world, municipality):
    newcomer = builders.person(municipality.id)
    with open_uow() as uow:
        assert uow.parties.get_many_by_cpr([newcomer.cpr, world.person.cpr]) == [world.person]
        uow.parties.add(newcomer)
        assert uow.parties.get_by_cpr(newcomer.cpr) == newcomer
        assert uow.parties.get_many_by_cpr([newcomer.cpr, world.person.cpr]) == [
            newcomer,
            world.person,
        ]
        uow.commit()
    with open_uow() as uow:
        assert uow.parties.get_by_cpr(newcomer.cpr) == newcomer


def test_a_remembered_case_reflects_the_changes_of_its_unit_of_work(open_uow, world):
    with open_uow() as uow:
        case = uow.cases.get_by_number(world.case.number)
        case.updated_at = utcnow()
        uow.cases.update(case)
        assert uow.cases.get(case.id).updated_at == case.updated_at
        case.status = CaseStatus.CLOSED
        case.closed_at = case.updated_at
        uow.cases.update(case)
        assert uow.cases.open_cases_for_party(world.person.id) == []
        assert uow.cases.get_many([case.id]) == [case]
        uow.commit()
    with open_uow() as uow:
        assert uow.cases.get(world.case.id) == case


def test_a_touched_case_is_stored_with_its_new_time(open_uow, world):
    """Only ``updated_at`` changes: the SQL adapter writes it from its buffer at commit."""
    with open_uow() as uow:
        case = uow.cases.get(world.case.id)
        case.updated_at = at(90)
        uow.cases.update(case)
        uow.commit()
    with open_uow() as uow:
        assert uow.cases.get(world.case.id).updated_at == at(90)
        listed = uow.cases.list().items
    assert [c.updated_at for c in listed if c.id == world.case.id] == [at(90)]


def test_a_rolled_back_touch_leaves_the_case_as_it_was(open_uow, world):
    with open_uow() as uow:
        case = uow.cases.get(world.case.id)
        case.updated_at = at(90)
        uow.cases.update(case)
        uow.rollback()
        assert uow.cases.get(world.case.id).updated_at == world.case.updated_at


def test_ledger_get_many_finds_the_recorded_keys_only(open_uow, world):
    receipt = Receipt(
        document_id=world.document.id,
        target=PlacementTarget.COMMON_INBOX,
        rule="fallback",
        reason="nothing known",
    )

    def record(sender: str, message: str) -> IntakeRecord:
        return IntakeRecord(
            sender_system=sender,
            message_id=message,
            fingerprint="f" * 64,
            receipt=receipt,
            received_at=at(1),
        )

    first, second = record("scanning", "m-1"), record("email", "m-1")
    store(open_uow, "intake", first, second)
    with open_uow() as uow:
        found = uow.intake.get_many([("scanning", "m-1"), ("scanning", "m-2"), ("email", "m-1")])
    assert found == {("scanning", "m-1"): first, ("email", "m-1"): second}
