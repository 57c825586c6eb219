"""API keys: issued once, kept as a hash, recognised until revoked."""

from __future__ import annotations

import pytest

from core.errors import Conflict, InvalidValue, NotFound
from core.services.clients import KEY_PREFIX, ClientService, hash_key, parse_scopes
from ports.clients import ClientKind, Scope
from tests.fakes.memory_clients import InMemoryClients


@pytest.fixture
def clients(uow_factory, world) -> ClientService:
    return ClientService(uow_factory, InMemoryClients().store(world.id), world.id)


def test_a_key_is_random_prefixed_and_stored_only_as_its_hash(clients):
    issued = clients.issue("scanning", ["intake", "cases:read"])
    other = clients.issue("forms", ["intake"])

    assert issued.key.startswith(KEY_PREFIX) and len(issued.key) >= 40
    assert issued.key != other.key
    stored = clients.list()
    assert all(issued.key not in repr(client) for client in stored)
    assert issued.client.key_hash == hash_key(issued.key)
    assert issued.client.key_hint == issued.key[:10]
    assert issued.client.scopes == {Scope.INTAKE, Scope.CASES_READ}
    assert issued.client.kind is ClientKind.CLIENT


def test_the_key_authenticates_its_client_until_revoked(clients):
    issued = clients.issue("scanning", ["intake"])
    assert clients.authenticate(issued.key) == issued.client

    clients.revoke("scanning")
    assert clients.authenticate(issued.key) is None


@pytest.mark.parametrize("key", ["", "sh_", "sh_nonsense", "Bearer sh_x", "x" * 1000])
def test_unknown_keys_authenticate_nobody(clients, key):
    clients.issue("scanning", ["intake"])
    assert clients.authenticate(key) is None


def test_a_caseworkers_token_is_bound_to_the_caseworker(clients, world):
    hanne = world.caseworker("hanne")
    issued = clients.issue("hanne", ["inbox", "cases:read"], caseworker="hanne")

    assert issued.client.kind is ClientKind.CASEWORKER
    assert issued.client.caseworker_id == hanne.id
    assert clients.authenticate(issued.key).caseworker_id == hanne.id


def test_a_token_for_an_unknown_caseworker_is_refused(clients):
    with pytest.raises(NotFound) as caught:
        clients.issue("nobody", ["inbox"], caseworker="nobody")
    assert caught.value.field == "caseworker"
    assert clients.list() == []


def test_an_inactive_caseworkers_token_authenticates_nobody(clients, world):
    world.caseworker("gone", active=False)
    issued = clients.issue("gone", ["inbox"], caseworker="gone")
    assert clients.authenticate(issued.key) is None


def test_an_active_name_cannot_be_issued_twice_but_a_revoked_one_can(clients):
    first = clients.issue("scanning", ["intake"])
    with pytest.raises(Conflict):
        clients.issue("scanning", ["intake"])
    clients.revoke("scanning")
    second = clients.issue("scanning", ["intake"])

    assert clients.authenticate(second.key) == second.client
    assert clients.authenticate(first.key) is None


@pytest.mark.parametrize(
    ("names", "message"),
    [(["intake", "root"], "unknown scope 'root'"), ([" ", ""], "at least one scope")],
)
def test_scopes_must_be_known_and_given(names, message):
    with pytest.raises(InvalidValue, match=message) as caught:
        parse_scopes(names)
    assert caught.value.field == "scopes"


@pytest.mark.parametrize(
    ("name", "limit", "field"), [("has space", None, "name"), ("ok", 0, "max_document_bytes")]
)
def test_a_bad_name_or_limit_is_refused_naming_it(clients, name, limit, field):
    with pytest.raises(InvalidValue) as caught:
        clients.issue(name, ["intake"], max_document_bytes=limit)
    assert caught.value.field == field
    assert clients.list() == []
