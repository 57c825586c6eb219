"""The fakes keep the ports' promises; the services' tests rely on them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from core.errors import Conflict, NotAllowed, NotFound, PayloadRejected
from core.events import CaseChanged
from core.intake import Receipt
from core.models import (
    Case,
    CaseStatus,
    Document,
    DocumentLink,
    Notice,
    Part,
    PlacementTarget,
    Variant,
)
from ports.persistence import IntakeRecord
from tests.unit.builders import KOEGE_CVR, World, stage_part


def _record(message_id: str = "m-1", fingerprint: str = "f") -> IntakeRecord:
    receipt = Receipt(
        document_id=uuid4(),
        target=PlacementTarget.COMMON_INBOX,
        rule="common_inbox",
        reason="test",
    )
    return IntakeRecord(
        sender_system="scanning",
        message_id=message_id,
        fingerprint=fingerprint,
        receipt=receipt,
        received_at=datetime.now(UTC),
    )


def _case(world: World, number: str = "27.24.00-G01-1-24") -> Case:
    return Case(
        municipality_id=world.id,
        number=number,
        title="Sag",
        kle_subject="27.24.00",
        handlingsfacet="G01",
    )


def test_changes_are_seen_by_others_only_after_commit(uow_factory, world):
    case = _case(world)
    with uow_factory(world.id) as writer, uow_factory(world.id) as reader:
        writer.cases.add(case)
        assert writer.cases.get(case.id) is not None
        assert reader.cases.get(case.id) is None
        writer.commit()
        assert reader.cases.get(case.id) == case


def test_leaving_without_commit_rolls_back(uow_factory, world, blobs):
    part = stage_part(blobs)
    with uow_factory(world.id) as uow:
        uow.cases.add(_case(world))
        uow.keep_blob(part)
        uow.record(CaseChanged(municipality_id=world.id, case_id=world.id, change="created"))
    with uow_factory(world.id) as uow:
        assert uow.cases.list().total == 0
    assert part.staging_token not in blobs.staged_tokens
    assert not blobs.exists(part.sha256)


def test_commit_promotes_kept_blobs_and_then_publishes(uow_factory, world, blobs, publisher):
    part = stage_part(blobs, b"bytes")
    event = CaseChanged(municipality_id=world.id, case_id=world.id, change="created")
    with uow_factory(world.id) as uow:
        uow.keep_blob(part)
        uow.record(event)
        assert publisher.events == []
        uow.commit()
    assert publisher.events == [event]
    assert blobs.open(part.sha256).read() == b"bytes"
    assert blobs.staged_tokens == frozenset()


def test_returned_models_are_copies(uow_factory, world):
    world.add(cases=_case(world))
    with uow_factory(world.id) as uow:
        case = uow.cases.get_by_number("27.24.00-G01-1-24")
        case.title = "changed but not updated"
        assert uow.cases.get(case.id).title == "Sag"


def test_update_stores_only_the_changeable_fields(uow_factory, world):
    case = _case(world)
    world.add(cases=case)
    with uow_factory(world.id) as uow:
        changed = case.model_copy(
            update={"status": CaseStatus.CLOSED, "number": "27.24.00-G01-2-24"}
        )
        uow.cases.update(changed)
        uow.commit()
    with uow_factory(world.id) as uow:
        stored = uow.cases.get(case.id)
    assert (stored.status, stored.number) == (CaseStatus.CLOSED, "27.24.00-G01-1-24")


def test_a_concurrent_intake_key_makes_the_later_commit_conflict(uow_factory, world, blobs):
    part = stage_part(blobs)
    with uow_factory(world.id) as first, uow_factory(world.id) as second:
        first.intake.add(_record())
        second.intake.add(_record())
        second.keep_blob(part)
        first.commit()
        with pytest.raises(Conflict) as raised:
            second.commit()
        assert raised.value.field == "message_id"
    # The losing transaction's kept blobs stay staged for a retry.
    assert part.staging_token in blobs.staged_tokens


def test_the_same_key_twice_in_one_unit_conflicts_at_commit(uow_factory, world):
    with uow_factory(world.id) as uow:
        uow.intake.add(_record())
        uow.intake.add(_record())
        with pytest.raises(Conflict):
            uow.commit()
    with uow_factory(world.id) as uow:
        assert uow.intake.get("scanning", "m-1") is None


def test_case_numbers_are_unique_per_municipality(uow_factory, world):
    world.add(cases=_case(world))
    with uow_factory(world.id) as uow:
        uow.cases.add(_case(world))
        with pytest.raises(Conflict) as raised:
            uow.commit()
    assert raised.value.field == "number"
    other = World(uow_factory, name="Køge Kommune", cvr=KOEGE_CVR)
    other.add(cases=_case(other))  # the same number in another municipality is fine


def test_next_sequence_counts_committed_and_pending_cases(uow_factory, world):
    world.add(cases=_case(world, "27.24.00-G01-7-24"))
    with uow_factory(world.id) as uow:
        assert uow.cases.next_sequence("27.24.00", "G01", 2024) == 8
        assert uow.cases.next_sequence("27.24.00", "G01", 2025) == 1
        assert uow.cases.next_sequence("27.24.00", "A01", 2024) == 1
        uow.cases.add(_case(world, "27.24.00-G01-8-24"))
        assert uow.cases.next_sequence("27.24.00", "G01", 2024) == 9


def test_repositories_are_scoped_to_the_municipality(uow_factory, world):
    case = _case(world)
    world.add(cases=case)
    other = World(uow_factory, name="Køge Kommune", cvr=KOEGE_CVR)
    with uow_factory(other.id) as uow:
        assert uow.cases.get(case.id) is None
        assert uow.cases.get_by_number(case.number) is None
        assert uow.municipalities.get(world.id) is not None  # tenants are not scoped
        with pytest.raises(NotAllowed) as raised:
            uow.cases.add(_case(world, "27.24.00-G01-2-24"))
        assert raised.value.field == "municipality_id"


def test_link_is_idempotent_and_checks_its_ends(uow_factory, world):
    case, other = world.case(), world.case()
    activity = world.activity(other)
    part = Part(name="a.pdf", mime_type="application/pdf", size=1, sha256="0" * 64)
    document = Document(
        municipality_id=world.id,
        title="Brev",
        sender_system="scanning",
        message_id="m-1",
        variants=[Variant(name="arkiv", parts=[part])],
    )
    world.add(documents=document)
    with uow_factory(world.id) as uow:
        uow.documents.link(DocumentLink(document_id=document.id, case_id=case.id))
        uow.documents.link(DocumentLink(document_id=document.id, case_id=case.id))
        assert len(uow.documents.links_for_case(case.id)) == 1
        for link, field in [
            (DocumentLink(document_id=uuid4(), case_id=case.id), "document_id"),
            (DocumentLink(document_id=document.id, case_id=uuid4()), "case_id"),
            (
                DocumentLink(document_id=document.id, case_id=case.id, activity_id=activity.id),
                "activity_id",
            ),
        ]:
            with pytest.raises(NotFound) as raised:
                uow.documents.link(link)
            assert raised.value.field == field
        uow.commit()
    with uow_factory(world.id) as uow:
        assert [link.case_id for link in uow.documents.links_for_document(document.id)] == [case.id]


def test_mark_read_keeps_the_first_time_and_rejects_unknown_ids(uow_factory, world):
    worker = world.caseworker()
    notice = Notice(municipality_id=world.id, caseworker_id=worker.id, message="hej")
    world.add(notices=notice)
    first, later = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC)
    with uow_factory(world.id) as uow:
        uow.notices.mark_read(notice.id, first)
        uow.notices.mark_read(notice.id, later)
        assert uow.notices.list_for_caseworker(worker.id)[0].read_at == first
        assert uow.notices.list_for_caseworker(worker.id, unread_only=True) == []
        with pytest.raises(NotFound) as raised:
            uow.notices.mark_read(uuid4(), first)
        assert raised.value.field == "notice_id"


def test_blob_writer_hashes_stages_and_limits(blobs):
    writer = blobs.writer(max_bytes=10)
    writer.write(b"hello ")
    writer.write(b"you")
    staged = writer.finish()
    assert staged.sha256 == hashlib.sha256(b"hello you").hexdigest()
    assert (staged.size, staged.head) == (9, b"hello you")
    assert staged.token in blobs.staged_tokens

    too_big = blobs.writer(max_bytes=4)
    with pytest.raises(PayloadRejected):
        too_big.write(b"12345")
    too_big.abort()  # safe after the rejection aborted it


def test_blob_promote_is_content_addressed(blobs):
    first, second = stage_part(blobs, b"same"), stage_part(blobs, b"same")
    assert blobs.promote(first.staging_token, first.sha256) is True
    assert blobs.promote(second.staging_token, second.sha256) is False
    assert blobs.staged_tokens == frozenset()
    assert blobs.size(first.sha256) == 4
    blobs.discard("unknown token")
    blobs.remove(first.sha256)
    assert not blobs.exists(first.sha256)
    with pytest.raises(NotFound):
        blobs.open(first.sha256)
