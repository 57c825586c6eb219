"""Incremental base64 decoding: text arrives in pieces, bytes leave in pieces.

Decoding is :mod:`pybase64` (SIMD; about 50 times faster than :mod:`binascii`, whose
per-character loop was the largest single cost of receiving an inline document),
strict: only the base64 alphabet, padding only at the end. When it refuses a text,
:func:`binascii.a2b_base64` in strict mode decodes it again for a precise message.
"""

from __future__ import annotations

import binascii
from collections.abc import Callable

import pybase64

from core.errors import InvalidValue

_WHITESPACE = (b"\n", b"\r", b" ", b"\t")


def _without_whitespace(data: bytes) -> bytes:
    """``data`` without the whitespace ``xs:base64Binary`` allows.

    Each kind is removed only where present: ``in`` and ``replace`` run at memory speed,
    ``bytes.translate`` with deletions one character at a time.
    """
    for space in _WHITESPACE:
        if space in data:
            data = data.replace(space, b"")
    return data


class Base64Stream:
    """Decodes base64 text fed in arbitrary pieces and hands the bytes to ``sink``.

    Whitespace is ignored (as in ``xs:base64Binary``); anything else outside the
    base64 alphabet, padding in the middle, or a length that is not a multiple of
    four raises :class:`InvalidValue` naming ``field``. At most one piece of text
    is held at a time.
    """

    def __init__(self, sink: Callable[[bytes], None], *, field: str) -> None:
        self._sink = sink
        self._field = field
        self._carry = b""
        self._padded = False
        self.chars = 0
        """Base64 characters seen so far, whitespace excluded."""

    def feed(self, text: str) -> None:
        try:
            data = _without_whitespace(text.encode("ascii"))
        except UnicodeEncodeError:
            raise self._error("not valid base64 (only ASCII characters may occur)") from None
        if not data:
            return
        if self._padded:
            raise self._error("there is base64 text after the padding ('=')")
        self.chars += len(data)
        if self._carry:
            data = self._carry + data
        whole = len(data) - len(data) % 4
        self._carry = data[whole:]
        if whole:
            self._decode(data[:whole] if self._carry else data)

    def close(self) -> None:
        """Check that the text ended on a whole base64 quantum."""
        if self._carry:
            raise self._error("the base64 text's length is not a multiple of 4")

    def _decode(self, data: bytes) -> None:
        try:
            decoded = pybase64.b64decode(data, validate=True)
        except binascii.Error as error:
            raise self._error(f"not valid base64 ({_reason(data, error)})") from None
        self._padded = data.endswith(b"=")
        self._sink(decoded)

    def _error(self, message: str) -> InvalidValue:
        return InvalidValue(message, field=self._field)


def _reason(data: bytes, error: binascii.Error) -> str:
    """Why ``data`` is not base64, as :mod:`binascii` says it (it names the fault)."""
    try:
        binascii.a2b_base64(data, strict_mode=True)
    except binascii.Error as precise:
        return str(precise)
    return str(error)
