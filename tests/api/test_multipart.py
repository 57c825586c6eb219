"""The streaming multipart reader: parts and bytes intact however the body is cut."""

from __future__ import annotations

import asyncio

import pytest

from adapters.api.multipart import MAX_HEADERS, MultipartReader
from core.errors import InvalidValue

from .multipart import BOUNDARY, form_data, related


async def _chunks(body: bytes, size: int):
    for start in range(0, len(body), size):
        yield body[start : start + size]


def read_all(body: bytes, size: int) -> list[tuple[dict[str, str], bytes]]:
    async def collect():
        parts = []
        async for part in MultipartReader(_chunks(body, size), BOUNDARY).parts():
            data = b"".join([chunk async for chunk in part.chunks()])
            parts.append((part.headers, data))
        return parts

    return asyncio.run(collect())


@pytest.mark.parametrize("size", [1, 7, 64, 100_000])
def test_parts_arrive_whole_whatever_the_chunk_size(size):
    payload = b"\r\n--" + BOUNDARY.encode() + b"x" + bytes(range(256)) * 20
    body, _ = related([("a@x", "application/xml", b"<a/>"), ("b@x", "application/pdf", payload)])

    parts = read_all(body, size)
    assert [headers["content-id"] for headers, _ in parts] == ["<a@x>", "<b@x>"]
    assert [data for _, data in parts] == [b"<a/>", payload]


def test_form_fields_give_their_names():
    body, _ = form_data([("arkiv-1", "brev æø.pdf", "application/pdf", b"%PDF")])

    async def first():
        async for part in MultipartReader(_chunks(body, 10), BOUNDARY).parts():
            return part.form_name, part.content_id

    assert asyncio.run(first()) == ("arkiv-1", None)


def test_too_many_headers_in_a_part_is_refused():
    headers = "".join(f"X-H{n}: v\r\n" for n in range(MAX_HEADERS + 1))
    body = f"--{BOUNDARY}\r\n{headers}\r\ndata\r\n--{BOUNDARY}--\r\n".encode()
    with pytest.raises(InvalidValue) as caught:
        read_all(body, 50)
    assert caught.value.field == "body"


def test_a_body_without_its_closing_boundary_is_refused():
    body, _ = related([("a@x", "application/xml", b"<a/>")])
    with pytest.raises(InvalidValue, match="closing boundary"):
        read_all(body[:-10], 50)
