"""Every error of the HTTP API is an RFC 9457 problem document."""

from __future__ import annotations

import logging

import pytest
from litestar import get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.testing import TestClient
from pydantic import BaseModel

from adapters.api.app import HealthReport, build_app
from core.errors import Conflict, DomainError, InvalidValue, NotAllowed, NotFound, PayloadRejected


class Payload(BaseModel):
    count: int


ERRORS = {
    "invalid": InvalidValue("a CPR number is 10 digits, DDMMYYSSSS", field="cpr"),
    "missing": NotFound("no case with number 27.24.00-G01-9-24", field="case_number"),
    "conflict": Conflict("message-id m1 was delivered before with other content"),
    "forbidden": NotAllowed("the case belongs to another municipality"),
    "too-large": PayloadRejected("the file is larger than 50 MiB", field="file"),
    "domain": DomainError("the case is closed"),
}


@get("/fail/{kind:str}")
async def fail(kind: FromPath[str]) -> None:
    raise ERRORS[kind]


@get("/crash")
async def crash() -> None:
    raise RuntimeError("database password is hunter2 for 0101151234")


@post("/count")
async def count(data: JSONBody[Payload]) -> int:
    return data.count


@get("/page")
async def page(offset: FromQuery[int]) -> int:
    return offset


@pytest.fixture
def client():
    app = build_app(
        title="sagshub",
        version="9.9.9",
        health=lambda: HealthReport(version="9.9.9", database_revision="0001", migrated=True),
        route_handlers=[fail, crash, count, page],
    )
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize(
    ("kind", "status", "problem_type", "title", "field"),
    [
        ("invalid", 422, "invalid-value", "Invalid value", "cpr"),
        ("missing", 404, "not-found", "Not found", "case_number"),
        ("conflict", 409, "conflict", "Conflict", None),
        ("forbidden", 403, "not-allowed", "Not allowed", None),
        ("too-large", 413, "payload-rejected", "Payload rejected", "file"),
        ("domain", 400, "domain-error", "Domain rule violated", None),
    ],
)
def test_domain_errors_become_problems(client, kind, status, problem_type, title, field):
    response = client.get(f"/fail/{kind}")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    expected = {
        "type": f"urn:sagshub:problem:{problem_type}",
        "title": title,
        "status": status,
        "detail": ERRORS[kind].message,
    }
    if field:
        expected["field"] = field
    assert response.json() == expected


def test_a_body_that_fails_validation_lists_the_failing_fields(client):
    response = client.post("/count", json={"count": "many"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:sagshub:problem:validation-error"
    assert problem["status"] == 400
    assert [error["field"] for error in problem["errors"]] == ["body.count"]


def test_a_bad_query_parameter_names_its_source(client):
    problem = client.get("/page?offset=first").json()
    assert [error["field"] for error in problem["errors"]] == ["query.offset"]


def test_an_unknown_route_is_a_404_problem(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:sagshub:problem:not-found"


def test_an_unexpected_error_reveals_nothing_and_logs_no_cpr(client, caplog):
    with caplog.at_level(logging.ERROR, logger="adapters.api.problems"):
        response = client.get("/crash")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    assert response.json()["title"] == "Internal Server Error"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "RuntimeError" in logged
    assert "0101151234" not in logged
    assert "010115-XXXX" in logged


def test_the_openapi_document_is_at_schema(client):
    document = client.get("/schema/openapi.json").json()
    assert document["info"] == {"title": "sagshub", "version": "9.9.9"}
    assert "/health" in document["paths"]
    assert client.get("/schema").status_code == 200
