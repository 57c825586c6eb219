from __future__ import annotations

import hashlib
import logging
from uuid import uuid4

import pytest

from core.errors import Conflict, DomainError, InvalidValue, NotFound
from core.events import CaseChanged, DocumentPlaced, DocumentReceived
from core.intake import CaseReference, IncomingVariant, Receipt, StagedPart
from core.models import CaseStatus, PartyKind, PlacementTarget, utcnow
from core.placement import CaseReferenceRule, seed_chain
from core.rules import PlacementDecision, PlacementPolicy
from core.services.cases import CaseService, NewCase
from core.services.intake import IntakeService
from ports.persistence import InboxFilter
from tests.fakes import InMemoryUnitOfWork, RecordingPublisher, memory_uow_factory
from tests.unit.builders import incoming, stage_part

CPR = "0101901234"
OTHER_CPR = "0202024321"
CVR = "55133018"
YY = f"{utcnow().year % 100:02d}"


def _racing_factory(store, blobs, publisher, before_first_commit):
    """Units of work whose first commit lets a concurrent transaction commit just before it."""
    pending = [before_first_commit]

    class Racing(InMemoryUnitOfWork):
        def commit(self) -> None:
            if pending:
                pending.pop()()
            super().commit()

    return lambda municipality_id: Racing(store, municipality_id, blobs, publisher)


@pytest.fixture
def losing_intake(store, blobs, publisher, world, policy, uow_factory):
    """An intake whose first commit loses to the same delivery (message "m") made elsewhere;
    the winner's receipts are collected in the list returned alongside."""
    winner = IntakeService(uow_factory, blobs, world.id, seed_chain(), policy)
    won: list[Receipt] = []
    racing = _racing_factory(
        store, blobs, publisher, lambda: won.append(winner.receive(incoming(blobs, message_id="m")))
    )
    return IntakeService(racing, blobs, world.id, seed_chain(), policy), won


def _types(events):
    return [type(e) for e in events]


def test_a_case_reference_places_on_the_case_and_stores_it_all(
    intake, world, blobs, uow_factory, publisher
):
    case = world.case()
    delivery = incoming(blobs, case=CaseReference(case_id=case.id))
    receipt = intake.receive(delivery)

    assert receipt.target is PlacementTarget.CASE
    assert (receipt.case_id, receipt.case_number) == (case.id, case.number)
    assert (receipt.rule, receipt.duplicate) == ("case_reference", False)
    with uow_factory(world.id) as uow:
        document = uow.documents.get(receipt.document_id)
        [link] = uow.documents.links_for_case(case.id)
        [placement] = uow.placements.list_for_document(document.id)
        record = uow.intake.get("scanning", delivery.message_id)
        assert uow.cases.get(case.id).updated_at > case.updated_at
    assert document.title == delivery.title
    part = delivery.variants[0].parts[0]
    assert document.variants[0].parts[0].sha256 == part.sha256
    assert (link.document_id, link.activity_id) == (document.id, None)
    assert (placement.rule, placement.reason) == ("case_reference", receipt.reason)
    assert placement.evidence["case_number"] == case.number
    assert record.receipt == receipt and record.fingerprint == delivery.fingerprint()
    assert blobs.exists(part.sha256) and blobs.staged_tokens == frozenset()
    assert _types(publisher.events) == [DocumentReceived, DocumentPlaced, CaseChanged]
    assert publisher.events[2].change == "document"


def test_an_activity_reference_links_to_the_activity(intake, world, blobs, uow_factory):
    case = world.case()
    activity = world.activity(case)
    ref = CaseReference(case_number=case.number, activity_id=activity.id)
    receipt = intake.receive(incoming(blobs, case=ref))
    assert (receipt.target, receipt.activity_id) == (PlacementTarget.ACTIVITY, activity.id)
    with uow_factory(world.id) as uow:
        [link] = uow.documents.links_for_case(case.id)
    assert link.activity_id == activity.id


