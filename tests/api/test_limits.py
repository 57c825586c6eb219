"""Size limits: the hub's ``[intake]`` settings and a client's own limit."""

from __future__ import annotations

import pytest

from tests.intake.envelopes import PDF, PartSpec, VariantSpec, envelope

from .conftest import Stored, stored
from .multipart import related

NOTHING = Stored(documents=0, files=[], staged=[])
BIG = b"%PDF-1.7\n" + bytes(200_000)


@pytest.fixture
def intake_settings() -> str:
    return "[intake]\nmax_document_bytes = 100000\nmax_envelope_bytes = 50000\n"


def big_delivery() -> tuple[bytes, str]:
    data = envelope(variants=[VariantSpec(parts=[PartSpec(data=BIG, cid="big@x")])])
    return related(
        [("env@x", "application/xml", data), ("big@x", "application/pdf", BIG)], start="env@x"
    )


def chunked(body: bytes):
    """The body in pieces, sent without a Content-Length (chunked transfer encoding)."""
    for start in range(0, len(body), 16_384):
        yield body[start : start + 16_384]


def test_a_document_over_the_hubs_limit_is_refused_while_streaming(http, hub, keys):
    body, content_type = big_delivery()
    response = http.post(
        "/oio/dokument",
        content=chunked(body),
        headers=keys.client() | {"Content-Type": content_type},
    )
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["type"] == "urn:sagshub:problem:payload-rejected"
    assert problem["field"] == "/Envelope/Variants/Variant[1]/Part[1]/ContentRef"
    assert "100000" in problem["detail"]
    assert stored(hub) == NOTHING


def test_an_announced_body_over_the_clients_limit_is_413_before_reading(http, hub, keys):
    body, content_type = big_delivery()
    response = http.post(
        "/oio/dokument", content=body, headers=keys.client() | {"Content-Type": content_type}
    )
    assert response.status_code == 413
    assert response.json()["field"] == "Content-Length"
    assert stored(hub) == NOTHING


def test_a_client_may_have_a_larger_limit_of_its_own(http, hub, keys):
    body, content_type = big_delivery()
    headers = keys.client(max_document_bytes=1_000_000) | {"Content-Type": content_type}
    response = http.post("/oio/dokument", content=body, headers=headers)
    assert response.status_code == 201, response.text


def test_and_a_smaller_one(http, hub, keys):
    data = envelope(variants=[VariantSpec(parts=[PartSpec(cid="a@x")])])
    body, content_type = related(
        [("env@x", "application/xml", data), ("a@x", "application/pdf", PDF)], start="env@x"
    )
    headers = keys.client(max_document_bytes=20) | {"Content-Type": content_type}
    response = http.post("/oio/dokument", content=chunked(body), headers=headers)
    assert response.status_code == 400
    assert stored(hub) == NOTHING


def test_an_envelope_over_its_limit_is_refused(http, hub, keys):
    data = envelope(titel="x" * 60_000)
    response = http.post(
        "/oio/dokument",
        content=chunked(data),
        headers=keys.client() | {"Content-Type": "application/xml"},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "envelope"
    assert stored(hub) == NOTHING
