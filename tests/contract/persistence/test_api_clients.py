"""The API client store's contract, over the in-memory fake, SQLite and PostgreSQL."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from adapters.blobs.filesystem import FilesystemBlobStore
from adapters.sql.clients import SqlApiClientStore
from core.errors import Conflict, NotAllowed, NotFound
from ports.clients import ApiClient, ApiClientStore, ClientKind, Scope
from tests.fakes.memory_clients import InMemoryClients

from .builders import at, caseworker
from .conftest import add_municipality

CASEWORKER_OF: dict[UUID, UUID] = {}
"""Each opened store's municipality → the id of a caseworker there."""


def _sql(database_fixture: str):
    def open_store(request, tmp_path) -> ApiClientStore:
        database = request.getfixturevalue(database_fixture)
        uow_factory = database.uow_factory(FilesystemBlobStore(tmp_path / "blobs"))
        municipality = add_municipality(uow_factory)
        worker = caseworker(municipality.id, username="hanne")
        with uow_factory(municipality.id) as uow:
            uow.caseworkers.add(worker)
            uow.commit()
        CASEWORKER_OF[municipality.id] = worker.id
        return SqlApiClientStore(database.engine, municipality.id)

    return open_store


def _memory(request, tmp_path) -> ApiClientStore:
    store = InMemoryClients().store(uuid4())
    CASEWORKER_OF[store.municipality_id] = uuid4()
    return store


@pytest.fixture(
    params=[
        pytest.param(_memory, id="memory"),
        pytest.param(_sql("sqlite_database"), id="sqlite"),
        pytest.param(_sql("postgres_database"), id="postgres", marks=pytest.mark.postgres),
    ]
)
def open_store(request, tmp_path):
    """Opens the store of a new municipality (with one caseworker, in ``CASEWORKER_OF``)."""
    return lambda: request.param(request, tmp_path)


@pytest.fixture
def store(open_store) -> ApiClientStore:
    return open_store()


def client(store: ApiClientStore, name: str = "scanning", minute: int = 0, **fields) -> ApiClient:
    values = {
        "municipality_id": store.municipality_id,
        "name": name,
        "scopes": frozenset({Scope.INTAKE, Scope.CASES_READ}),
        "key_hash": uuid4().hex + uuid4().hex,
        "key_hint": "sh_abcdefg",
        "created_at": at(minute),
    }
    return ApiClient(**values | fields)


def test_a_client_is_found_by_name_and_by_its_key_hash(store):
    added = client(store, max_document_bytes=1000)
    store.add(added)

    assert store.get_active("scanning") == added
    assert store.find_by_key_hash(added.key_hash) == added
    assert store.find_by_key_hash("0" * 64) is None
    assert store.get_active("other") is None


def test_a_caseworker_token_keeps_its_caseworker(store):
    caseworker_id = CASEWORKER_OF[store.municipality_id]
    store.add(client(store, "hanne", kind=ClientKind.CASEWORKER, caseworker_id=caseworker_id))

    assert store.get_active("hanne").caseworker_id == caseworker_id


def test_an_active_name_is_taken_until_revoked(store):
    first = client(store)
    store.add(first)
    with pytest.raises(Conflict) as caught:
        store.add(client(store))
    assert caught.value.field == "name"

    revoked = store.revoke("scanning", at(5))
    assert revoked.revoked_at == at(5) and not revoked.active
    assert store.get_active("scanning") is None
    assert store.find_by_key_hash(first.key_hash).revoked_at == at(5)

    second = client(store, minute=10)
    store.add(second)
    assert store.get_active("scanning") == second
    assert [c.id for c in store.list()] == [second.id, first.id]


def test_revoking_an_unknown_name_is_not_found(store):
    with pytest.raises(NotFound) as caught:
        store.revoke("nobody", at(0))
    assert caught.value.field == "name"


def test_listing_is_by_name(store):
    for name in ("zeta", "alpha", "mid"):
        store.add(client(store, name))
    assert [c.name for c in store.list()] == ["alpha", "mid", "zeta"]


def test_another_municipalitys_clients_are_invisible_and_cannot_be_added(open_store):
    mine, theirs = open_store(), open_store()
    other = client(theirs)
    theirs.add(other)

    assert mine.find_by_key_hash(other.key_hash) is None
    assert mine.get_active("scanning") is None
    assert mine.list() == []
    with pytest.raises(NotAllowed):
        mine.add(client(theirs, "sneaky"))
