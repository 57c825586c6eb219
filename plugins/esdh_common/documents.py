"""What the ESDH adapters share about documents: the file sent, the case they go on."""

from __future__ import annotations

from collections.abc import Callable

from core.errors import InvalidValue
from core.models import Document, Part
from core.values import parse_case_number
from plugins.esdh_common.errors import EsdhError
from ports.snapshots import DocumentSnapshot

ARCHIVE_VARIANT = "arkiv"


def main_part(document: Document) -> Part:
    """The archive variant's first part, else the first variant's: an ESDH main document
    holds one file."""
    variant = next((v for v in document.variants if v.name == ARCHIVE_VARIANT), None)
    return (variant or document.variants[0]).parts[0]


def hub_case_number(value: str | None) -> str | None:
    """A case number the ESDH holds, when it is one of the hub's (the hub exported the case)."""
    if not value:
        return None
    try:
        return parse_case_number(value)
    except InvalidValue:
        return None


def first_exported_case(
    snapshot: DocumentSnapshot, find: Callable[[str], str | None], *, system: str, operation: str
) -> str:
    """The ESDH id of the first of the document's cases that was exported there.

    None exported yet is retryable: the case's own export job may simply not have run.
    """
    for link in snapshot.links:
        found = find(str(link.case_id))
        if found is not None:
            return found
    raise EsdhError(
        "none of the document's cases has been exported yet",
        system=system,
        operation=operation,
        retryable=True,
        kind="case_not_exported",
    )
