"""The prolog of an XML envelope, checked before any parser sees it.

Entity expansion (billion laughs, quadratic blow-up) and external entities
(XXE) all need a document type declaration, and a DOCTYPE can only stand in the
prolog, before the root element. So the prolog is read first, byte by byte:
only an XML declaration, comments, processing instructions and whitespace may
precede the root; anything else — any ``<!DOCTYPE``, in any spelling — is
refused before parsing starts. The envelope must be UTF-8.
"""

from __future__ import annotations

import re

from core.errors import PayloadRejected

MAX_PROLOG_BYTES = 64 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_WHITESPACE = b" \t\r\n"
_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']*)["']""")
_NAME_START = re.compile(rb"[A-Za-z_:\x80-\xff]")
_FIELD = "envelope"


def _reject(message: str) -> PayloadRejected:
    return PayloadRejected(message, field=_FIELD)


def prolog_complete(data: bytes, *, final: bool = False) -> bool:
    """Whether ``data`` (the envelope's first bytes) reaches the root element's start tag.

    Returns False when more bytes are needed (unless ``final``: the envelope ended);
    raises :class:`PayloadRejected` for a DOCTYPE, another encoding than UTF-8, or
    anything that is not the start of an XML document.
    """
    if data.startswith(_OTHER_BOMS):
        raise _reject("the envelope must be encoded in UTF-8")
    pos = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    while True:
        while pos < len(data) and data[pos] in _WHITESPACE:
            pos += 1
        rest = data[pos : pos + 4]
        if len(rest) < 4 and not final and rest in (b"", b"<", b"<!", b"<!-", b"<?"):
            return _need_more(data)
        if rest.startswith(b"<?"):
            end = data.find(b"?>", pos + 2)
            if end < 0:
                return _need_more(data, final)
            _check_declaration(data[pos : end + 2])
            pos = end + 2
        elif rest == b"<!--":
            end = data.find(b"-->", pos + 4)
            if end < 0:
                return _need_more(data, final)
            pos = end + 3
        elif rest.startswith(b"<!"):
            raise _reject("a document type declaration (DOCTYPE) is not allowed")
        elif rest.startswith(b"<") and _NAME_START.match(rest, 1):
            return True
        elif not rest:
            raise _reject(
                "the envelope ends before its root element"
                if data.strip()
                else "the envelope is empty"
            )
        else:
            raise _reject("the envelope is not an XML document")


def _need_more(data: bytes, final: bool = False) -> bool:
    if final:
        raise _reject("the envelope ends before its root element")
    if len(data) > MAX_PROLOG_BYTES:
        raise _reject(f"the envelope's prolog is longer than {MAX_PROLOG_BYTES} bytes")
    return False


def _check_declaration(instruction: bytes) -> None:
    """An ``<?xml …?>`` declaration may only name UTF-8 as the encoding."""
    if not re.match(rb"<\?xml[\s?]", instruction):
        return
    encoding = _ENCODING.search(instruction)
    if encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        raise _reject("the envelope must be encoded in UTF-8")
