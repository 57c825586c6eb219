from __future__ import annotations

from uuid import uuid4

import pytest
from pydantic import ValidationError

from core.errors import InvalidValue, NotFound
from core.events import CaseChanged
from core.intake import CaseReference
from core.models import CasePartyRole, CaseStatus, utcnow
from core.services.cases import CaseService, NewCase
from tests.unit.builders import KOEGE_CVR, World, incoming

CPR = "0101901234"
YY = f"{utcnow().year % 100:02d}"


def _new(**fields) -> NewCase:
    return NewCase(
        **({"title": "Bekymring", "kle_subject": "27.24.00", "handlingsfacet": "G01"} | fields)
    )


def _audit(uow_factory, world, **query):
    with uow_factory(world.id) as uow:
        return [
            (e.actor, e.action, e.object_type, e.object_id) for e in uow.audit.list(**query).items
        ]


def _changes(publisher):
    return [(e.case_id, e.change) for e in publisher.events if isinstance(e, CaseChanged)]


def test_create_case_numbers_increase_per_kle_parts(cases, world, publisher):
    first = cases.create_case(_new(), "hanne")
    second = cases.create_case(_new(), "hanne")
    other_facet = cases.create_case(_new(handlingsfacet="g02"), "hanne")
    assert first.number == f"27.24.00-G01-1-{YY}"
    assert second.number == f"27.24.00-G01-2-{YY}"
    assert other_facet.number == f"27.24.00-G02-1-{YY}"
    assert _changes(publisher) == [(c.id, "created") for c in (first, second, other_facet)]


def test_create_case_with_party_and_caseworker(cases, world, uow_factory):
    worker = world.caseworker("hanne")
    case = cases.create_case(_new(primary_cpr="010190-1234", caseworker="hanne"), "hanne")
    with uow_factory(world.id) as uow:
        stored = uow.cases.get(case.id)
        party = uow.parties.get_by_cpr(CPR)
    assert stored == case
    assert (stored.primary_party_id, stored.caseworker_id) == (party.id, worker.id)
    assert _audit(uow_factory, world) == [("hanne", "create", "case", case.id)]


def test_create_case_refuses_unknown_caseworkers_and_bad_values(cases, world, uow_factory):
    with pytest.raises(NotFound) as raised:
        cases.create_case(_new(caseworker="nobody", primary_cpr=CPR), "hanne")
    assert raised.value.field == "caseworker"
    with uow_factory(world.id) as uow:
        assert uow.parties.get_by_cpr(CPR) is None
    with pytest.raises(ValidationError, match="kle_subject"):
        _new(kle_subject="27.24")


def test_add_activity(cases, world, uow_factory, publisher):
    case = world.case()
    activity = cases.add_activity(case.id, "Møde med familien", "møde", "hanne")
    with uow_factory(world.id) as uow:
        assert uow.activities.list_for_case(case.id) == [activity]
        assert uow.cases.get(case.id).updated_at > case.updated_at
    assert activity.kind == "møde"
    assert _changes(publisher) == [(case.id, "activity")]
    with pytest.raises(NotFound) as raised:
        cases.add_activity(uuid4(), "x", "møde", "hanne")
    assert raised.value.field == "case_id"


def test_add_journal_note(cases, world, uow_factory, publisher):
    worker = world.caseworker()
    case, other = world.case(), world.case()
    activity = world.activity(case)
    note = cases.add_journal_note(
        case.id,
        "Samtale",
        "Talte med moren.",
        "hanne",
        author_id=worker.id,
        activity_id=activity.id,
    )
    with uow_factory(world.id) as uow:
        assert uow.journal.list_for_case(case.id) == [note]
    assert _changes(publisher) == [(case.id, "journal_note")]
    for kwargs, field in [
        ({"activity_id": world.activity(other).id}, "activity_id"),
        ({"author_id": uuid4()}, "author_id"),
    ]:
        with pytest.raises(NotFound) as raised:
            cases.add_journal_note(case.id, "t", "x", "hanne", **kwargs)
        assert raised.value.field == field


def test_close_case_once(cases, world, publisher, uow_factory):
    case = world.case()
    closed = cases.close_case(case.id, "hanne")
    assert closed.status is CaseStatus.CLOSED and closed.closed_at is not None
    again = cases.close_case(case.id, "hanne")
    assert again.closed_at == closed.closed_at
    assert _changes(publisher) == [(case.id, "status")]
    with uow_factory(world.id) as uow:
        assert uow.cases.get(case.id).status is CaseStatus.CLOSED


