"""Versions, the change feed, export jobs and locked-copy reads over the in-memory fakes."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from core.errors import Conflict, InvalidValue, NotFound
from core.intake import CaseReference
from core.models import utcnow
from core.placement import seed_chain
from core.rules import PlacementPolicy
from core.services.cases import CaseService, NewCase
from core.services.changes import EXPORT_CASE, EXPORT_DOCUMENT, ChangeRecorder
from core.services.copies import CopyService
from core.services.exports import ExportService
from core.services.intake import IntakeService
from core.services.records import case_changed
from ports.integrations import ExportFailed, ExportResult
from tests.fakes import InMemoryBlobStore, InMemoryStore, memory_uow_factory
from tests.unit.builders import World, incoming

CPR = "0101901234"


class RecordingExporter:
    def __init__(self) -> None:
        self.calls: list[tuple[object, str | None]] = []

    def export_case(self, snapshot, *, external_id):
        self.calls.append((snapshot, external_id))
        return ExportResult(
            external_id=external_id or f"ext-{snapshot.case.id}", created=not external_id
        )

    def export_document(self, snapshot, open_part, *, external_id):
        self.calls.append((snapshot, external_id))
        return ExportResult(external_id=f"doc-{snapshot.document.id}", created=not external_id)


@pytest.fixture
def blobs():
    return InMemoryBlobStore()


@pytest.fixture
def uow_factory(blobs):
    recorder = ChangeRecorder(case_exporters=["sagsindeks", "esdh"], document_exporters=["esdh"])
    return memory_uow_factory(InMemoryStore(), blobs, before_commit=recorder)


@pytest.fixture
def world(uow_factory):
    return World(uow_factory)


@pytest.fixture
def cases(uow_factory, world):
    return CaseService(uow_factory, world.id)


@pytest.fixture
def copies(uow_factory, world):
    return CopyService(uow_factory, world.id)


def new_case(cases):
    return cases.create_case(
        NewCase(title="Bekymring", kle_subject="27.24.00", handlingsfacet="G01", primary_cpr=CPR),
        "hanne",
    )


def jobs(uow_factory, world):
    with uow_factory(world.id) as uow:
        return [(job.task, job.payload.get("adapter"), job.dedupe_key) for job in uow.jobs.all()]


def test_every_change_is_a_version_in_the_feed_and_schedules_one_export_per_adapter(
    cases, copies, uow_factory, world
):
    case = new_case(cases)
    cases.add_journal_note(case.id, "Samtale", "Mor ringede", "hanne")
    cases.close_case(case.id, "hanne")

    page = copies.changes(0, 10, "sapa")
    assert [(c.cursor, c.case_id, c.version, c.change) for c in page.changes] == [
        (1, case.id, 1, "created"),
        (2, case.id, 2, "journal_note"),
        (3, case.id, 3, "status"),
    ]
    assert page.next_cursor == 3 and page.more is False
    times = [c.registered_at for c in page.changes]
    assert times == sorted(times)
    # Three changes, but one waiting export per adapter: it reads the newest copy when it runs.
    assert jobs(uow_factory, world) == [
        (EXPORT_CASE, "sagsindeks", f"export_case:sagsindeks:{case.id}"),
        (EXPORT_CASE, "esdh", f"export_case:esdh:{case.id}"),
    ]


def test_a_commit_that_fails_after_recording_leaves_no_version_and_no_job(
    cases, copies, uow_factory, world
):
    case = new_case(cases)
    with uow_factory(world.id) as uow:
        case_changed(uow, uow.cases.get(case.id), "status")
        uow.municipalities.add(world.municipality)  # a key already taken: the commit fails
        with pytest.raises(Conflict):
            uow.commit()
    assert [c.change for c in copies.changes(0, 10, "sapa").changes] == ["created"]
    with uow_factory(world.id) as uow:
        assert len(uow.jobs.all()) == 2


def test_a_placed_document_versions_its_case_and_is_exported_to_document_adapters(
    cases, copies, uow_factory, world, blobs
):
    case = new_case(cases)
    intake = IntakeService(uow_factory, blobs, world.id, seed_chain(), PlacementPolicy())
    receipt = intake.receive(incoming(blobs, case=CaseReference(case_id=case.id)))

    changes = copies.changes(1, 10, "sapa").changes
    assert [(c.case_id, c.version, c.change) for c in changes] == [(case.id, 2, "document")]
    assert (EXPORT_DOCUMENT, "esdh", f"export_document:esdh:{receipt.document_id}") in jobs(
        uow_factory, world
    )
    latest = copies.case_as_of(case.id, changes[0].registered_at, "sapa")
    assert [d.id for d in latest.documents] == [receipt.document_id]


def test_a_case_as_registered_at_a_moment(cases, copies, world):
    case = new_case(cases)
    before_note = copies.changes(0, 1, "sapa").changes[0].registered_at
    cases.add_journal_note(case.id, "Samtale", "Mor ringede", "hanne")

    then = copies.case_as_of(case.id, before_note, "sapa")
    now = copies.case_as_of(case.id, utcnow(), "sapa")
    assert then.journal_notes == [] and then.taken_at == before_note
    assert [n.title for n in now.journal_notes] == ["Samtale"]

    with pytest.raises(NotFound) as early:
        copies.case_as_of(case.id, before_note - timedelta(seconds=1), "sapa")
    assert early.value.field == "registreringstid"
    with pytest.raises(InvalidValue):
        copies.case_as_of(case.id, before_note.replace(tzinfo=None), "sapa")


def test_the_feed_pages_with_its_cursor(cases, copies):
    for _ in range(5):
        new_case(cases)
    first = copies.changes(0, 2, "sapa")
    second = copies.changes(first.next_cursor, 2, "sapa")
    third = copies.changes(second.next_cursor, 2, "sapa")
    seen = [c.cursor for page in (first, second, third) for c in page.changes]
    assert seen == [1, 2, 3, 4, 5]
    assert (first.more, second.more, third.more) == (True, True, False)
    empty = copies.changes(third.next_cursor, 2, "sapa")
    assert empty.changes == [] and empty.next_cursor == 5
    with pytest.raises(InvalidValue) as bad:
        copies.changes(0, 0, "sapa")
    assert bad.value.field == "limit"


def test_a_partys_cases_by_urn_and_every_read_is_audited(cases, copies, uow_factory, world):
    first, second = new_case(cases), new_case(cases)
    found = copies.party_cases(f"urn:oio:cpr-nr:{CPR}", "sapa")
    assert {s.case.id for s in found} == {first.id, second.id}
    assert copies.party_cases("urn:oio:cpr-nr:0202024321", "sapa") == []
    with pytest.raises(InvalidValue) as bad:
        copies.party_cases(CPR, "sapa")
    assert bad.value.field == "part"
    copies.changes(0, 5, "sapa")
    with uow_factory(world.id) as uow:
        reads = [(e.action, e.object_type, e.object_id) for e in uow.audit.list(actor="sapa").items]
    assert sorted(reads, key=str) == sorted(
        [("read", "case", first.id), ("read", "case", second.id), ("read", "case_feed", None)],
        key=str,
    )


def test_exports_store_the_external_id_and_update_next_time(cases, uow_factory, world, blobs):
    case = new_case(cases)
    index, esdh = RecordingExporter(), RecordingExporter()
    exports = ExportService(
        uow_factory,
        world.id,
        cases,
        case_exporters={"sagsindeks": index, "esdh": esdh},
        document_exporters={},
        open_part=blobs.open,
    )
    payload = {"municipality_id": str(world.id), "adapter": "sagsindeks", "case_id": str(case.id)}

    first = exports.handlers()[EXPORT_CASE](payload)
    cases.close_case(case.id, "hanne")
    second = exports.export_case(payload)

    assert first.created is True and second.created is False
    assert [external for _, external in index.calls] == [None, first.external_id]
    assert index.calls[1][0].case.status == "closed"
    assert esdh.calls == []
    with uow_factory(world.id) as uow:
        assert uow.exports.external_id("sagsindeks", "case", case.id) == first.external_id
        actors = {e.actor for e in uow.audit.list(object_id=case.id).items if e.action == "export"}
    assert actors == {"export:sagsindeks"}


def test_a_placed_document_is_exported_with_its_bytes_at_hand(cases, uow_factory, world, blobs):
    case = new_case(cases)
    intake = IntakeService(uow_factory, blobs, world.id, seed_chain(), PlacementPolicy())
    receipt = intake.receive(incoming(blobs, b"%PDF-1.7 brev", case=CaseReference(case_id=case.id)))
    esdh = RecordingExporter()
    exports = ExportService(
        uow_factory,
        world.id,
        cases,
        case_exporters={},
        document_exporters={"esdh": esdh},
        open_part=blobs.open,
    )
    with uow_factory(world.id) as uow:
        (job,) = [j for j in uow.jobs.all() if j.task == EXPORT_DOCUMENT]

    result = exports.handlers()[EXPORT_DOCUMENT](job.payload)

    ((snapshot, known),) = esdh.calls
    assert known is None and snapshot.document.id == receipt.document_id
    assert [link.case_id for link in snapshot.links] == [case.id]
    with blobs.open(snapshot.document.variants[0].parts[0].sha256) as stored:
        assert stored.read() == b"%PDF-1.7 brev"
    with uow_factory(world.id) as uow:
        assert (
            uow.exports.external_id("esdh", "document", receipt.document_id) == result.external_id
        )


def test_an_export_to_an_unbound_adapter_or_another_municipality_is_permanent(
    cases, uow_factory, world, blobs
):
    case = new_case(cases)
    exports = ExportService(
        uow_factory,
        world.id,
        cases,
        case_exporters={},
        document_exporters={},
        open_part=blobs.open,
    )
    with pytest.raises(ExportFailed) as unbound:
        exports.export_case(
            {"municipality_id": str(world.id), "adapter": "gone", "case_id": str(case.id)}
        )
    with pytest.raises(ExportFailed) as foreign:
        exports.export_case(
            {"municipality_id": str(uuid4()), "adapter": "gone", "case_id": str(case.id)}
        )
    assert (unbound.value.retryable, foreign.value.retryable) == (False, False)
