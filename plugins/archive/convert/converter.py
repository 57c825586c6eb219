"""Turns a document's files into pages, whatever their kind.

The converter is the one place that knows which library handles which format. A
file it cannot handle raises :class:`Unconvertible` with the reason; it never skips
a file quietly.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO

import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from plugins.archive.convert.images import image_pages
from plugins.archive.convert.mail import html_text, render_mail
from plugins.archive.convert.office import office_to_pdf
from plugins.archive.convert.pages import PageSink
from plugins.archive.convert.pdf import pdf_pages
from plugins.archive.convert.source import Kind, SourceFile, detect_kind, seekable
from plugins.archive.convert.textpages import TextRenderer, text_lines
from plugins.archive.errors import Unconvertible
from plugins.archive.settings import ArchiveSettings

MAX_NESTING = 3
"""How deep attached e-mails inside e-mails are followed."""
CONVERTER_VERSION = "1"
"""Bumped when the output of a conversion changes, so resumed extracts redo documents."""


class DocumentConverter:
    """Converts files to pages with the libraries the settings allow."""

    def __init__(self, settings: ArchiveSettings, scratch: Path) -> None:
        self.settings = settings
        self.scratch = scratch
        self.text = TextRenderer(settings.dpi, settings.font)
        self._office = settings.libreoffice_program()

    @property
    def recipe(self) -> str:
        """What, besides the input bytes, decides the output; part of the resume check."""
        font = self.text.font_path.name if self.text.font_path else "built-in"
        return (
            f"converter={CONVERTER_VERSION};dpi={self.settings.dpi};"
            f"compression={self.settings.compression};font={font}"
        )

    @property
    def warnings(self) -> list[str]:
        """What the person running the extract should know about the conversions."""
        if self.text.font_path is not None:
            return []
        return [
            "no TrueType font with the Danish letters was found, so text, e-mail and context "
            "pages use Pillow's built-in font, which lacks æ, ø and å; set [plugins.archive] font"
        ]

    def convert(self, files: Sequence[SourceFile], sink: PageSink) -> None:
        """Append the pages of every file, in order, to ``sink``."""
        for source in files:
            for page in self._file_pages(source, depth=0):
                sink.add(page)

    def _file_pages(self, source: SourceFile, depth: int) -> Iterator[Image.Image]:
        try:
            with ExitStack() as stack:
                raw = stack.enter_context(source.open())
                stream = stack.enter_context(seekable(raw, str(self.scratch)))
                head = stream.read(8)
                stream.seek(0)
                yield from self._pages(detect_kind(source, head), source, stream, depth)
        except Unconvertible as exc:
            raise Unconvertible(f"{source.name}: {exc.message}") from None
        except (pdfium.PdfiumError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
            raise Unconvertible(f"{source.name}: {type(exc).__name__}: {exc}") from None
        except (OSError, ValueError, SyntaxError) as exc:
            raise Unconvertible(f"{source.name} is damaged or unreadable: {exc}") from None

    def _pages(
        self, kind: Kind, source: SourceFile, stream: BinaryIO, depth: int
    ) -> Iterator[Image.Image]:
        if kind is Kind.PDF:
            yield from pdf_pages(stream, self.settings.dpi)
        elif kind is Kind.IMAGE:
            yield from image_pages(stream)
        elif kind is Kind.TEXT:
            yield from self.text.pages(text_lines(stream))
        elif kind is Kind.HTML:
            markup = stream.read().decode(errors="replace")
            yield from self.text.pages(html_text(markup).splitlines())
        elif kind is Kind.EMAIL:
            yield from self._mail_pages(stream, depth)
        elif kind is Kind.OFFICE:
            yield from self._office_pages(source, stream)
        else:
            raise Unconvertible(f"{source.mime_type} is not a format sagshub can convert to TIFF")

    def _mail_pages(self, stream: BinaryIO, depth: int) -> Iterator[Image.Image]:
        if depth >= MAX_NESTING:
            raise Unconvertible(f"e-mails are attached more than {MAX_NESTING} levels deep")
        mail = render_mail(stream)
        yield from self.text.pages(mail.lines)
        for attachment in mail.attachments:
            yield from self._file_pages(attachment, depth + 1)

    def _office_pages(self, source: SourceFile, stream: BinaryIO) -> Iterator[Image.Image]:
        self.scratch.mkdir(parents=True, exist_ok=True)
        workdir = Path(tempfile.mkdtemp(prefix="office-", dir=self.scratch))
        try:
            pdf = office_to_pdf(
                self._office, stream, source.suffix, workdir, self.settings.office_timeout_seconds
            )
            with pdf.open("rb") as rendered:
                yield from pdf_pages(rendered, self.settings.dpi)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


def source_fingerprint(files: Sequence[tuple[str, str]]) -> str:
    """A short digest of a document's files (name and sha256), for the resume check."""
    digest = hashlib.sha256()
    for name, sha256 in files:
        digest.update(f"{name}\0{sha256}\n".encode())
    return digest.hexdigest()
