from __future__ import annotations

import pytest

from core.placement import seed_chain
from core.rules import PlacementPolicy
from core.services.cases import CaseService
from core.services.inbox import InboxService
from core.services.intake import IntakeService
from tests.fakes import (
    InMemoryBlobStore,
    InMemoryStore,
    RecordingNotifier,
    RecordingPublisher,
    memory_uow_factory,
)
from tests.unit.builders import World


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def blobs() -> InMemoryBlobStore:
    return InMemoryBlobStore()


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()


@pytest.fixture
def uow_factory(store, blobs, publisher):
    return memory_uow_factory(store, blobs, publisher)


@pytest.fixture
def world(uow_factory) -> World:
    return World(uow_factory)


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def policy() -> PlacementPolicy:
    return PlacementPolicy()


@pytest.fixture
def intake(uow_factory, blobs, world, policy, notifier) -> IntakeService:
    return IntakeService(uow_factory, blobs, world.id, seed_chain(), policy, notifier)


@pytest.fixture
def cases(uow_factory, world) -> CaseService:
    return CaseService(uow_factory, world.id)


@pytest.fixture
def inbox(uow_factory, world) -> InboxService:
    return InboxService(uow_factory, world.id)
