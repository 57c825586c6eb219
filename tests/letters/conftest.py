"""Unit tests of the letter use cases on the in-memory fakes (tests/fakes)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from litestar.testing import TestClient

from core.letters import LetterChoice
from core.models import Case, Document, Party
from core.placement import seed_chain
from core.rules import PlacementPolicy
from core.services.intake import IntakeService
from core.services.letter_receipts import LetterReceipts
from core.services.letters import LetterService
from hub import create_app
from tests.config_files import isolate_environment
from tests.fakes import InMemoryBlobStore, InMemoryStore, memory_uow_factory
from tests.fakes.sf1601.receipts import ReceiptReplayer
from tests.fakes.sf1601.server import serve
from tests.fakes.sf1601.service import FakeSf1601
from tests.fakes.sf1601.sts import FakeSts
from tests.letters.fakes import ScriptedChannel
from tests.letters.hubs import LetterDesk, Platform, desk_for, letter_hub
from tests.plugins.letters.conftest import standards_dir  # noqa: F401 - shared fixture
from tests.unit.builders import World, incoming

KINDS = {
    LetterChoice.DIGITAL_POST: "eboks",
    LetterChoice.REMOTE_PRINT: "print",
    LetterChoice.LOCAL_PRINT: "local_print",
}
PDF = b"%PDF-1.7 afgoerelse"


@dataclass
class Desk:
    """A municipality with a case whose document can be sent, and its services."""

    world: World
    uow_factory: object
    blobs: InMemoryBlobStore
    eboks: ScriptedChannel
    print: ScriptedChannel
    letters: LetterService
    receipts: LetterReceipts
    intake: IntakeService
    child: Party
    case: Case
    document: Document

    def jobs(self) -> list:
        with self.uow_factory(self.world.id) as uow:
            return uow.jobs.all()

    def stored_letters(self) -> list:
        with self.uow_factory(self.world.id) as uow:
            return uow.letters.list_for_case(self.case.id)


@pytest.fixture
def desk() -> Desk:
    store, blobs = InMemoryStore(), InMemoryBlobStore()
    uow_factory = memory_uow_factory(store, blobs)
    world = World(uow_factory)
    child = world.person()
    case = world.case(child)
    intake = IntakeService(uow_factory, blobs, world.id, seed_chain(), PlacementPolicy())
    receipt = intake.file(incoming(blobs, PDF, case={"case_id": case.id}, title="Afgørelse"))
    with uow_factory(world.id) as uow:
        document = uow.documents.get(receipt.document_id)
    eboks, remote = ScriptedChannel("eboks"), ScriptedChannel("print")
    letters = LetterService(uow_factory, world.id, [eboks, remote], KINDS, blobs.open)
    return Desk(
        world,
        uow_factory,
        blobs,
        eboks,
        remote,
        letters,
        LetterReceipts(uow_factory, world.id),
        intake,
        child,
        case,
        document,
    )


@pytest.fixture(scope="session")
def _fake_servers(standards_dir) -> Iterator[Platform]:  # noqa: F811
    sts = FakeSts()
    sf1601 = FakeSf1601(standards_dir=standards_dir, sts=sts)
    with serve(sts.app()) as sts_url, serve(sf1601.app()) as base_url:
        yield Platform(sts, sf1601, base_url, sts_url, ReceiptReplayer(standards_dir))


@pytest.fixture
def platform(_fake_servers) -> Platform:
    """A clean fake Serviceplatform for each test (the servers live for the session)."""
    _fake_servers.sts.reset()
    _fake_servers.sf1601.reset()
    return _fake_servers


@pytest.fixture
def letter_desk(tmp_path, platform, monkeypatch) -> Iterator[LetterDesk]:
    isolate_environment(monkeypatch)
    hub = letter_hub(tmp_path, platform)
    try:
        with TestClient(create_app(hub)) as http:
            yield desk_for(hub, http, platform)
    finally:
        hub.close()
