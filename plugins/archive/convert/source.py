"""A file to convert and what kind of file it is.

The kind is decided from the first bytes where they are telling (a PDF, an image,
an Office container) and otherwise from the declared MIME type and the file name,
so a PDF delivered as ``application/octet-stream`` is still converted.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import BinaryIO


class Kind(StrEnum):
    PDF = "pdf"
    IMAGE = "image"
    TEXT = "text"
    HTML = "html"
    EMAIL = "email"
    OFFICE = "office"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SourceFile:
    """One file of a document: its original name, declared type and a way to read it."""

    name: str
    mime_type: str
    open: Callable[[], BinaryIO]

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()


_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_OFFICE_SUFFIXES = {
    ".doc", ".docx", ".docm", ".dot", ".dotx", ".odt", ".ott", ".rtf", ".wpd",
    ".xls", ".xlsx", ".xlsm", ".ods", ".ppt", ".pptx", ".odp", ".odg",
}  # fmt: skip
_OFFICE_MIME_PREFIXES = (
    "application/msword",
    "application/rtf",
    "text/rtf",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.ms-word",
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.oasis.opendocument.",
)
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp"}


def detect_kind(source: SourceFile, head: bytes) -> Kind:
    """What converter a file needs, from its first bytes, MIME type and name."""
    mime = source.mime_type.split(";")[0].strip().lower()
    if head.startswith(b"%PDF"):
        return Kind.PDF
    if head.startswith(_IMAGE_MAGIC):
        return Kind.IMAGE
    if mime in ("message/rfc822",) or source.suffix == ".eml":
        return Kind.EMAIL
    if mime.startswith(_OFFICE_MIME_PREFIXES) or source.suffix in _OFFICE_SUFFIXES:
        return Kind.OFFICE
    if mime == "application/pdf" or source.suffix == ".pdf":
        return Kind.PDF
    if mime.startswith("image/") or source.suffix in _IMAGE_SUFFIXES:
        return Kind.IMAGE
    if mime in ("text/html", "application/xhtml+xml") or source.suffix in (".htm", ".html"):
        return Kind.HTML
    if mime.startswith("text/") or source.suffix in (".txt", ".csv", ".log"):
        return Kind.TEXT
    return Kind.UNKNOWN


def seekable(stream: BinaryIO, scratch: str) -> BinaryIO:
    """The stream itself when it can seek; otherwise a spooled copy that can."""
    if stream.seekable():
        return stream
    copy = tempfile.SpooledTemporaryFile(max_size=32 << 20, dir=scratch)  # noqa: SIM115
    with stream:
        shutil.copyfileobj(stream, copy, 1 << 20)
    copy.seek(0)
    return copy  # type: ignore[return-value]
