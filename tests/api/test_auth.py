"""Who may call: a key for every route but /health and /schema, scopes, one municipality."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest
from litestar import get
from litestar.di import NamedDependency
from litestar.testing import TestClient

from adapters.api.app import build_app
from adapters.api.auth import Caller, by_api_key, require_scope
from adapters.sql.clients import SqlApiClientStore
from core.services.clients import ClientService
from tests.intake.envelopes import envelope
from tests.unit.builders import KOEGE_CVR, World

from .conftest import bearer, stored

PUBLIC = {"/health", "/schema"}


def protected_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route of the app but the public ones, with ids filled in."""
    found = []
    for route in app.routes:
        if route.path in PUBLIC or route.path.startswith("/schema"):
            continue
        path = re.sub(r"\{[^}:]+:uuid\}", str(uuid4()), route.path)
        path = re.sub(r"\{[^}:]+:int\}", "0", path)
        found += [(method, path) for method in sorted(route.methods) if method != "OPTIONS"]
    return found


def test_every_route_but_health_and_schema_needs_a_key(hub, http):
    routes = protected_routes(http.app)
    assert len(routes) >= 13
    for method, path in routes:
        response = http.request(method, path)
        assert response.status_code == 401, (method, path)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["type"] == "urn:sagshub:problem:not-authenticated"


def test_health_and_the_openapi_page_answer_without_a_key(http):
    assert http.get("/health").status_code == 200
    assert http.get("/schema/openapi.json").status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Bearer sh_not-a-key-of-this-hub-0000000000000000000000",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "sh_without_scheme",
    ],
)
def test_a_bad_key_is_401(http, keys, header):
    keys.client("esdh", "cases:read")
    response = http.post(
        "/api/cases/search", json={"number": "27.24.00-G01-1-24"}, headers={"Authorization": header}
    )
    assert response.status_code == 401


def test_a_revoked_key_is_401(hub, http, keys):
    headers = keys.client("esdh", "cases:read")
    search = {"number": "27.24.00-G01-1-24"}
    assert http.post("/api/cases/search", json=search, headers=headers).status_code == 200
    hub.services.clients.revoke("esdh")
    assert http.post("/api/cases/search", json=search, headers=headers).status_code == 401


def test_a_key_of_another_municipality_is_401_here(hub, http):
    other = World(hub.services.uow_factory, name="Køge Kommune", cvr=KOEGE_CVR)
    store = SqlApiClientStore(hub.container.database().engine, other.id)
    issued = ClientService(hub.services.uow_factory, store, other.id).issue("esdh", ["cases:read"])

    response = http.post(
        "/api/cases/search", json={"cpr": "0101901234"}, headers=bearer(issued.key)
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("scopes", "method", "path", "body"),
    [
        ("intake", "POST", "/api/cases/search", {"cpr": "0101901234"}),
        (
            "cases:read",
            "POST",
            "/api/cases",
            {"title": "x", "kle_subject": "27.24.00", "handlingsfacet": "G01"},
        ),
        ("cases:read", "GET", f"/api/documents/{uuid4()}", None),
        ("cases:read", "GET", "/api/inbox", None),
        ("cases:read,documents:read", "POST", "/oio/dokument", None),
    ],
)
def test_a_key_without_the_scope_is_403_naming_it(http, keys, scopes, method, path, body):
    response = http.request(method, path, json=body, headers=keys.client("esdh", scopes))
    assert response.status_code == 403
    problem = response.json()
    assert problem["type"] == "urn:sagshub:problem:not-allowed"
    assert problem["field"] == "Authorization" and "lacks the scope" in problem["detail"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/notices", None),
        ("POST", f"/api/notices/{uuid4()}/read", None),
        ("POST", f"/api/inbox/{uuid4()}/placement", {"case_id": str(uuid4())}),
    ],
)
def test_what_a_caseworker_does_needs_a_caseworkers_own_token(http, keys, method, path, body):
    response = http.request(method, path, json=body, headers=keys.client("esdh", "inbox"))
    assert response.status_code == 403
    assert "caseworker's own token" in response.json()["detail"]


