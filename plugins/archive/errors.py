"""The plugin's errors: each says what went wrong and what to do about it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.errors import Conflict, DomainError

if TYPE_CHECKING:
    from plugins.archive.validation.findings import Finding


class ArchiveError(DomainError):
    """Base of the archival-version errors."""

    title = "Archival version not produced"


class StandardsMismatch(ArchiveError):
    """The configured official schemas differ from the MD5s their SOURCES.md records."""

    title = "Official schemas do not match their recorded checksums"


class ArchiveExists(Conflict):
    """The target AVID folder already exists; an archival version is never overwritten."""


class Unconvertible(ArchiveError):
    """One document (or one of its files) cannot be turned into an archival format."""

    title = "Document cannot be converted"


class UnconvertibleDocuments(ArchiveError):
    """The extract stopped because these documents cannot be converted."""

    title = "Documents cannot be converted"

    def __init__(self, items: Sequence[str]) -> None:
        self.items = list(items)
        lines = "\n".join(f"  - {item}" for item in self.items)
        super().__init__(
            f"{len(self.items)} document(s) cannot be converted; nothing was delivered. "
            f"Fix or replace them and run the same command again (finished documents are "
            f"kept):\n{lines}",
            field="documents",
        )


class ExtractInvalid(ArchiveError):
    """The finished extract did not pass validation; it is left in its ``.partial`` folder."""

    title = "Archival version failed validation"

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        lines = "\n".join(f"  - [{f.check}] {f.message}" for f in self.findings[:50])
        more = len(self.findings) - 50
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(f"the extract failed validation:\n{lines}{tail}")
