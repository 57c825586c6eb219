"""One document into ``Documents/docCollectionN/<dID>/1.tif``, or reused from a previous run.

A TIFF is first written to the scratch folder, hashed, and only then moved into
place and recorded in the resume state. A re-run reuses a document's TIFF when the
state says it came from the same files with the same recipe and the file on disk
still has the recorded size and MD5; anything else is converted again.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from core.errors import NotFound
from core.models import Document, Variant
from plugins.archive.convert.converter import DocumentConverter, source_fingerprint
from plugins.archive.convert.pages import TiffBuilder
from plugins.archive.convert.source import SourceFile
from plugins.archive.errors import Unconvertible
from plugins.archive.hashing import md5_file
from plugins.archive.layout import Layout
from plugins.archive.state import Converted, ResumeState
from ports.integrations import OpenPart

TIFF_NAME = "1.tif"


def choose_variant(document: Document, preference: list[str]) -> Variant:
    """The first variant named in ``preference`` (case-insensitive), else the first one."""
    by_name = {variant.name.lower(): variant for variant in document.variants}
    for name in preference:
        if name.lower() in by_name:
            return by_name[name.lower()]
    return document.variants[0]


@dataclass(frozen=True)
class ArchivedDocument:
    variant: Variant
    tiff: Converted


class DocumentArchiver:
    """Converts documents (or reuses earlier conversions) and counts which it did."""

    def __init__(
        self,
        layout: Layout,
        state: ResumeState,
        converter: DocumentConverter,
        open_part: OpenPart,
        preference: list[str],
    ) -> None:
        self.layout = layout
        self.state = state
        self.converter = converter
        self.open_part = open_part
        self.preference = preference
        self.converted = 0
        self.reused = 0

    def archive(self, document: Document, number: int, collection: int) -> ArchivedDocument:
        """The document's TIFF at its place; raises :class:`Unconvertible` with the reason."""
        variant = choose_variant(document, self.preference)
        fingerprint = source_fingerprint(
            [(variant.name, "")] + [(part.name, part.sha256) for part in variant.parts]
        )
        target = self.layout.document_folder(collection, number) / TIFF_NAME
        previous = self.state.converted(str(document.id))
        expected = Converted(number, collection, fingerprint, self.converter.recipe, "", 0, 0)
        if previous is not None and self._still_valid(previous, expected, target):
            self.state.record(str(document.id), previous)
            self.reused += 1
            return ArchivedDocument(variant, previous)
        files = [
            SourceFile(part.name, part.mime_type, self._opener(part.name, part.sha256))
            for part in variant.parts
        ]
        done = self._convert(files, expected, target)
        self.state.record(str(document.id), done)
        self.converted += 1
        return ArchivedDocument(variant, done)

    def _opener(self, name: str, sha256: str) -> Callable[[], BinaryIO]:
        def open_bytes() -> BinaryIO:
            try:
                return self.open_part(sha256)
            except NotFound:
                raise Unconvertible(
                    f"its bytes (sha256 {sha256[:12]}…) are missing from the blob store"
                ) from None

        return open_bytes

    @staticmethod
    def _still_valid(previous: Converted, expected: Converted, target: Path) -> bool:
        return (
            previous.document_id == expected.document_id
            and previous.collection == expected.collection
            and previous.fingerprint == expected.fingerprint
            and previous.recipe == expected.recipe
            and target.is_file()
            and target.stat().st_size == previous.size
            and md5_file(target) == previous.md5
        )

    def _convert(self, files: list[SourceFile], expected: Converted, target: Path) -> Converted:
        scratch = self.layout.scratch / f"{expected.document_id}.tif"
        try:
            settings = self.converter.settings
            with TiffBuilder(scratch, compression=settings.compression, dpi=settings.dpi) as tiff:
                self.converter.convert(files, tiff)
            if tiff.pages == 0:
                raise Unconvertible("it has no pages")
            md5, size = md5_file(scratch), scratch.stat().st_size
            target.parent.mkdir(parents=True, exist_ok=True)
            for stale in target.parent.iterdir():
                if stale.name == TIFF_NAME:
                    continue
                if stale.is_dir():
                    shutil.rmtree(stale)
                else:
                    stale.unlink()
            os.replace(scratch, target)
        finally:
            scratch.unlink(missing_ok=True)
        return Converted(
            expected.document_id,
            expected.collection,
            expected.fingerprint,
            expected.recipe,
            md5,
            size,
            tiff.pages,
        )
