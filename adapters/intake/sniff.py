"""Does a file's beginning contradict the mime type its sender declared?

A small table of signatures for the types municipal documents come in. A
declared type the table does not know is accepted only when it is on the
configured allow-list: an unchecked type would let anything through.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from core.errors import InvalidValue

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class _Signature:
    looks_right: Callable[[bytes], bool]
    expectation: str
    """How the file should begin, for the error message."""


def _starts_with(*prefixes: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(prefixes)


def _is_pdf(head: bytes) -> bool:
    # Readers accept the header anywhere in the first KiB (some scanners put junk first).
    return b"%PDF-" in head[:1024]


def _is_text(head: bytes) -> bool:
    return b"\x00" not in head


def _is_xml(head: bytes) -> bool:
    for bom in _UTF16_BOMS:
        if head.startswith(bom):
            encoding = "utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"
            body = head[2 : 2 + (len(head) - 2) // 2 * 2]
            return body.decode(encoding, errors="replace").lstrip().startswith("<")
    return _is_text(head) and head.removeprefix(_UTF8_BOM).lstrip().startswith(b"<")


_PDF = _Signature(_is_pdf, "%PDF-")
_TEXT = _Signature(_is_text, "text without NUL bytes")
_XML = _Signature(_is_xml, "'<' (an XML document)")
_OFFICE_ZIP = _Signature(_starts_with(_ZIP), "PK\\x03\\x04 (a ZIP container)")
_OFFICE_OLE2 = _Signature(_starts_with(_OLE2), "D0 CF 11 E0 (an OLE2 compound file)")
_RTF = _Signature(_starts_with(b"{\\rtf"), "{\\rtf")

_BY_TYPE: dict[str, _Signature] = {
    "application/pdf": _PDF,
    "image/png": _Signature(_starts_with(b"\x89PNG\r\n\x1a\n"), "\\x89PNG"),
    "image/jpeg": _Signature(_starts_with(b"\xff\xd8\xff"), "FF D8 FF"),
    "image/gif": _Signature(_starts_with(b"GIF87a", b"GIF89a"), "GIF87a or GIF89a"),
    "image/tiff": _Signature(_starts_with(b"II*\x00", b"MM\x00*"), "II*\\0 or MM\\0*"),
    "application/zip": _OFFICE_ZIP,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _OFFICE_ZIP,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _OFFICE_ZIP,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": _OFFICE_ZIP,
    "application/vnd.oasis.opendocument.text": _OFFICE_ZIP,
    "application/vnd.oasis.opendocument.spreadsheet": _OFFICE_ZIP,
    "application/msword": _OFFICE_OLE2,
    "application/vnd.ms-excel": _OFFICE_OLE2,
    "application/vnd.ms-powerpoint": _OFFICE_OLE2,
    "application/vnd.ms-outlook": _OFFICE_OLE2,
    "application/rtf": _RTF,
    "text/rtf": _RTF,
    "application/xml": _XML,
    "text/xml": _XML,
    "message/rfc822": _TEXT,
}


def base_type(mime_type: str) -> str:
    """``type/subtype`` in lower case, without parameters."""
    return mime_type.split(";", 1)[0].strip().lower()


def _signature(declared: str) -> _Signature | None:
    if declared in _BY_TYPE:
        return _BY_TYPE[declared]
    if declared.endswith("+xml"):
        return _XML
    if declared.startswith("text/"):
        return _TEXT
    return None


def check_declared_type(
    mime_type: str, head: bytes, *, field: str, allowed_unknown: Collection[str] = ()
) -> None:
    """Raise :class:`InvalidValue` naming ``field`` if ``head`` contradicts ``mime_type``.

    ``head`` is the file's first bytes (the blob store keeps up to 4 KiB). A type the
    table does not know passes only if it is in ``allowed_unknown``.
    """
    declared = base_type(mime_type)
    signature = _signature(declared)
    if signature is None:
        if declared in {base_type(allowed) for allowed in allowed_unknown}:
            return
        raise InvalidValue(
            f"files of type {declared} are not accepted (their content cannot be checked)",
            field=field,
        )
    if not signature.looks_right(head):
        raise InvalidValue(
            f"the file is declared as {declared}, but it does not begin like one "
            f"(expected {signature.expectation})",
            field=field,
        )


def normalize_mime_type(mime_type: str) -> str:
    """``type/subtype`` in lower case, parameters kept: ``text/plain; charset=utf-8``."""
    declared, _, parameters = mime_type.partition(";")
    normalized = declared.strip().lower()
    return f"{normalized}; {parameters.strip()}" if parameters.strip() else normalized
