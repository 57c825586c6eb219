"""The adapters: case copies and documents as files under a root folder, and an inbox
folder that other systems drop documents into.

Layout::

    <root>/cases/<hub case id>.json          one locked copy per hub case
    <root>/documents/<hub document id>.json  metadata + the file, base64
    <root>/inbox/<sequence>/meta.json         a document for the hub, and its file beside it

Writes are atomic (a temporary file, then a rename), so a copy is never half-written.
The hub's own ids are the file names, so an export is idempotent even without the
external id.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ports.integrations import ExportResult, OpenPart, SourcedDocument, SourcedFile
from ports.snapshots import CaseSnapshot, DocumentSnapshot


def write_atomically(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(data, stream, ensure_ascii=False)
    os.replace(temporary, path)


class FolderCaseExporter:
    def __init__(self, root: Path) -> None:
        self._cases = root / "cases"

    def export_case(self, snapshot: CaseSnapshot, *, external_id: str | None) -> ExportResult:
        case = snapshot.case
        path = self._cases / f"{case.id}.json"
        created = not path.exists()
        identifiers = {p.id: p.cpr or p.cvr for p in snapshot.parties}
        write_atomically(
            path,
            {
                "id": str(case.id),
                "number": case.number,
                "title": case.title,
                "kle_subject": case.kle_subject,
                "status": case.status.value,
                "primary_party": identifiers.get(case.primary_party_id),
                "parties": list(identifiers.values()),
                "documents": [str(d.id) for d in snapshot.documents],
            },
        )
        return ExportResult(external_id=str(case.id), created=created)


class FolderDocumentExporter:
    def __init__(self, root: Path) -> None:
        self._documents = root / "documents"

    def export_document(
        self, snapshot: DocumentSnapshot, open_part: OpenPart, *, external_id: str | None
    ) -> ExportResult:
        document = snapshot.document
        part = document.variants[0].parts[0]
        with open_part(part.sha256) as stream:
            content = stream.read()
        path = self._documents / f"{document.id}.json"
        created = not path.exists()
        write_atomically(
            path,
            {
                "id": str(document.id),
                "title": document.title,
                "cases": [str(link.case_id) for link in snapshot.links],
                "file_name": part.name,
                "mime_type": part.mime_type,
                "content": base64.b64encode(content).decode("ascii"),
            },
        )
        return ExportResult(external_id=str(document.id), created=created)


class FolderDocumentSource:
    """Delivers ``<root>/inbox/<sequence>/`` folders whose ``meta.json`` says ``for_hub``.

    The folder name is the message id and the cursor: senders number folders in order.
    """

    system_name = "example_esdh"

    def __init__(self, root: Path) -> None:
        self._inbox = root / "inbox"

    def poll(self, cursor: str | None) -> Iterator[tuple[SourcedDocument, str]]:
        if not self._inbox.is_dir():
            return
        for folder in sorted(p for p in self._inbox.iterdir() if p.is_dir()):
            if cursor is not None and folder.name <= cursor:
                continue
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if not meta.get("for_hub"):
                continue
            file = folder / meta["file_name"]
            yield (
                SourcedDocument(
                    message_id=f"example_esdh:{folder.name}",
                    title=meta["title"],
                    cprs=meta.get("cprs", []),
                    files=[
                        SourcedFile(
                            name=file.name, mime_type=meta["mime_type"], content=file.read_bytes()
                        )
                    ],
                ),
                folder.name,
            )
