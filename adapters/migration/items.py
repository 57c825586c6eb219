"""What a migration source yields: one document's files and raw metadata."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol

DEFAULT_VARIANT = "arkiv"


@dataclass(frozen=True, slots=True)
class ItemFile:
    """One file of a document; ``open`` is called only when its bytes are staged."""

    name: str
    open: Callable[[], BinaryIO]
    variant: str = DEFAULT_VARIANT
    mime_type: str | None = None
    """The type the source declares, checked against the content; None = sniff it."""


@dataclass(frozen=True, slots=True)
class MigrationItem:
    """One document of the old system as its source describes it, not yet validated.

    ``key`` identifies the document within its source for good (its path relative
    to the export or manifest, or the old system's id), so that reruns derive the
    same message id. ``problem`` is set when the source itself could not be read
    for this document (a broken manifest line); the item is then skipped with it.
    """

    key: str
    raw: Mapping[str, Any] = field(default_factory=dict)
    files: tuple[ItemFile, ...] = ()
    problem: str | None = None


class MigrationSource(Protocol):
    """Yields a migration's documents lazily, never the whole list in memory."""

    name: str
    """Names the source in the sender system ``migration:<name>``; keep it across reruns."""

    def items(self) -> Iterator[MigrationItem]:
        """The documents, in a stable order."""
        ...

    def count(self) -> int | None:
        """How many items :meth:`items` will yield (a cheap pre-scan), or None if unknown."""
        ...