def test_another_municipalitys_rows_are_not_found(hub, http, keys):
    other = World(hub.services.uow_factory, name="Køge Kommune", cvr=KOEGE_CVR)
    their_case = other.case(other.person("0101901234"))
    headers = keys.client("esdh", "cases:read,cases:write,documents:read")

    assert http.get(f"/api/cases/{their_case.id}", headers=headers).status_code == 404
    note = {"title": "t", "text": "x"}
    response = http.post(f"/api/cases/{their_case.id}/journal-notes", json=note, headers=headers)
    assert response.status_code == 404 and response.json()["field"] == "case_id"
    found = http.post("/api/cases/search", json={"number": their_case.number}, headers=headers)
    assert found.json() == []


def test_the_openapi_document_declares_the_bearer_scheme(http):
    spec = http.get("/schema/openapi.json").json()
    assert spec["components"]["securitySchemes"]["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "an API key (sh_…)",
    }
    assert spec["security"] == [{"apiKey": []}]


def test_other_routes_get_the_caller_by_name_and_may_guard_with_require_scope(hub, keys):
    """How a plugin's or another module's routes use authentication."""

    @get("/whoami", sync_to_thread=False)
    def whoami(caller: NamedDependency[Caller]) -> dict[str, str]:
        return {"name": caller.name, "kind": caller.kind}

    @get(
        "/guarded",
        dependencies={"reader": require_scope("cases:read", municipality_id=uuid4())},
        sync_to_thread=False,
    )
    def guarded(reader: NamedDependency[Caller]) -> str:
        return reader.name

    app = build_app(
        title="t",
        version="0",
        health=hub.health,
        route_handlers=[whoami, guarded],
        identify=by_api_key(hub.services.clients.authenticate),
    )
    headers = keys.client("esdh", "cases:read")
    with TestClient(app) as client:
        assert client.get("/whoami").status_code == 401
        assert client.get("/whoami", headers=headers).json() == {
            "name": "esdh",
            "kind": "client",
        }
        refused = client.get("/guarded", headers=headers)
        assert refused.status_code == 403 and "another municipality" in refused.json()["detail"]


def deliver(http, headers, body: bytes, content_type: str = "application/xml"):
    return http.post(
        "/oio/dokument", content=body, headers=headers | {"Content-Type": content_type}
    )


def test_a_key_revoked_between_deliveries_delivers_nothing_more(hub, http, keys):
    """The intake routes admit a key they saw valid from memory and confirm it before the
    commit: the next delivery after the revocation is refused and stores nothing."""
    headers = keys.client("scanner-01", "intake")
    assert deliver(http, headers, envelope(message_id="m-1")).status_code == 201
    hub.services.clients.revoke("scanner-01")

    refused = deliver(http, headers, envelope(message_id="m-2"))

    assert refused.status_code == 401, refused.text
    assert refused.json()["type"] == "urn:sagshub:problem:not-authenticated"
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert stored(hub).documents == 1 and stored(hub).staged == []
    assert deliver(http, headers, envelope(message_id="m-3")).status_code == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<Envelope", "application/xml"),  # not XML: would be 400
        (envelope().replace(b"scanner-01", b"forms-01"), "application/xml"),  # would be 403
        (envelope(), "text/plain"),  # would be 415
    ],
)
def test_a_revoked_key_learns_nothing_but_401(hub, http, keys, body, content_type):
    headers = keys.client("scanner-01", "intake")
    assert deliver(http, headers, envelope(message_id="m-1")).status_code == 201
    hub.services.clients.revoke("scanner-01")

    assert deliver(http, headers, body, content_type).status_code == 401
    assert stored(hub).documents == 1 and stored(hub).staged == []


def test_a_revoked_key_stays_refused_on_every_route(hub, http, keys):
    headers = keys.client("scanner-01", "intake,cases:read")
    assert deliver(http, headers, envelope()).status_code == 201
    hub.services.clients.revoke("scanner-01")
    search = {"number": "27.24.00-G01-1-24"}
    assert http.post("/api/cases/search", json=search, headers=headers).status_code == 401
