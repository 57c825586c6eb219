"""Multipart request bodies, built by hand so tests control every byte."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

BOUNDARY = "sagshub-test-boundary-7d1c"


def _body(parts: Iterable[tuple[list[str], bytes]]) -> bytes:
    chunks = []
    for headers, data in parts:
        chunks.append(f"--{BOUNDARY}\r\n".encode() + "\r\n".join(headers).encode() + b"\r\n\r\n")
        chunks.append(data + b"\r\n")
    chunks.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks)


def related(parts: list[tuple[str, str, bytes]], *, start: str | None = None) -> tuple[bytes, str]:
    """A ``multipart/related`` body of (Content-ID, Content-Type, bytes) parts, and its
    Content-Type header."""
    content_type = f'multipart/related; boundary="{BOUNDARY}"; type="application/xml"'
    if start:
        content_type += f'; start="{start}"'
    body = _body(
        ([f"Content-ID: <{cid}>", f"Content-Type: {media}"], data) for cid, media, data in parts
    )
    return body, content_type


def form_data(fields: list[tuple[str, str | None, str, bytes]]) -> tuple[bytes, str]:
    """A ``multipart/form-data`` body of (name, file name, Content-Type, bytes) fields."""

    def disposition(name: str, filename: str | None) -> str:
        value = f'form-data; name="{name}"'
        if filename:
            value += f"; filename=\"{quote(filename)}\"; filename*=UTF-8''{quote(filename)}"
        return f"Content-Disposition: {value}"

    body = _body(
        ([disposition(name, filename), f"Content-Type: {media}"], data)
        for name, filename, media, data in fields
    )
    return body, f"multipart/form-data; boundary={BOUNDARY}"
