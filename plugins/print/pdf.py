"""PDF checks and merging for printed letters (pypdf)."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from core.errors import PayloadRejected

A4_POINTS = (595.276, 841.89)
A4_TOLERANCE = 2.0
"""Points either way: producers round A4 to 595×842 or 595.28×841.89."""


def _reader(content: bytes, field: str) -> PdfReader:
    if not content.startswith(b"%PDF-"):
        raise PayloadRejected("only PDF can be printed", field=field)
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise PayloadRejected("an encrypted PDF cannot be printed", field=field)
        if len(reader.pages) == 0:
            raise PayloadRejected("the PDF has no pages", field=field)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise PayloadRejected(f"not a readable PDF ({type(exc).__name__})", field=field) from None
    return reader


def is_a4(width: float, height: float) -> bool:
    short, long = sorted((abs(width), abs(height)))
    return abs(short - A4_POINTS[0]) <= A4_TOLERANCE and abs(long - A4_POINTS[1]) <= A4_TOLERANCE


def check_a4(content: bytes, *, field: str) -> int:
    """The page count of a PDF whose every page is A4 (either orientation).

    :raises PayloadRejected: not a readable, unencrypted PDF, or a page of another size.
    """
    reader = _reader(content, field)
    try:
        for number, page in enumerate(reader.pages, start=1):
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            if not is_a4(width, height):
                raise PayloadRejected(
                    f"page {number} is {width:.0f}×{height:.0f} pt, not A4 (595×842)", field=field
                )
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise PayloadRejected(f"not a readable PDF ({type(exc).__name__})", field=field) from None
    return len(reader.pages)


def merge(documents: list[tuple[bytes, str]]) -> bytes:
    """One PDF of the given PDFs' pages, in order; each is checked as ``(content, field)``."""
    writer = PdfWriter()
    for content, field in documents:
        reader = _reader(content, field)
        try:
            for page in reader.pages:
                writer.add_page(page)
        except (PyPdfError, ValueError, KeyError, TypeError) as exc:
            raise PayloadRejected(
                f"not a readable PDF ({type(exc).__name__})", field=field
            ) from None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
