"""A case's registered versions are the case as it stood: after every kind of change,
``history.as_of`` equals the live :func:`case_snapshot`, then and at every later moment.

Versions store only the case's head and the ids of the children each change added, so
this is what proves that every change that adds a child names it in its events.
"""

from __future__ import annotations

from uuid import UUID

from core.intake import CaseReference
from core.models import Channel, utcnow
from core.placement import seed_chain
from core.rules import PlacementPolicy
from core.services.cases import CaseService, NewCase
from core.services.inbox import InboxService
from core.services.intake import IntakeService
from core.services.snapshots import case_snapshot
from tests.contract.persistence.builders import new_cvr
from tests.unit.builders import World, incoming

CPR = "0101901234"
STRANGER_CPR = "0202904321"


class Checker:
    """After each change, compares the registered case with the live one and keeps both."""

    def __init__(self, uow_factory, municipality_id: UUID) -> None:
        self._factory = uow_factory
        self._municipality_id = municipality_id
        self.seen: list[tuple[UUID, object, dict]] = []

    def check(self, case_id: UUID, step: str) -> None:
        with self._factory(self._municipality_id) as uow:
            live = case_snapshot(uow, uow.cases.get(case_id))
            registered = uow.history.as_of(case_id, utcnow())
            last = _last_change(uow, case_id)
        assert registered is not None, step
        assert _content(registered) == _content(live), step
        assert registered.taken_at == last.registered_at, step
        self.seen.append((case_id, last.registered_at, _content(live)))

    def check_the_past(self) -> None:
        with self._factory(self._municipality_id) as uow:
            for case_id, moment, then in self.seen:
                assert _content(uow.history.as_of(case_id, moment)) == then


def _last_change(uow, case_id: UUID):
    changes = uow.history.changes_after(0, 1000).changes
    return [c for c in changes if c.case_id == case_id][-1]


def _content(snapshot) -> dict:
    return snapshot.model_dump(exclude={"taken_at"})


def test_every_kind_of_change_is_registered_as_the_live_case(backend):
    uow_factory, blobs = backend
    world = World(uow_factory, cvr=new_cvr())
    worker = world.caseworker("hanne")
    checker = Checker(uow_factory, world.id)
    cases = CaseService(uow_factory, world.id)
    inbox = InboxService(uow_factory, world.id)
    intake = IntakeService(uow_factory, blobs, world.id, seed_chain(), PlacementPolicy())

    new = NewCase(
        title="Bekymring",
        kle_subject="27.24.00",
        handlingsfacet="G01",
        primary_cpr=CPR,
        caseworker="hanne",
    )
    case = cases.create_case(new, "hanne")
    checker.check(case.id, "created")

    intake.receive(incoming(blobs, b"%PDF-1 one", cprs=[CPR], case=CaseReference(case_id=case.id)))
    checker.check(case.id, "document on the case")

    activity = cases.add_activity(case.id, "Børnefaglig undersøgelse", "undersøgelse", "hanne")
    checker.check(case.id, "activity")

    on_activity = CaseReference(case_id=case.id, activity_id=activity.id)
    intake.receive(incoming(blobs, b"%PDF-1 two", case=on_activity))
    checker.check(case.id, "document on the activity")

    cases.add_journal_note(case.id, "Samtale", "tekst", "hanne", activity_id=activity.id)
    checker.check(case.id, "journal note")

    unplaced = intake.receive(incoming(blobs, b"%PDF-1 three", cprs=[STRANGER_CPR]))
    with uow_factory(world.id) as uow:
        item = uow.inbox.get_for_document(unplaced.document_id)
    inbox.place(item.id, case.id, activity.id, worker.id, "hanne")
    checker.check(case.id, "inbox item placed by hand")

    email = incoming(
        blobs, b"%PDF-1 four", channel=Channel.EMAIL, case=CaseReference(case_id=case.id)
    )
    intake.file(email)
    checker.check(case.id, "e-mail filed")

    batch = [
        incoming(blobs, b"%PDF-1 five", case=CaseReference(case_id=case.id)),
        incoming(blobs, b"%PDF-1 six", case=on_activity),
    ]
    intake.receive_batch(batch)
    checker.check(case.id, "two documents in one transaction")

    cases.close_case(case.id, "hanne")
    checker.check(case.id, "closed")

    policy = PlacementPolicy(create_case_for_unknown_party=True)
    making = IntakeService(uow_factory, blobs, world.id, seed_chain(), policy)
    made = making.receive(incoming(blobs, b"%PDF-1 seven", cprs=[STRANGER_CPR], caseworker="hanne"))
    checker.check(made.case_id, "case made by the policy")
    checker.check(case.id, "the first case untouched by the second")

    checker.check_the_past()
    with uow_factory(world.id) as uow:
        assert len(uow.history.as_of(case.id, utcnow()).documents) == 6