def test_snapshot_holds_everything_on_the_case_and_is_audited(
    cases, intake, world, blobs, uow_factory
):
    worker = world.caseworker()
    child = world.person(CPR)
    case = world.case(child, caseworker=worker)
    activity = world.activity(case)
    on_case = intake.receive(incoming(blobs, b"a", case=CaseReference(case_id=case.id)))
    ref = CaseReference(case_id=case.id, activity_id=activity.id)
    on_activity = intake.receive(incoming(blobs, b"b", case=ref))
    note = cases.add_journal_note(case.id, "Notat", "Tekst", "hanne")
    world.case()  # another case, not in the snapshot

    snapshot = cases.snapshot(case.id, "sapa", action="export")

    assert snapshot.municipality == world.municipality
    assert snapshot.case.id == case.id
    assert (snapshot.caseworker, snapshot.parties) == (worker, [child])
    assert snapshot.activities == [activity]
    assert [d.id for d in snapshot.documents] == [on_case.document_id, on_activity.document_id]
    assert [d.id for d in snapshot.documents_on(None)] == [on_case.document_id]
    assert [d.id for d in snapshot.documents_on(activity.id)] == [on_activity.document_id]
    assert snapshot.journal_notes == [note]
    assert [p.document_id for p in snapshot.placements] == [
        on_case.document_id,
        on_activity.document_id,
    ]
    assert snapshot.taken_at.tzinfo is not None
    assert _audit(uow_factory, world, actor="sapa") == [("sapa", "export", "case", case.id)]


def test_reading_an_unknown_case_is_not_found_and_not_audited(cases, world, uow_factory):
    with pytest.raises(NotFound) as raised:
        cases.snapshot(uuid4(), "hanne")
    assert raised.value.field == "case_id"
    assert _audit(uow_factory, world) == []


def test_search_by_cpr_and_number_audits_each_case_found(cases, world, uow_factory):
    child, sibling = world.person(CPR), world.person("0202024321")
    own = world.case(child)
    mentioned = world.case(sibling)
    mentioned.parties.append(mentioned.parties[0].model_copy(update={"party_id": child.id}))
    mentioned.parties[1].role = CasePartyRole.OTHER
    with uow_factory(world.id) as uow:
        uow.cases.update(mentioned)
        uow.commit()

    assert [c.id for c in cases.search("hanne", cpr=CPR)] == [own.id, mentioned.id]
    assert [c.id for c in cases.search("hanne", number=own.number)] == [own.id]
    assert cases.search("hanne", cpr=CPR, number=mentioned.number)[0].id == mentioned.id
    assert cases.search("hanne", cpr="0303034444") == []
    assert [a[3] for a in _audit(uow_factory, world)] == [
        own.id,
        mentioned.id,
        own.id,
        mentioned.id,
    ]
    assert {a[1] for a in _audit(uow_factory, world)} == {"search"}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({}, "cpr"), ({"cpr": "3102901234"}, "cpr"), ({"number": "27.24.00"}, "case_number")],
)
def test_search_needs_valid_criteria(cases, world, kwargs, field):
    with pytest.raises(InvalidValue) as raised:
        cases.search("hanne", **kwargs)
    assert raised.value.field == field


def test_document_snapshot_is_audited(cases, intake, world, blobs, uow_factory):
    case = world.case()
    receipt = intake.receive(incoming(blobs, cprs=[CPR], case=CaseReference(case_id=case.id)))
    snapshot = cases.document(receipt.document_id, "esdh", action="download")
    assert snapshot.document.id == receipt.document_id
    assert [link.case_id for link in snapshot.links] == [case.id]
    assert [p.cpr for p in snapshot.parties] == [CPR]
    assert snapshot.municipality == world.municipality
    assert _audit(uow_factory, world) == [("esdh", "download", "document", receipt.document_id)]
    with pytest.raises(NotFound) as raised:
        cases.document(uuid4(), "esdh")
    assert raised.value.field == "document_id"


def test_cases_of_another_municipality_are_not_found(cases, uow_factory):
    elsewhere = World(uow_factory, name="Køge Kommune", cvr=KOEGE_CVR).case()
    with pytest.raises(NotFound):
        cases.snapshot(elsewhere.id, "hanne")
    with pytest.raises(NotFound):
        cases.close_case(elsewhere.id, "hanne")


def test_a_snapshot_needs_the_municipality_row(uow_factory, world):
    unknown = uuid4()
    case = world.case().model_copy(update={"municipality_id": unknown})
    with uow_factory(unknown) as uow:
        uow.cases.add(case)
        uow.commit()
    with pytest.raises(NotFound) as raised:
        CaseService(uow_factory, unknown).snapshot(case.id, "hanne")
    assert raised.value.field == "municipality_id"
