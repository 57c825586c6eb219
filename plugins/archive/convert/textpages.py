"""Text laid out on A4 pages: for plain text, e-mails and the context documentation.

Lines are wrapped at word boundaries by measured width (an over-long word is split),
and each page is yielded as soon as it is full, so a long text never sits in memory
as images.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageDraw, ImageFont

A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.8
FONT_POINTS = 10
TAB = "    "
HANGING = "    "
_SNIFF_BYTES = 64 * 1024
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
"""Common fonts with the Danish letters, tried when the settings name none."""


def find_font(configured: Path | None) -> Path | None:
    """The configured font, else the first common one installed, else None."""
    if configured is not None:
        return configured
    return next((Path(c) for c in FONT_CANDIDATES if Path(c).is_file()), None)


def text_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the first bytes decode as such, else Windows-1252."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def text_lines(stream: BinaryIO) -> Iterator[str]:
    """The lines of a text file of unknown encoding, read as a stream."""
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    reader = io.TextIOWrapper(stream, encoding=text_encoding(head), errors="replace")
    for line in reader:
        yield line.rstrip("\r\n")


class TextRenderer:
    """Renders lines of text as page images at a given resolution."""

    def __init__(self, dpi: int, font: Path | None = None) -> None:
        self.dpi = dpi
        self.size = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
        self.margin = round(MARGIN_INCHES * dpi)
        pixels = round(FONT_POINTS / 72 * dpi)
        self.font_path = find_font(font)
        self.font = (
            ImageFont.truetype(str(self.font_path), pixels)
            if self.font_path
            else ImageFont.load_default(pixels)
        )
        self.line_height = round(pixels * 1.35)
        self.width = self.size[0] - 2 * self.margin

    def pages(self, lines: Iterable[str]) -> Iterator[Image.Image]:
        """The pages holding ``lines``; an empty text still gives one (blank) page."""
        page, draw, y = self._new_page()
        bottom = self.size[1] - self.margin
        for line in lines:
            for piece in self.wrap(line):
                if y + self.line_height > bottom:
                    yield page
                    page, draw, y = self._new_page()
                draw.text((self.margin, y), piece, font=self.font, fill=0)
                y += self.line_height
        yield page

    def _new_page(self) -> tuple[Image.Image, ImageDraw.ImageDraw, int]:
        page = Image.new("1", self.size, 1)
        page.info["dpi"] = (self.dpi, self.dpi)
        return page, ImageDraw.Draw(page), self.margin

    def _fits(self, text: str) -> bool:
        return self.font.getlength(text) <= self.width

    def wrap(self, line: str) -> list[str]:
        """The line broken into pieces that fit the page width. Leading spaces are kept,
        and continuation lines hang a little further in."""
        line = line.replace("\t", TAB).rstrip()
        if self._fits(line):
            return [line]
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]
        prefix, pieces, current = indent, [], ""
        for word in body.split():
            candidate = f"{current} {word}" if current else word
            if self._fits(prefix + candidate):
                current = candidate
                continue
            if current:
                pieces.append(prefix + current)
                prefix = indent + HANGING
            current = word
            while not self._fits(prefix + current):
                cut = self._longest_prefix(prefix, current)
                pieces.append(prefix + current[:cut])
                prefix = indent + HANGING
                current = current[cut:]
        pieces.append(prefix + current)
        return pieces

    def _longest_prefix(self, prefix: str, word: str) -> int:
        """How many of the word's characters fit after ``prefix`` (at least one)."""
        low, high = 1, len(word)
        while low < high:
            middle = (low + high + 1) // 2
            if self._fits(prefix + word[:middle]):
                low = middle
            else:
                high = middle - 1
        return low
