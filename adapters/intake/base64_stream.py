"""Incremental base64 decoding: text arrives in pieces, bytes leave in pieces."""

from __future__ import annotations

import binascii
from collections.abc import Callable

from core.errors import InvalidValue

_WHITESPACE = {ord(c): None for c in " \t\r\n"}


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
        self._carry = ""
        self._padded = False
        self.chars = 0
        """Base64 characters seen so far, whitespace excluded."""

    def feed(self, text: str) -> None:
        text = text.translate(_WHITESPACE)
        if not text:
            return
        if self._padded:
            raise self._error("there is base64 text after the padding ('=')")
        self.chars += len(text)
        text = self._carry + text
        whole = len(text) - len(text) % 4
        self._carry = text[whole:]
        if whole:
            self._decode(text[:whole])

    def close(self) -> None:
        """Check that the text ended on a whole base64 quantum."""
        if self._carry:
            raise self._error("the base64 text's length is not a multiple of 4")

    def _decode(self, text: str) -> None:
        try:
            data = binascii.a2b_base64(text.encode("ascii"), strict_mode=True)
        except (UnicodeEncodeError, binascii.Error) as error:
            raise self._error(f"not valid base64 ({error})") from None
        self._padded = text.endswith("=")
        self._sink(data)

    def _error(self, message: str) -> InvalidValue:
        return InvalidValue(message, field=self._field)
