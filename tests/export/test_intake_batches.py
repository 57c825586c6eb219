"""A batch of intakes on every backend: what its items see of each other, and the case
versions its one commit registers.

On SQL the batch's rows wait in the unit of work's write buffer and its lookups are
answered from what the repositories remember, so this is where a lookup that missed an
earlier item of the same batch would show.
"""

from __future__ import annotations

from core.intake import CaseReference, Receipt
from core.models import PlacementTarget, utcnow
from core.placement import seed_chain
from core.rules import PlacementPolicy
from core.services.intake import IntakeService
from core.services.snapshots import case_snapshot
from tests.unit.builders import World, incoming

CPR, OTHER_CPR = "0101901234", "0202904321"


def test_a_batch_sees_its_own_parties_cases_and_keys(backend):
    uow_factory, blobs = backend
    world = World(uow_factory)
    known = world.case()
    policy = PlacementPolicy(create_case_for_unknown_party=True)
    service = IntakeService(uow_factory, blobs, world.id, seed_chain(), policy)
    batch = [
        incoming(blobs, b"%PDF-1 a", message_id="m-1", cprs=[CPR]),
        incoming(blobs, b"%PDF-1 a", message_id="m-1", cprs=[CPR]),
        incoming(blobs, b"%PDF-1 b", cprs=[CPR]),
        incoming(blobs, b"%PDF-1 c", cprs=[OTHER_CPR]),
        incoming(blobs, b"%PDF-1 d", case=CaseReference(case_number=known.number)),
        incoming(blobs, b"%PDF-1 e", case=CaseReference(case_number=known.number)),
        incoming(blobs, b"%PDF-1 f", message_id="m-1", cprs=[OTHER_CPR]),
    ]
    with uow_factory(world.id) as uow:
        before = uow.history.changes_after(0, 100).next_cursor
    first, repeat, follow, other, on_known, again_on_known, clash = service.receive_batch(batch)

    assert isinstance(first, Receipt) and first.target is PlacementTarget.NEW_CASE
    assert repeat == first.model_copy(update={"duplicate": True})
    assert (follow.target, follow.case_id) == (PlacementTarget.CASE, first.case_id)
    assert other.target is PlacementTarget.NEW_CASE
    assert other.case_number != first.case_number
    assert on_known.case_id == again_on_known.case_id == known.id
    assert clash.field == "message_id"
    with uow_factory(world.id) as uow:
        party = uow.parties.get_by_cpr(CPR)
        case = uow.cases.get(first.case_id)
        links = uow.documents.links_for_case(case.id)
        versions = uow.history.changes_after(before, 100).changes
        registered = uow.history.as_of(known.id, utcnow())
        live = case_snapshot(uow, uow.cases.get(known.id))
    assert case.primary_party_id == party.id
    assert {link.document_id for link in links} == {first.document_id, follow.document_id}
    # One commit: one version per changed case, numbered after the versions before it.
    assert sorted(str(c.case_id) for c in versions) == sorted(
        str(i) for i in (first.case_id, other.case_id, known.id)
    )
    assert len({c.registered_at for c in versions}) == 1
    assert registered.model_dump(exclude={"taken_at"}) == live.model_dump(exclude={"taken_at"})
    assert {link.document_id for link in live.links} == {
        on_known.document_id,
        again_on_known.document_id,
    }
