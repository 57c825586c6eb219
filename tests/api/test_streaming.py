"""A large file goes through a real server to the blob store intact (memory: see bench/)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import httpx

from tests.intake.envelopes import PartSpec, VariantSpec, envelope

from .conftest import LiveServer, bearer, stored
from .multipart import BOUNDARY

SIZE = 50 * 1024 * 1024
BLOCK = bytes(range(256)) * 4096  # 1 MiB


def big_pdf() -> Iterator[bytes]:
    yield b"%PDF-1.7\n"
    sent = 9
    while sent < SIZE:
        chunk = BLOCK[: SIZE - sent]
        sent += len(chunk)
        yield chunk


def request_body(data: bytes) -> Iterator[bytes]:
    """A multipart/related body, streamed: the envelope, then the file in 1 MiB chunks."""

    def head(cid: str, media: str) -> bytes:
        return f"--{BOUNDARY}\r\nContent-ID: <{cid}>\r\nContent-Type: {media}\r\n\r\n".encode()

    yield head("env@x", "application/xml") + data + b"\r\n" + head("big@x", "application/pdf")
    yield from big_pdf()
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def test_a_50_mb_file_streams_into_the_blob_store_intact(hub):
    digest = hashlib.sha256()
    for chunk in big_pdf():
        digest.update(chunk)
    data = envelope(
        variants=[VariantSpec(parts=[PartSpec("stor.pdf", cid="big@x", sha256=digest.hexdigest())])]
    )
    key = hub.services.clients.issue("scanner-01", ["intake", "documents:read"]).key
    content_type = f'multipart/related; boundary="{BOUNDARY}"; start="<env@x>"'
    with LiveServer(hub) as base_url, httpx.Client(base_url=base_url, timeout=120) as client:
        response = client.post(
            "/oio/dokument",
            content=request_body(data),
            headers=bearer(key) | {"Content-Type": content_type},
        )
        assert response.status_code == 201, response.text
        document = client.get(response.headers["location"], headers=bearer(key)).json()

    (part,) = document["document"]["variants"][0]["parts"]
    assert (part["size"], part["sha256"]) == (SIZE, digest.hexdigest())
    held = stored(hub)
    assert held.files == [digest.hexdigest()] and held.staged == []
    assert hub.services.blobs.size(digest.hexdigest()) == SIZE