def test_a_new_case_is_numbered_and_made_for_the_party(
    uow_factory, blobs, world, notifier, publisher
):
    worker = world.caseworker("hanne")
    policy = PlacementPolicy(create_case_for_unknown_party=True)
    service = IntakeService(uow_factory, blobs, world.id, seed_chain(), policy, notifier)
    receipt = service.receive(incoming(blobs, cprs=[CPR], caseworker="hanne"))

    assert receipt.target is PlacementTarget.NEW_CASE
    assert receipt.case_number == f"27.24.00-G01-1-{YY}"
    with uow_factory(world.id) as uow:
        case = uow.cases.get(receipt.case_id)
        party = uow.parties.get_by_cpr(CPR)
        assert [link.document_id for link in uow.documents.links_for_case(case.id)] == [
            receipt.document_id
        ]
    assert case.primary_party_id == party.id
    assert (case.title, case.caseworker_id) == ("Underretning fra skolen", worker.id)
    assert publisher.events[-1] == CaseChanged(
        municipality_id=world.id,
        case_id=case.id,
        change="created",
        object_id=receipt.document_id,
        occurred_at=publisher.events[-1].occurred_at,
    )
    second = service.receive(incoming(blobs, cprs=[OTHER_CPR], create_case=False))
    assert second.case_number == f"27.24.00-G01-2-{YY}"


def test_a_caseworkers_inbox_gets_an_item_and_a_notice(intake, world, blobs, uow_factory, notifier):
    worker = world.caseworker("hanne")
    receipt = intake.receive(incoming(blobs, caseworker="hanne"))

    assert (receipt.target, receipt.caseworker_id) == (PlacementTarget.CASEWORKER_INBOX, worker.id)
    with uow_factory(world.id) as uow:
        item = uow.inbox.get(receipt.inbox_item_id)
        [notice] = uow.notices.list_for_caseworker(worker.id)
    assert (item.document_id, item.caseworker_id) == (receipt.document_id, worker.id)
    assert notice.document_id == receipt.document_id
    assert notifier.sent == [(worker, notice)]


def test_the_common_inbox_gets_the_candidates(intake, world, blobs, uow_factory, notifier):
    party = world.person(CPR)
    first, second = world.case(party), world.case(party)
    receipt = intake.receive(incoming(blobs, cprs=[CPR]))

    assert (receipt.target, receipt.rule) == (PlacementTarget.COMMON_INBOX, "party_cpr")
    with uow_factory(world.id) as uow:
        item = uow.inbox.get(receipt.inbox_item_id)
    assert item.caseworker_id is None
    assert item.candidate_case_ids == [first.id, second.id]
    assert notifier.sent == []


def test_parties_are_found_or_created(intake, world, blobs, uow_factory):
    known = world.person(CPR)
    receipt = intake.receive(incoming(blobs, cprs=[CPR, OTHER_CPR, CPR], cvrs=[CVR]))
    again = intake.receive(incoming(blobs, cprs=[OTHER_CPR], cvrs=[CVR]))
    with uow_factory(world.id) as uow:
        document = uow.documents.get(receipt.document_id)
        parties = uow.parties.get_many(document.party_ids)
        assert uow.documents.get(again.document_id).party_ids == document.party_ids[1:]
    assert parties[0] == known
    assert [(p.kind, p.cpr, p.cvr) for p in parties[1:]] == [
        (PartyKind.PERSON, OTHER_CPR, None),
        (PartyKind.COMPANY, None, CVR),
    ]


def test_a_repeated_delivery_answers_with_the_first_receipt(
    intake, world, blobs, uow_factory, publisher
):
    first = intake.receive(incoming(blobs, message_id="m-1"))
    events = list(publisher.events)
    repeat = incoming(blobs, message_id="m-1")
    second = intake.receive(repeat)

    assert second == first.model_copy(update={"duplicate": True})
    assert blobs.staged_tokens == frozenset()
    assert publisher.events == events
    with uow_factory(world.id) as uow:
        assert uow.inbox.list(InboxFilter()).total == 1


