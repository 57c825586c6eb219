"""A multipart request body read as it streams in, one part at a time.

Litestar's form parsing holds the whole body in memory, which a document of
hundreds of MB must not. Here python-multipart's push parser is fed each chunk
of the body as it arrives and its callbacks are turned into parts whose bytes
are pulled as an async iterator::

    async for part in MultipartReader(request.stream(), boundary).parts():
        await stage(part.content_id, part.chunks())

Memory stays at about one received chunk, whatever the size of the parts.
A part must be read (or left) before the next one is asked for.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from typing import Any

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from core.errors import InvalidValue

MAX_PARTS = 1 + 10 * 50
"""The envelope or metadata, and at most 10 variants of 50 parts each."""
MAX_HEADERS = 16
MAX_HEADER_BYTES = 8 * 1024
BODY_FIELD = "body"


def split_header(value: str | None) -> tuple[str, dict[str, str]]:
    """A header with parameters (Content-Type, Content-Disposition) as its lower-case value
    and its parameters."""
    media, options = parse_options_header(value or "")
    return media.decode("latin-1"), {
        key.decode("latin-1").lower(): item.decode("latin-1") for key, item in options.items()
    }


class StreamedPart:
    """One part of the body: its headers, and its bytes as they arrive."""

    def __init__(self, headers: Mapping[str, str], reader: MultipartReader) -> None:
        self.headers = headers
        self._reader = reader
        self._done = False

    @property
    def content_id(self) -> str | None:
        """The Content-ID without its angle brackets (what a ``cid:`` URL names)."""
        value = self.headers.get("content-id")
        return value.strip().removeprefix("<").removesuffix(">") if value else None

    @property
    def form_name(self) -> str | None:
        """The field name of a ``multipart/form-data`` part."""
        disposition = self.headers.get("content-disposition")
        if not disposition:
            return None
        name = split_header(disposition)[1].get("name")
        return name or None

    async def chunks(self) -> AsyncIterator[bytes]:
        """The part's bytes, chunk by chunk; can be iterated once."""
        while not self._done:
            kind, value = await self._reader.next_event()
            if kind == "data":
                yield value
            elif kind == "end":
                self._done = True

    async def read(self, limit: int, *, field: str) -> bytes:
        """The whole part, which must be small: past ``limit`` bytes it is refused."""
        data = bytearray()
        async for chunk in self.chunks():
            data += chunk
            if len(data) > limit:
                raise InvalidValue(f"this part may be at most {limit} bytes", field=field)
        return bytes(data)

    async def skip(self) -> None:
        async for _ in self.chunks():
            pass


class MultipartReader:
    """Parts of a multipart body; a malformed body is an :class:`InvalidValue` on ``body``."""

    def __init__(self, body: AsyncIterable[bytes], boundary: str) -> None:
        if not boundary:
            raise InvalidValue("the multipart Content-Type names no boundary", field="Content-Type")
        self._body = aiter(body)
        self._body_ended = False
        self._events: deque[tuple[str, Any]] = deque()
        self._headers: dict[str, str] = {}
        self._name = bytearray()
        self._value = bytearray()
        self._parts = 0
        try:
            self._parser = MultipartParser(
                boundary.encode("latin-1"),
                callbacks={
                    "on_header_field": lambda data, start, end: self._name.extend(data[start:end]),
                    "on_header_value": lambda data, start, end: self._value.extend(data[start:end]),
                    "on_header_end": self._header_end,
                    "on_headers_finished": self._headers_finished,
                    "on_part_data": lambda data, start, end: self._events.append(
                        ("data", data[start:end])
                    ),
                    "on_part_end": lambda: self._events.append(("end", b"")),
                    "on_end": lambda: self._events.append(("finished", b"")),
                },
                max_header_count=MAX_HEADERS,
                max_header_size=MAX_HEADER_BYTES,
            )
        except (MultipartParseError, ValueError, UnicodeEncodeError) as error:
            raise InvalidValue(f"bad multipart boundary: {error}", field="Content-Type") from None

    async def parts(self) -> AsyncIterator[StreamedPart]:
        """Each part in order. Whatever the caller left of a part is skipped."""
        while True:
            kind, value = await self.next_event()
            if kind == "finished":
                return
            if kind != "headers":
                continue
            self._parts += 1
            if self._parts > MAX_PARTS:
                raise InvalidValue(
                    f"a request may have at most {MAX_PARTS} parts", field=BODY_FIELD
                )
            part = StreamedPart(value, self)
            yield part
            await part.skip()

    async def next_event(self) -> tuple[str, Any]:
        """The parser's next event: ``headers`` (a dict), ``data`` (bytes), ``end`` of a
        part, or ``finished``; reads more of the body when none is pending."""
        while not self._events:
            if self._body_ended:
                raise InvalidValue(
                    "the multipart body ends before its closing boundary", field=BODY_FIELD
                )
            chunk = await anext(self._body, None)
            if chunk is None:
                self._body_ended = True
                continue
            if chunk:
                try:
                    self._parser.write(chunk)
                except MultipartParseError as error:
                    raise InvalidValue(
                        f"the multipart body is malformed: {error}", field=BODY_FIELD
                    ) from None
        return self._events.popleft()

    def _header_end(self) -> None:
        name = self._name.decode("latin-1").strip().lower()
        self._headers[name] = self._value.decode("latin-1").strip()
        self._name.clear()
        self._value.clear()

    def _headers_finished(self) -> None:
        self._events.append(("headers", self._headers))
        self._headers = {}
