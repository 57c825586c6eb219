"""The persistence contract suite's backends and fixtures.

Every test in this folder runs once per entry of ``BACKENDS``. An entry turns the
pytest request into a *backend*: a callable ``(blobs, publisher) -> UnitOfWorkFactory``.
Adding a backend is one entry, e.g. the in-memory fake of ``tests/fakes/memory.py``
(with a fresh store of whatever type that module defines)::

    pytest.param(lambda request: partial(memory_uow_factory, MemoryStore()), id="memory"),

The suite is written against the Protocols only; ``test_sql_database.py`` holds what
is particular to the SQL adapter (migrations, connection settings, column types).

The databases are created once per test session; each test works in a municipality
of its own, which is also what keeps the tests apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

import pytest

from adapters.blobs.filesystem import FilesystemBlobStore
from adapters.sql.database import Database
from core.events import DomainEvent
from core.models import Activity, Case, Caseworker, Document, Municipality, Party
from ports.blobs import BlobStore
from ports.persistence import EventPublisher, UnitOfWork, UnitOfWorkFactory
from tests.databases import postgres_database as migrated_postgres
from tests.databases import sqlite_database as migrated_sqlite
from tests.fakes.memory import InMemoryStore, memory_uow_factory

from . import builders

Backend = Callable[[BlobStore, EventPublisher | None], UnitOfWorkFactory]

BACKENDS = [
    pytest.param(lambda request: partial(memory_uow_factory, InMemoryStore()), id="memory"),
    pytest.param(
        lambda request: request.getfixturevalue("sqlite_database").uow_factory, id="sqlite"
    ),
    pytest.param(
        lambda request: request.getfixturevalue("postgres_database").uow_factory,
        id="postgres",
        marks=pytest.mark.postgres,
    ),
]


@pytest.fixture(params=BACKENDS)
def uow_backend(request: pytest.FixtureRequest) -> Backend:
    return request.param(request)


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with migrated_sqlite(tmp_path_factory.mktemp("sqlite")) as database:
        yield database


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Database]:
    """A database of its own for this session on the server, migrated, dropped at the end."""
    with migrated_postgres() as database:
        yield database


class RecordingPublisher:
    """Keeps what was published; ``on_publish`` runs at publish time, for checks."""

    def __init__(self) -> None:
        self.published: list[DomainEvent] = []
        self.on_publish: Callable[[Sequence[DomainEvent]], None] | None = None

    def publish(self, events: Sequence[DomainEvent]) -> None:
        if self.on_publish is not None:
            self.on_publish(events)
        self.published.extend(events)


@pytest.fixture
def blobs(tmp_path) -> FilesystemBlobStore:
    return FilesystemBlobStore(tmp_path / "blobs")


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()


@pytest.fixture
def uow_factory(uow_backend: Backend, blobs, publisher) -> UnitOfWorkFactory:
    return uow_backend(blobs, publisher)


def add_municipality(uow_factory: UnitOfWorkFactory) -> Municipality:
    municipality = builders.municipality()
    with uow_factory(municipality.id) as uow:
        uow.municipalities.add(municipality)
        uow.commit()
    return municipality


def store(open_uow, repository: str, *entities, method: str = "add") -> None:
    """Commits ``uow.<repository>.<method>(entity)`` for each entity, in one unit of work."""
    with open_uow() as uow:
        for entity in entities:
            getattr(getattr(uow, repository), method)(entity)
        uow.commit()


@pytest.fixture
def municipality(uow_factory) -> Municipality:
    return add_municipality(uow_factory)


@pytest.fixture
def open_uow(uow_factory, municipality) -> Callable[[], UnitOfWork]:
    """Opens a unit of work for this test's municipality."""
    return lambda: uow_factory(municipality.id)


@dataclass(frozen=True)
class World:
    """A small, committed set of one municipality's entities that others refer to."""

    person: Party
    company: Party
    caseworker: Caseworker
    case: Case
    activity: Activity
    document: Document


@pytest.fixture
def world(open_uow, municipality) -> World:
    mid = municipality.id
    person, company = builders.person(mid), builders.company(mid)
    caseworker = builders.caseworker(mid)
    case = builders.case(mid, person, caseworker_id=caseworker.id)
    activity = builders.activity(case)
    document = builders.document(mid, person, company)
    with open_uow() as uow:
        uow.parties.add(person)
        uow.parties.add(company)
        uow.caseworkers.add(caseworker)
        uow.cases.add(case)
        uow.activities.add(activity)
        uow.documents.add(document)
        uow.commit()
    return World(person, company, caseworker, case, activity, document)