def test_other_content_under_a_used_message_id_is_a_conflict(
    intake, world, blobs, uow_factory, publisher
):
    intake.receive(incoming(blobs, message_id="m-1"))
    events = list(publisher.events)
    with pytest.raises(Conflict) as raised:
        intake.receive(incoming(blobs, b"other bytes", message_id="m-1"))
    assert raised.value.field == "message_id"
    assert blobs.staged_tokens == frozenset()
    assert not blobs.exists(hashlib.sha256(b"other bytes").hexdigest())
    assert publisher.events == events


def test_a_failed_delivery_leaves_nothing_behind(intake, world, blobs, uow_factory, publisher):
    delivery = incoming(blobs, cprs=[CPR], case=CaseReference(case_id=uuid4()))
    with pytest.raises(NotFound) as raised:
        intake.receive(delivery)
    assert raised.value.field == "case"
    assert blobs.staged_tokens == frozenset()
    assert publisher.events == []
    with uow_factory(world.id) as uow:
        assert uow.parties.get_by_cpr(CPR) is None
        assert uow.intake.get("scanning", delivery.message_id) is None


def test_a_failed_commit_discards_the_kept_files_too(intake, world, blobs, uow_factory, publisher):
    good = stage_part(blobs, b"good")
    lost = StagedPart(
        name="lost.pdf",
        mime_type="application/pdf",
        size=4,
        sha256=hashlib.sha256(b"lost").hexdigest(),
        staging_token="no-such-token",
    )
    delivery = incoming(blobs, variants=[IncomingVariant(name="arkiv", parts=[good, lost])])
    with pytest.raises(NotFound) as raised:
        intake.receive(delivery)
    assert raised.value.field == "staging_token"
    assert blobs.staged_tokens == frozenset()
    assert not blobs.exists(good.sha256)
    assert publisher.events == []
    with uow_factory(world.id) as uow:
        assert uow.intake.get("scanning", delivery.message_id) is None


def test_events_are_published_after_the_commit(store, blobs, world, policy):
    seen = []

    def look(events):
        with factory(world.id) as uow:
            seen.append([uow.documents.get(e.document_id) is not None for e in events[:1]])

    factory = memory_uow_factory(store, blobs, RecordingPublisher(on_publish=look))
    IntakeService(factory, blobs, world.id, seed_chain(), policy).receive(incoming(blobs))
    assert seen == [[True]]


def test_losing_a_race_to_the_same_delivery_answers_with_the_winners_receipt(
    losing_intake, blobs, world, uow_factory
):
    loser, won = losing_intake
    receipt = loser.receive(incoming(blobs, message_id="m"))

    assert receipt == won[0].model_copy(update={"duplicate": True})
    assert blobs.staged_tokens == frozenset()
    with uow_factory(world.id) as uow:
        assert uow.documents.get(won[0].document_id) is not None
        assert uow.inbox.list(InboxFilter()).total == 1


def test_losing_a_race_for_a_case_number_takes_the_next(
    store, blobs, publisher, world, uow_factory
):
    cases = CaseService(uow_factory, world.id)
    new = NewCase(title="Anden sag", kle_subject="27.24.00", handlingsfacet="G01")
    racing = _racing_factory(store, blobs, publisher, lambda: cases.create_case(new, "tester"))
    policy = PlacementPolicy(create_case_for_unknown_party=True)
    service = IntakeService(racing, blobs, world.id, seed_chain(), policy)
    delivery = incoming(blobs, cprs=[CPR])
    receipt = service.receive(delivery)
    assert receipt.case_number == f"27.24.00-G01-2-{YY}"
    assert blobs.exists(delivery.variants[0].parts[0].sha256)
    assert blobs.staged_tokens == frozenset()


def test_a_failing_notifier_does_not_undo_the_intake(uow_factory, blobs, world, policy, caplog):
    class Broken:
        def notify(self, caseworker, notice):
            raise OSError("mail server down")

    world.caseworker("hanne")
    service = IntakeService(uow_factory, blobs, world.id, seed_chain(), policy, Broken())
    with caplog.at_level(logging.ERROR):
        receipt = service.receive(incoming(blobs, caseworker="hanne"))
    assert receipt.target is PlacementTarget.CASEWORKER_INBOX
    assert "hanne" in caplog.text


