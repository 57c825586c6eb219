"""An enabled ``DocumentSource`` plugin (Acadre, KMD Sag, …) as a migration source."""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import partial

from adapters.migration.items import ItemFile, MigrationItem
from ports.integrations import DocumentSource, SourcedDocument


def _item(document: SourcedDocument) -> MigrationItem:
    raw = {
        "title": document.title,
        "cpr": document.cprs,
        "case_number": document.case_number,
        "caseworker": document.caseworker,
        "document_type": document.doc_type,
        "letter_date": document.letter_date,
    }
    files = tuple(
        ItemFile(
            name=file.name,
            open=partial(io.BytesIO, file.content),
            variant=file.variant,
            mime_type=file.mime_type,
        )
        for file in document.files
    )
    return MigrationItem(key=document.message_id, raw=raw, files=files)


class PluginSource:
    """Polls a bound ``DocumentSource`` from ``cursor`` until it has nothing more.

    The plugin's own message id (stable per source document, by the port's
    contract) is the item's key; a rerun polls again from the same cursor and the
    intake ledger answers what was already migrated.
    """

    def __init__(self, source: DocumentSource, cursor: str | None = None) -> None:
        self.source = source
        self.cursor = cursor
        self.name = source.system_name

    def items(self) -> Iterator[MigrationItem]:
        for document, _next_cursor in self.source.poll(self.cursor):
            yield _item(document)

    def count(self) -> None:
        """A plugin cannot say beforehand how many documents it will yield."""
        return None
