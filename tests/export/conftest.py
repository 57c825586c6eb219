from __future__ import annotations

import os
from pathlib import Path

import pytest

from adapters.blobs.filesystem import FilesystemBlobStore
from core.models import Municipality
from core.services.changes import ChangeRecorder
from tests.contract.persistence.builders import new_cvr as next_cvr
from tests.databases import postgres_database, sqlite_database
from tests.export.fake_sagsindeks import FakeSagsindeks
from tests.fakes import InMemoryBlobStore, InMemoryStore, memory_uow_factory

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    path = Path(os.environ.get("SAGSHUB_STANDARDS_DIR", REPO.parent / "shared" / "standards"))
    if not (path / "sf1470").is_dir():
        pytest.fail(f"the official schemas are not in {path}; set SAGSHUB_STANDARDS_DIR")
    return path


@pytest.fixture(scope="session")
def sqlite_db(tmp_path_factory):
    with sqlite_database(tmp_path_factory.mktemp("export-sqlite")) as database:
        yield database


@pytest.fixture(scope="session")
def postgres_db():
    with postgres_database() as database:
        yield database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request):
    """Each test that asks for it runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_db")


@pytest.fixture
def blobs(tmp_path):
    return FilesystemBlobStore(tmp_path / "blobs")


@pytest.fixture
def municipality(database, blobs):
    """A municipality of this test's own (the session's databases are shared)."""
    municipality = Municipality(name="Roskilde Kommune", cvr=next_cvr())
    with database.uow_factory(blobs)(municipality.id) as uow:
        uow.municipalities.add(municipality)
        uow.commit()
    return municipality


@pytest.fixture
def fake(standards_dir):
    """A local fake of the Sags- og Dokumentindeks SOAP service; ``fake.url`` is its endpoint."""
    service = FakeSagsindeks(standards_dir)
    service.url = service.start()
    yield service
    service.stop()


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request):
    """(uow factory, blob store) on each backend, with the change recorder before commit."""
    recorder = ChangeRecorder()
    if request.param == "memory":
        blobs = InMemoryBlobStore()
        return memory_uow_factory(InMemoryStore(), blobs, before_commit=recorder), blobs
    blobs = request.getfixturevalue("blobs")
    database = request.getfixturevalue(f"{request.param}_db")
    return database.uow_factory(blobs, before_commit=recorder), blobs
