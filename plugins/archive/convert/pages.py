"""Writing pages into one multi-page TIFF, page by page.

Pillow's own multi-frame save collects every page first; here each page is encoded
and appended as it comes (``AppendingTiffWriter``), so a 500-page PDF needs the
memory of one page.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Protocol

from PIL import Image, ImageChops, TiffImagePlugin

TIFF_COMPRESSION_TAG = 259
ALLOWED_TIFF_COMPRESSIONS = {4: "CCITT Group 4", 5: "LZW"}


class PageSink(Protocol):
    """Receives the pages of a document in order."""

    def add(self, page: Image.Image) -> None: ...


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent parts become white paper."""
    rgba = image.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, "white")
    return Image.alpha_composite(paper, rgba).convert("RGB")


def _is_black_and_white(image: Image.Image) -> bool:
    """A grey page whose pixels are all pure black or pure white."""
    histogram = image.histogram()
    return sum(histogram[1:255]) == 0


def _is_grey(image: Image.Image) -> bool:
    red, green, blue = image.split()
    return (
        ImageChops.difference(red, green).getbbox() is None
        and ImageChops.difference(red, blue).getbbox() is None
    )


def normalise(page: Image.Image, compression: str) -> Image.Image:
    """The page in the smallest mode that loses nothing (``lossless``): black and white,
    grey or colour; or made black and white (``group4``)."""
    if page.mode in ("RGBA", "LA", "PA") or "transparency" in page.info:
        page = _flatten(page)
    elif page.mode.startswith(("I", "F")):
        page = page.convert("L")
    elif page.mode not in ("1", "L", "RGB"):
        page = page.convert("RGB")
    if compression == "group4":
        return (
            page if page.mode == "1" else page.convert("L").convert("1", dither=Image.Dither.NONE)
        )
    if page.mode == "RGB" and _is_grey(page):
        page = page.convert("L")
    if page.mode == "L" and _is_black_and_white(page):
        return page.convert("1", dither=Image.Dither.NONE)
    return page


class TiffBuilder:
    """A multi-page TIFF being written to ``path``; use as a context manager."""

    def __init__(self, path: Path, *, compression: str, dpi: int) -> None:
        self.path = path
        self.compression = compression
        self.dpi = dpi
        self.pages = 0
        self._file: BinaryIO | None = None
        self._writer: TiffImagePlugin.AppendingTiffWriter | None = None

    def __enter__(self) -> TiffBuilder:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("w+b")
        self._writer = TiffImagePlugin.AppendingTiffWriter(self._file, new=True)
        return self

    def add(self, page: Image.Image) -> None:
        assert self._writer is not None, "use TiffBuilder as a context manager"
        dpi = page.info.get("dpi") or (self.dpi, self.dpi)
        image = normalise(page, self.compression)
        image.save(
            self._writer,
            format="TIFF",
            compression="group4" if image.mode == "1" else "tiff_lzw",
            dpi=tuple(round(float(d)) or self.dpi for d in dpi),
        )
        self._writer.newFrame()
        self.pages += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Every page was finished by newFrame(); only the file remains to be closed.
        if self._file is not None:
            self._file.close()
