"""PDF pages rendered with PDFium (pypdfium2), one page in memory at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import pypdfium2 as pdfium
from PIL import Image


def pdf_pages(stream: BinaryIO, dpi: int) -> Iterator[Image.Image]:
    """Each page of the PDF as an image at ``dpi``; forms and annotations included."""
    document = pdfium.PdfDocument(stream)
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                image = page.render(scale=dpi / 72, may_draw_forms=True).to_pil()
            finally:
                page.close()
            image.info["dpi"] = (dpi, dpi)
            yield image
    finally:
        document.close()
