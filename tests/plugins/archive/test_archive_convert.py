"""The converters on their own: what each kind of file becomes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from plugins.archive.convert.converter import DocumentConverter
from plugins.archive.convert.mail import html_text, render_mail
from plugins.archive.convert.pages import TiffBuilder, normalise
from plugins.archive.convert.source import Kind, SourceFile, detect_kind
from plugins.archive.convert.textpages import TextRenderer, text_encoding, text_lines
from plugins.archive.errors import Unconvertible

from .builders import TEXT, eml_bytes, pdf_bytes, png_bytes
from .conftest import fast_settings


class Pages:
    def __init__(self) -> None:
        self.pages: list[Image.Image] = []

    def add(self, page: Image.Image) -> None:
        self.pages.append(page)


def source(name: str, mime: str, content: bytes) -> SourceFile:
    return SourceFile(name, mime, lambda: io.BytesIO(content))


@pytest.fixture
def converter(tmp_path: Path) -> DocumentConverter:
    return DocumentConverter(fast_settings(), tmp_path)


def test_a_pdf_sent_as_octet_stream_is_still_a_pdf():
    pdf = source("brev", "application/octet-stream", b"")
    assert detect_kind(pdf, b"%PDF-1.7") is Kind.PDF
    docx = source("x.docx", "application/octet-stream", b"")
    assert detect_kind(docx, b"PK\x03\x04") is Kind.OFFICE
    unknown = source("x.bin", "application/octet-stream", b"")
    assert detect_kind(unknown, b"\x00\x01") is Kind.UNKNOWN


def test_every_pdf_page_becomes_a_page(converter):
    sink = Pages()
    converter.convert([source("b.pdf", "application/pdf", pdf_bytes(3))], sink)
    assert len(sink.pages) == 3
    assert sink.pages[0].info["dpi"] == (100, 100)


def test_an_email_shows_its_headers_body_and_attachments(converter):
    mail = render_mail(io.BytesIO(eml_bytes()))
    assert mail.lines[0].startswith("Fra: Forælder")
    assert "Emne: Svar på brev" in mail.lines
    assert "Vedhæftede filer: foto.png, bilag.pdf, smime.p7s (digital signatur, ikke gengivet)" in (
        mail.lines
    )
    assert "Her er svaret på jeres brev." in mail.lines  # the plain body, not the HTML twin
    assert [a.name for a in mail.attachments] == ["foto.png", "bilag.pdf"]
    sink = Pages()
    converter.convert([source("m.eml", "message/rfc822", eml_bytes())], sink)
    assert len(sink.pages) == 1 + 1 + 2


def test_an_attachment_that_cannot_be_converted_stops_the_email(converter):
    email = (
        b"From: a@example.dk\r\nSubject: Tegning\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=B\r\n\r\n"
        b"--B\r\nContent-Type: text/plain\r\n\r\nSe bilag.\r\n"
        b"--B\r\nContent-Type: application/x-cad\r\n"
        b"Content-Disposition: attachment; filename=bilag.cad\r\n\r\nAC1027\r\n--B--\r\n"
    )
    with pytest.raises(Unconvertible, match=r"m.eml: bilag.cad: application/x-cad is not"):
        converter.convert([source("m.eml", "message/rfc822", email)], Pages())


def test_text_in_windows_1252_is_read_correctly():
    assert text_encoding(TEXT) == "cp1252"
    assert text_encoding("æblegrød".encode()) == "utf-8"
    lines = list(text_lines(io.BytesIO(TEXT)))
    assert lines[1] == "\tPunkt 1: Æbler og øl."


def test_html_keeps_its_visible_text_and_paragraphs():
    text = html_text(
        "<html><head><style>p{}</style></head>"
        "<body><p>Et</p><p>To<script>x()</script></p></body></html>"
    )
    assert [line for line in text.splitlines() if line] == ["Et", "To"]


def test_long_lines_wrap_keeping_their_indentation():
    renderer = TextRenderer(100)
    line = "  " + "ord " * 200
    pieces = renderer.wrap(line)
    assert len(pieces) > 1
    assert pieces[0].startswith("  ord")
    assert all(p.startswith("      ") for p in pieces[1:])
    assert " ".join(p.strip() for p in pieces) == line.strip()
    word = "x" * 1000
    assert "".join(p.strip() for p in renderer.wrap(word)) == word


def test_a_long_text_fills_several_pages():
    pages = list(TextRenderer(100).pages(f"linje {n}" for n in range(200)))
    assert len(pages) == 4
    assert pages[0].size == (827, 1169)


def test_pages_are_stored_without_loss_in_the_smallest_fitting_mode():
    transparent = Image.open(io.BytesIO(png_bytes()))
    assert normalise(transparent, "lossless").mode == "RGB"
    grey = Image.new("RGB", (10, 10), (90, 90, 90))
    assert normalise(grey, "lossless").mode == "L"
    black_and_white = Image.new("L", (10, 10), 255)
    black_and_white.putpixel((3, 3), 0)
    assert normalise(black_and_white, "lossless").mode == "1"
    assert normalise(grey, "group4").mode == "1"


def test_a_tiff_is_written_page_by_page_each_in_its_lossless_form(tmp_path):
    path = tmp_path / "1.tif"
    with TiffBuilder(path, compression="lossless", dpi=150) as tiff:
        for colour in ("white", "red", (90, 90, 90)):
            tiff.add(Image.new("RGB", (50, 70), colour))
    pages = []
    with Image.open(path) as written:
        assert written.n_frames == 3
        for frame in range(3):
            written.seek(frame)
            pages.append((written.mode, written.tag_v2[259], written.info["dpi"]))
    assert pages == [("1", 4, (150, 150)), ("RGB", 5, (150, 150)), ("L", 5, (150, 150))]


def test_every_frame_of_a_multi_page_image_becomes_a_page(converter):
    frames = [Image.new("L", (40, 40), shade) for shade in (0, 128, 255)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    sink = Pages()
    converter.convert([source("scan.tif", "image/tiff", buffer.getvalue())], sink)
    assert len(sink.pages) == 3


def test_an_html_document_is_rendered_as_its_text(converter):
    sink = Pages()
    page = b"<html><body><h1>Afg\xc3\xb8relse</h1><p>Tekst</p></body></html>"
    converter.convert([source("a.html", "text/html", page)], sink)
    assert len(sink.pages) == 1
    ink = ImageOps.invert(sink.pages[0].convert("L")).getbbox()
    assert ink is not None and ink[1] < 200  # text drawn near the top of the page
