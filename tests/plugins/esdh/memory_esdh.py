"""A reference ESDH kept in memory: adapters that keep the contracts, and ones that don't.

The contract kit's own tests run the suites over the keeping adapters (so the suites
can pass) and call single tests with the breaking ones (so they can fail).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count

from plugins.contract_kit.remote import RemoteCase, RemoteDocument
from ports.integrations import ExportResult, OpenPart, SourcedDocument, SourcedFile
from ports.snapshots import CaseSnapshot, DocumentSnapshot


@dataclass
class MemoryEsdh:
    """The remote side and its observer in one: what a fake would hold."""

    held_cases: dict[str, RemoteCase] = field(default_factory=dict)
    held_documents: dict[str, RemoteDocument] = field(default_factory=dict)
    inbox: list[tuple[int, SourcedDocument, bool]] = field(default_factory=list)
    by_hub_id: dict[str, str] = field(default_factory=dict)
    ids: count = field(default_factory=lambda: count(1))

    def cases(self) -> list[RemoteCase]:
        return list(self.held_cases.values())

    def documents(self) -> list[RemoteDocument]:
        return list(self.held_documents.values())

    def add_document(self, *, title, content, file_name, mime_type, cpr, for_hub=True) -> None:
        number = next(self.ids)
        files = [SourcedFile(name=file_name, mime_type=mime_type, content=content)]
        sourced = SourcedDocument(message_id=f"mem:{number}", title=title, cprs=[cpr], files=files)
        self.inbox.append((number, sourced, for_hub))


def copy_of(snapshot: CaseSnapshot, external_id: str) -> RemoteCase:
    identifiers = {p.id: p.cpr or p.cvr for p in snapshot.parties}
    return RemoteCase(
        external_id=external_id,
        title=snapshot.case.title,
        kle_subject=snapshot.case.kle_subject,
        primary_party=identifiers.get(snapshot.case.primary_party_id),
        parties=list(identifiers.values()),
    )


@dataclass
class MemoryCaseExporter:
    esdh: MemoryEsdh

    def export_case(self, snapshot: CaseSnapshot, *, external_id: str | None) -> ExportResult:
        known = external_id or self.esdh.by_hub_id.get(str(snapshot.case.id))
        new_id = known or f"case-{next(self.esdh.ids)}"
        self.esdh.held_cases[new_id] = copy_of(snapshot, new_id)
        self.esdh.by_hub_id[str(snapshot.case.id)] = new_id
        return ExportResult(external_id=new_id, created=known is None)


@dataclass
class DuplicatingCaseExporter:
    """Breaks the contract: every export makes a new copy."""

    esdh: MemoryEsdh

    def export_case(self, snapshot: CaseSnapshot, *, external_id: str | None) -> ExportResult:
        new_id = f"case-{next(self.esdh.ids)}"
        self.esdh.held_cases[new_id] = copy_of(snapshot, new_id)
        return ExportResult(external_id=new_id, created=True)


@dataclass
class MemoryDocumentExporter:
    esdh: MemoryEsdh

    def export_document(
        self, snapshot: DocumentSnapshot, open_part: OpenPart, *, external_id: str | None
    ) -> ExportResult:
        part = snapshot.document.variants[0].parts[0]
        with open_part(part.sha256) as stream:
            content = stream.read()
        new_id = external_id or f"doc-{next(self.esdh.ids)}"
        self.esdh.held_documents[new_id] = RemoteDocument(
            external_id=new_id, title=snapshot.document.title, file_name=part.name, content=content
        )
        return ExportResult(external_id=new_id, created=external_id is None)


@dataclass
class MemoryDocumentSource:
    esdh: MemoryEsdh
    system_name: str = "memory"

    def poll(self, cursor: str | None) -> Iterator[tuple[SourcedDocument, str]]:
        after = int(cursor or 0)
        for number, document, for_hub in self.esdh.inbox:
            if for_hub and number > after:
                yield document, str(number)


@dataclass
class ForgetfulDocumentSource:
    """Breaks the contract: a new message id on every poll, and the cursor ignored."""

    esdh: MemoryEsdh
    system_name: str = "forgetful"
    polls: count = field(default_factory=count)

    def poll(self, cursor: str | None) -> Iterator[tuple[SourcedDocument, str]]:
        poll = next(self.polls)
        for number, document, for_hub in self.esdh.inbox:
            if for_hub:
                yield document.model_copy(update={"message_id": f"{poll}-{number}"}), "0"
