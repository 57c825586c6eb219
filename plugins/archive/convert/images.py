"""Raster images (PNG, JPEG, GIF, TIFF, BMP): every frame becomes a page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from PIL import Image, ImageOps, ImageSequence


def image_pages(stream: BinaryIO) -> Iterator[Image.Image]:
    """Each frame of the image, turned upright by its EXIF orientation."""
    with Image.open(stream) as image:
        for frame in ImageSequence.Iterator(image):
            page = ImageOps.exif_transpose(frame.copy())
            if "dpi" in image.info:
                page.info["dpi"] = image.info["dpi"]
            yield page
