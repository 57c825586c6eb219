"""Checks of the document files themselves: allowed formats and TIFF compression."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from plugins.archive.convert.pages import ALLOWED_TIFF_COMPRESSIONS, TIFF_COMPRESSION_TAG
from plugins.archive.validation.extract import Extract
from plugins.archive.validation.findings import Finding
from plugins.archive.walk import walk_files

ALLOWED = {"tif", "mp3", "mpg", "jp2", "gml", "xsd", "wav"}
"""The archival formats docIndex's ``aFt`` admits (both editions)."""
MAGIC = {
    "tif": (b"II*\x00", b"MM\x00*"),
    "jp2": (b"\x00\x00\x00\x0cjP  \r\n\x87\n",),
}
_COMPRESSION_NAMES = {1: "none", 2: "CCITT RLE", 3: "CCITT Group 3", 6: "old JPEG", 7: "JPEG",
                      8: "Deflate", 32773: "PackBits"}  # fmt: skip


def _document_files(extract: Extract) -> Iterator[Path]:
    for base in (extract.layout.documents, extract.layout.context_documentation):
        if base.is_dir():
            yield from walk_files(base)


def _format(path: Path) -> str:
    return path.suffix[1:].lower()


def _has_magic(path: Path) -> bool:
    magic = MAGIC.get(_format(path))
    if magic is None:
        return True
    with path.open("rb") as stream:
        head = stream.read(16)
    return head.startswith(magic)


def allowed_formats(extract: Extract) -> Iterator[Finding]:
    for path in _document_files(extract):
        where = extract.relative(path)
        if _format(path) not in ALLOWED:
            yield Finding(
                check="format.allowed",
                message=f"{where}: .{_format(path)} is not an archival format "
                f"(allowed: {', '.join(sorted(ALLOWED))})",
            )
        elif not _has_magic(path):
            yield Finding(
                check="format.allowed",
                message=f"{where} is named .{_format(path)} but its content is not that format",
            )


def _page_problems(path: Path) -> Iterator[str]:
    try:
        with Image.open(path) as image:
            for page in range(getattr(image, "n_frames", 1)):
                image.seek(page)
                code = image.tag_v2.get(TIFF_COMPRESSION_TAG, 1)
                if code not in ALLOWED_TIFF_COMPRESSIONS:
                    name = _COMPRESSION_NAMES.get(code, f"code {code}")
                    yield f"page {page + 1} is compressed with {name}"
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError) as exc:
        yield f"cannot be read as TIFF: {exc}"


def tiff_compression(extract: Extract) -> Iterator[Finding]:
    allowed = " or ".join(ALLOWED_TIFF_COMPRESSIONS.values())
    for path in _document_files(extract):
        if _format(path) != "tif" or not _has_magic(path):
            continue
        for problem in _page_problems(path):
            yield Finding(
                check="format.tiff",
                message=f"{extract.relative(path)}: {problem}; pages must use {allowed}",
            )
