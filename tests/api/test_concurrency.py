"""Twenty identical deliveries at once, over real HTTP: exactly one document."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.intake.envelopes import envelope

from .conftest import LiveServer, bearer, stored

DELIVERIES = 20


def deliver_at_once(base_url: str, key: str, data: bytes) -> list[httpx.Response]:
    start = threading.Barrier(DELIVERIES)
    headers = bearer(key) | {"Content-Type": "application/xml"}

    def deliver(_: int) -> httpx.Response:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            start.wait()
            return client.post("/oio/dokument", content=data, headers=headers)

    with ThreadPoolExecutor(DELIVERIES) as pool:
        return list(pool.map(deliver, range(DELIVERIES)))


@pytest.fixture(
    params=[
        pytest.param("hub", id="sqlite"),
        pytest.param("postgres_hub", id="postgres", marks=pytest.mark.postgres),
    ]
)
def any_hub(request):
    return request.getfixturevalue(request.param)


def test_concurrent_identical_deliveries_leave_one_document(any_hub):
    key = any_hub.services.clients.issue("scanner-01", ["intake"]).key
    with LiveServer(any_hub) as base_url:
        responses = deliver_at_once(base_url, key, envelope(parties=()))

    assert [r.status_code for r in responses].count(201) == 1, [r.text for r in responses]
    assert sorted({r.status_code for r in responses}) == [200, 201]
    assert len({r.json()["document_id"] for r in responses}) == 1
    assert sum(r.json()["duplicate"] for r in responses) == DELIVERIES - 1
    held = stored(any_hub)
    assert (held.documents, len(held.files), held.staged) == (1, 1, [])
