"""What files a letter may carry, and names that every mailbox and print shop accepts.

The declared mime type must be on the allow-list *and* agree with the file's
leading bytes; a file name is cleaned of characters that Windows, e-Boks or a
print shop refuse.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import PayloadRejected

FORBIDDEN_FILENAME_CHARS = frozenset('<>:"/\\|?*')
MAX_FILENAME = 256
_TEXT_SNIFF_BYTES = 4096
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r\f")


def _starts_with(*prefixes: bytes) -> Callable[[bytes], bool]:
    return lambda content: content.startswith(prefixes)


def _is_plain_text(content: bytes) -> bool:
    """UTF-8 without NUL or control characters (tab, line ends and form feed allowed)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(content[:_TEXT_SNIFF_BYTES], final=len(content) <= _TEXT_SNIFF_BYTES)
    except UnicodeDecodeError:
        return False
    return not any(
        unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS_ALLOWED for ch in text
    )


@dataclass(frozen=True)
class FileType:
    mime_type: str
    extensions: tuple[str, ...]
    matches: Callable[[bytes], bool]


ALLOWED_TYPES: dict[str, FileType] = {
    t.mime_type: t
    for t in (
        FileType("application/pdf", (".pdf",), _starts_with(b"%PDF-")),
        FileType("image/png", (".png",), _starts_with(b"\x89PNG\r\n\x1a\n")),
        FileType("image/jpeg", (".jpg", ".jpeg"), _starts_with(b"\xff\xd8\xff")),
        FileType("image/tiff", (".tif", ".tiff"), _starts_with(b"II*\x00", b"MM\x00*")),
        FileType("text/plain", (".txt",), _is_plain_text),
    )
}


def checked_type(mime_type: str, content: bytes, *, field: str) -> FileType:
    """The allowed file type ``mime_type`` names, if the content's leading bytes agree."""
    declared = mime_type.split(";", 1)[0].strip().lower()
    file_type = ALLOWED_TYPES.get(declared)
    if file_type is None:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise PayloadRejected(f"{declared!r} cannot be sent (allowed: {allowed})", field=field)
    if not file_type.matches(content):
        raise PayloadRejected(f"the file's content is not {declared}", field=field)
    return file_type


def _clean_char(ch: str) -> str:
    if ch in FORBIDDEN_FILENAME_CHARS:
        return "_"
    category = unicodedata.category(ch)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return ""
    if category in ("Zs", "Zl", "Zp"):
        return " "
    return ch


def sanitize_filename(name: str, file_type: FileType) -> str:
    """A file name without forbidden, control or unusual space characters, with an extension
    that fits the file type, at most :data:`MAX_FILENAME` characters."""
    cleaned = "".join(_clean_char(ch) for ch in unicodedata.normalize("NFC", name))
    cleaned = re.sub(r" {2,}", " ", cleaned).strip(" .")
    stem, dot, ext = cleaned.rpartition(".")
    if not dot or f".{ext.lower()}" not in file_type.extensions:
        stem, ext = cleaned, file_type.extensions[0].lstrip(".")
    stem = stem.strip(" .") or "dokument"
    return f"{stem[: MAX_FILENAME - len(ext) - 1].rstrip(' .')}.{ext}"