def test_a_contributed_rule_naming_a_missing_case_is_refused(uow_factory, blobs, world, policy):
    class Wrong:
        name = "wrong"

        def decide(self, context):
            return PlacementDecision(
                target=PlacementTarget.CASE, rule="wrong", reason="guess", case_id=uuid4()
            )

    class Vague(Wrong):
        def decide(self, context):
            return PlacementDecision(target=PlacementTarget.ACTIVITY, rule="vague", reason="?")

    for rule, error in [(Wrong(), NotFound), (Vague(), InvalidValue)]:
        service = IntakeService(uow_factory, blobs, world.id, seed_chain([rule]), policy)
        with pytest.raises(error) as raised:
            service.receive(incoming(blobs))
        assert raised.value.field == "case"
    assert blobs.staged_tokens == frozenset()


def test_the_rules_must_end_in_the_common_inbox(uow_factory, blobs, world, policy):
    with pytest.raises(ValueError, match="CommonInboxRule"):
        IntakeService(uow_factory, blobs, world.id, [CaseReferenceRule()], policy)


# --- batches ----------------------------------------------------------------------------


def test_a_batch_commits_once_and_reports_a_bad_item_in_its_slot(
    store, blobs, publisher, world, policy, uow_factory
):
    opened = []

    def counting(municipality_id):
        opened.append(municipality_id)
        return uow_factory(municipality_id)

    case = world.case()
    bad = incoming(blobs, b"bad", case=CaseReference(case_id=uuid4()))
    batch = [incoming(blobs), bad, incoming(blobs, b"2nd", case=CaseReference(case_id=case.id))]
    service = IntakeService(counting, blobs, world.id, seed_chain(), policy)
    results = service.receive_batch(batch)

    assert len(opened) == 1
    assert isinstance(results[0], Receipt) and isinstance(results[2], Receipt)
    assert isinstance(results[1], NotFound) and results[1].field == "case"
    assert results[2].case_id == case.id
    assert blobs.staged_tokens == frozenset()
    assert not blobs.exists(bad.variants[0].parts[0].sha256)
    with uow_factory(world.id) as uow:
        assert all(uow.documents.get(r.document_id) for r in (results[0], results[2]))
    assert _types(publisher.events).count(DocumentReceived) == 2


def test_a_batch_sees_its_own_earlier_items(intake, world, blobs, uow_factory):
    policy_case = incoming(blobs, b"a", message_id="m-1", cprs=[CPR], create_case=True)
    same_again = incoming(blobs, b"a", message_id="m-1", cprs=[CPR], create_case=True)
    follow_up = incoming(blobs, b"b", cprs=[CPR])
    first, repeat, follow = intake.receive_batch([policy_case, same_again, follow_up])

    assert first.target is PlacementTarget.NEW_CASE
    assert repeat == first.model_copy(update={"duplicate": True})
    assert (follow.target, follow.case_id) == (PlacementTarget.CASE, first.case_id)
    assert blobs.staged_tokens == frozenset()


def test_a_batch_that_loses_a_race_is_received_one_by_one(losing_intake, blobs):
    service, won = losing_intake
    bad = incoming(blobs, b"bad", case=CaseReference(case_id=uuid4()))
    other = incoming(blobs, b"other")
    results = service.receive_batch([incoming(blobs, message_id="m"), other, bad])

    assert results[0] == won[0].model_copy(update={"duplicate": True})
    assert isinstance(results[1], Receipt) and not results[1].duplicate
    assert isinstance(results[2], DomainError)
    assert blobs.exists(other.variants[0].parts[0].sha256)
    assert blobs.staged_tokens == frozenset()


def test_a_closed_case_reference_still_receives(intake, world, blobs):
    case = world.case(status=CaseStatus.CLOSED)
    receipt = intake.receive(incoming(blobs, case=CaseReference(case_id=case.id)))
    assert receipt.case_id == case.id and "closed" in receipt.reason
