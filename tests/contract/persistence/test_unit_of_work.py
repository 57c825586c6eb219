"""The unit of work: rows, kept blobs and events commit together or not at all."""

from __future__ import annotations

import hashlib
import threading
from contextlib import nullcontext

import pytest

from adapters.blobs.filesystem import FilesystemBlobStore
from core.errors import Conflict
from core.events import CaseChanged, DocumentReceived
from core.intake import Receipt
from core.models import Party, PartyKind, PlacementTarget
from ports.persistence import IntakeRecord

from . import builders
from .staging import FailingPromotion, document_with, stage, staging_area


def intake_record(world, message_id: str = "m-1") -> IntakeRecord:
    receipt = Receipt(
        document_id=world.document.id,
        target=PlacementTarget.COMMON_INBOX,
        rule="nothing_known",
        reason="no case, party or caseworker",
    )
    return IntakeRecord(
        sender_system="scanning",
        message_id=message_id,
        fingerprint="a" * 64,
        receipt=receipt,
        received_at=builders.at(1),
    )


def events_for(world):
    return [
        DocumentReceived(
            municipality_id=world.document.municipality_id,
            document_id=world.document.id,
            sender_system="scanning",
            message_id="m-1",
        ),
        CaseChanged(
            municipality_id=world.case.municipality_id, case_id=world.case.id, change="document"
        ),
    ]


def test_commit_stores_rows_and_kept_blobs_once(open_uow, blobs, municipality):
    first, same_again = stage(blobs, b"%PDF-1.7 brev"), stage(blobs, b"%PDF-1.7 brev")
    document = document_with(municipality.id, first)
    with open_uow() as uow:
        uow.keep_blob(first)
        uow.keep_blob(same_again)
        uow.documents.add(document)
        uow.commit()
    with open_uow() as uow:
        assert uow.documents.get(document.id) == document
    with blobs.open(first.sha256) as stored:
        assert stored.read() == b"%PDF-1.7 brev"
    assert staging_area(blobs) == []


CLASHES = {
    "number": ("cases", lambda w, mid: builders.case(mid, number=w.case.number)),
    "cpr": ("parties", lambda w, mid: builders.person(mid, cpr=w.person.cpr)),
    "cvr": (
        "parties",
        lambda w, mid: Party(municipality_id=mid, kind=PartyKind.COMPANY, cvr=w.company.cvr),
    ),
    "username": (
        "caseworkers",
        lambda w, mid: builders.caseworker(mid, username=w.caseworker.username),
    ),
    "message id": ("intake", lambda w, mid: intake_record(w)),
}


@pytest.mark.parametrize("clash", CLASHES)
def test_a_taken_unique_key_is_a_conflict_at_commit_and_nothing_is_stored(
    open_uow, world, municipality, blobs, publisher, clash
):
    repository, make = CLASHES[clash]
    if clash == "message id":
        with open_uow() as uow:
            uow.intake.add(intake_record(world))
            uow.commit()
    bystander = builders.person(municipality.id)
    staged = stage(blobs, b"bytes of a clashing delivery")
    with open_uow() as uow:
        uow.parties.add(bystander)
        uow.keep_blob(staged)
        uow.record(events_for(world)[0])
        getattr(uow, repository).add(make(world, municipality.id))
        with pytest.raises(Conflict) as raised:
            uow.commit()
    assert clash in str(raised.value).replace("_", " ").lower()
    with open_uow() as uow:
        assert uow.parties.get(bystander.id) is None
    assert not blobs.exists(staged.sha256)
    assert len(staging_area(blobs)) == 1, "a conflict leaves kept blobs staged for a retry"
    blobs.discard(staged.staging_token)
    assert staging_area(blobs) == []
    assert publisher.published == []


def test_the_same_key_twice_in_one_unit_of_work_is_a_conflict(open_uow, world):
    with open_uow() as uow:
        uow.intake.add(intake_record(world))
        uow.intake.add(intake_record(world))
        with pytest.raises(Conflict):
            uow.commit()
    with open_uow() as uow:
        assert uow.intake.get("scanning", "m-1") is None


@pytest.mark.parametrize("ending", ["rollback", "no commit", "exception"])
def test_without_commit_nothing_is_stored_and_staged_blobs_are_discarded(
    open_uow, municipality, blobs, publisher, world, ending
):
    staged = stage(blobs, b"never kept")
    party = builders.person(municipality.id)
    with pytest.raises(RuntimeError) if ending == "exception" else nullcontext():  # noqa: SIM117
        with open_uow() as uow:
            uow.parties.add(party)
            uow.keep_blob(staged)
            uow.record(events_for(world)[0])
            if ending == "rollback":
                uow.rollback()
            elif ending == "exception":
                raise RuntimeError("the use case failed")
    with open_uow() as uow:
        assert uow.parties.get(party.id) is None
    assert not blobs.exists(staged.sha256)
    assert staging_area(blobs) == []
    assert publisher.published == []


def test_a_failed_commit_removes_the_blobs_it_promoted_but_never_older_ones(
    uow_backend, tmp_path, municipality, publisher, world
):
    blobs = FilesystemBlobStore(tmp_path / "store")
    older = stage(blobs, b"stored by an earlier commit")
    uow_factory = uow_backend(blobs, publisher)
    with uow_factory(municipality.id) as uow:
        uow.keep_blob(older)
        uow.documents.add(document_with(municipality.id, older))
        uow.commit()

    failing_content = b"the file that does not fit"
    blobs = FailingPromotion(tmp_path / "store", hashlib.sha256(failing_content).hexdigest())
    uow_factory = uow_backend(blobs, publisher)
    staged = [
        stage(blobs, content)
        for content in (b"stored by an earlier commit", b"new", failing_content, b"never reached")
    ]
    document = document_with(municipality.id, *staged)
    with uow_factory(municipality.id) as uow:
        for part in staged:
            uow.keep_blob(part)
        uow.documents.add(document)
        uow.record(events_for(world)[0])
        with pytest.raises(OSError, match="No space"):
            uow.commit()
    with uow_factory(municipality.id) as uow:
        assert uow.documents.get(document.id) is None
    assert blobs.exists(older.sha256)
    assert [blobs.exists(part.sha256) for part in staged] == [True, False, False, False]
    assert staging_area(blobs) == []
    assert publisher.published == []


def test_events_are_published_after_the_commit_in_order_and_once(
    open_uow, municipality, publisher, world
):
    party = builders.person(municipality.id)
    events = events_for(world)
    seen_at_publish = []

    def check_committed(published):
        with open_uow() as other:
            seen_at_publish.append(other.parties.get(party.id))

    publisher.on_publish = check_committed
    with open_uow() as uow:
        uow.parties.add(party)
        for event in events:
            uow.record(event)
        assert publisher.published == []
        uow.commit()
        assert publisher.published == events
        uow.commit()
    assert publisher.published == events
    assert seen_at_publish == [party]


def test_parallel_deliveries_of_one_intake_key_commit_exactly_once(
    uow_factory, municipality, world
):
    both_read = threading.Barrier(2)
    outcomes: list[object] = []

    def deliver() -> None:
        try:
            with uow_factory(municipality.id) as uow:
                assert uow.intake.get("scanning", "race") is None
                both_read.wait(timeout=10)
                uow.intake.add(intake_record(world, "race"))
                uow.commit()
            outcomes.append("committed")
        except Conflict:
            outcomes.append("conflict")
        except Exception as error:  # reported below, with the other outcome
            outcomes.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, outcomes)) == ["committed", "conflict"]
    with uow_factory(municipality.id) as uow:
        assert uow.intake.get("scanning", "race") == intake_record(world, "race")
