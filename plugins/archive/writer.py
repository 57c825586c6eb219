"""The ``archive`` port's adapter: writes an archival version of the selected cases.

The cases arrive as a stream of snapshots. Each one's rows go straight into the
tables and each document is converted as it comes, so memory does not grow with the
size of the extract; what must be remembered across cases (which documents and
parties are already written) lives in the resume state on disk. The indices are
written at the end, the extract is validated, and only a valid extract gets its
final name.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from uuid import UUID

from core.errors import InvalidValue
from core.models import Case, CaseStatus, Document, utcnow
from plugins.archive.context import ExtractSummary, write_context_documentation
from plugins.archive.convert.converter import DocumentConverter
from plugins.archive.documents import DocumentArchiver
from plugins.archive.errors import (
    ArchiveError,
    ArchiveExists,
    ExtractInvalid,
    Unconvertible,
    UnconvertibleDocuments,
)
from plugins.archive.hashing import md5_file
from plugins.archive.indices import (
    ArchiveDeclarations,
    ArchiveFacts,
    DocIndexWriter,
    write_archive_index,
    write_context_index,
    write_file_index,
    write_table_index,
)
from plugins.archive.layout import ARCHIVE_CODE, Layout, Limits, avid_name
from plugins.archive.progress import ArchiveProgress, SilentProgress
from plugins.archive.settings import ArchiveSettings
from plugins.archive.standards import load_official, require_standards
from plugins.archive.state import ResumeState
from plugins.archive.tables import catalog
from plugins.archive.tables.writer import TableSet, TableStats
from plugins.archive.text import redact
from plugins.archive.validation.run import validate
from ports.integrations import ArchiveRequest, ArchiveResult, OpenPart
from ports.snapshots import CaseSnapshot

REGENERATED = ("Tables", "Indices", "ContextDocumentation", "Schemas")
"""Folders rewritten from scratch on every run; only Documents is reused."""
MAX_SOURCES = 50


class ArchiveWriter:
    """Writes AVID folders under BEK 128 or BEK 1007 (see :mod:`plugins.archive`)."""

    def __init__(
        self,
        settings: ArchiveSettings,
        standards_dir: Path | None,
        *,
        progress: Callable[[int], ArchiveProgress] | None = None,
        converter: Callable[[ArchiveSettings, Path], DocumentConverter] = DocumentConverter,
        limits: Limits | None = None,
    ) -> None:
        self.settings = settings
        self.standards_dir = standards_dir
        self.progress = progress or (lambda cases: SilentProgress())
        self.converter = converter
        self.limits = limits or Limits()

    def create(
        self, request: ArchiveRequest, cases: Iterator[CaseSnapshot], open_part: OpenPart
    ) -> ArchiveResult:
        """Write, validate and name the extract; see the module docstring.

        Raises :class:`UnconvertibleDocuments` (listing each document and why) before
        any index is written, :class:`ExtractInvalid` if validation fails, and
        :class:`ArchiveExists` if the AVID folder is already there.
        """
        if not ARCHIVE_CODE.match(request.archive_code):
            raise InvalidValue(
                "the archive code is 2-4 capital letters (SA for Rigsarkivet, or the "
                "§7 archive's own code)",
                field="archive_code",
            )
        official = load_official(require_standards(self.standards_dir), request.profile)
        layout = Layout.in_progress(
            request.out_dir, avid_name(request.archive_code, request.number)
        )
        if layout.final_path.exists():
            raise ArchiveExists(f"{layout.final_path} already exists; choose another number")
        _prepare(layout)
        converter = self.converter(self.settings, layout.scratch)
        with (
            closing(ResumeState(layout.state_file)) as state,
            self.progress(len(request.case_ids)) as progress,
        ):
            run = _Run(
                layout=layout,
                state=state,
                limits=self.limits,
                progress=progress,
                archiver=DocumentArchiver(
                    layout, state, converter, open_part, self.settings.variant_preference
                ),
                facts=ArchiveFacts(
                    package_id=f"AVID.{request.archive_code}.{request.number}",
                    creator="",
                    archive_code=request.archive_code,
                ),
            )
            run.problems.extend(converter.warnings)
            tables = run.write(cases)
            if run.failures:
                raise UnconvertibleDocuments(run.failures)
            if run.cases == 0:
                raise ArchiveError("no cases were selected; there is nothing to archive")
            progress.stage("Skriver indekser")
            _remove_stale_documents(layout, state)
            summary = ExtractSummary(
                package=run.facts.package_id + ".1",
                edition=official.edition,
                municipality=run.facts.creator,
                created=utcnow().date(),
                cases=run.cases,
                documents=run.facts.documents,
                pages=run.pages,
            )
            context = write_context_documentation(layout, converter, self.settings, summary, tables)
            write_context_index(layout.indices / "contextDocumentationIndex.xml", context)
            write_table_index(layout.indices / "tableIndex.xml", "sagshub", tables)
            write_archive_index(
                layout.indices / "archiveIndex.xml",
                official.edition,
                run.facts,
                ArchiveDeclarations(
                    final_transfer=self.settings.final_transfer,
                    personal_data=self.settings.personal_data,
                    other_access_restrictions=self.settings.other_access_restrictions,
                    form_version=self.settings.form_version,
                    form_classes=tuple(self.settings.form_classes.items()),
                ),
            )
            official.copy_to(layout.schemas_standard)
            write_file_index(layout, _md5_lookup(layout, state))
            progress.stage("Validerer")
            findings = validate(
                layout.root,
                official.folder.parent,
                profile=request.profile,
                name=layout.name,
                limits=self.limits,
            )
            if findings:
                raise ExtractInvalid(findings)
        layout.root.rename(layout.final_path)
        layout.state_file.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{layout.state_file}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(layout.scratch, ignore_errors=True)
        return ArchiveResult(
            path=layout.final_path,
            documents=run.facts.documents,
            pages=run.pages,
            problems=run.problems,
        )


def _prepare(layout: Layout) -> None:
    layout.root.mkdir(parents=True, exist_ok=True)
    for name in REGENERATED:
        shutil.rmtree(layout.root / name, ignore_errors=True)
    shutil.rmtree(layout.scratch, ignore_errors=True)
    layout.scratch.mkdir(parents=True)
    layout.indices.mkdir()


def _remove_stale_documents(layout: Layout, state: ResumeState) -> None:
    """Remove document folders an earlier, different run left that this run did not make."""
    if not layout.documents.is_dir():
        return
    for collection in list(layout.documents.iterdir()):
        number = collection.name.removeprefix("docCollection")
        for folder in list(collection.iterdir()) if collection.is_dir() else []:
            kept = (
                number.isdigit()
                and folder.name.isdigit()
                and state.produced_now(int(number), int(folder.name)) is not None
            )
            if not kept:
                shutil.rmtree(folder) if folder.is_dir() else folder.unlink()
        if not collection.is_dir() or not any(collection.iterdir()):
            shutil.rmtree(collection) if collection.is_dir() else collection.unlink()
    if not any(layout.documents.iterdir()):
        layout.documents.rmdir()


def _md5_lookup(layout: Layout, state: ResumeState) -> Callable[[Path], str]:
    """MD5s for fileIndex: documents' from the state (hashed when written or verified)."""

    def md5_of(path: Path) -> str:
        relative = path.relative_to(layout.root).parts
        if len(relative) == 4 and relative[0] == "Documents":
            number = relative[1].removeprefix("docCollection")
            done = state.produced_now(int(number), int(relative[2]))
            if done is not None and relative[3] == "1.tif":
                return done.md5
        return md5_file(path)

    return md5_of


@dataclass
class _Run:
    """One pass over the snapshots: rows into the tables, documents into TIFFs."""

    layout: Layout
    state: ResumeState
    limits: Limits
    progress: ArchiveProgress
    archiver: DocumentArchiver
    facts: ArchiveFacts
    cases: int = 0
    pages: int = 0
    next_document: int = 1
    next_link: int = 1
    failures: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def write(self, snapshots: Iterator[CaseSnapshot]) -> list[TableStats]:
        with (
            TableSet(catalog.TABLES, self.layout.table_folder) as tables,
            DocIndexWriter(self.layout.indices / "docIndex.xml") as doc_index,
        ):
            self.tables, self.doc_index = tables, doc_index
            for snapshot in snapshots:
                self._case(snapshot)
                self.progress.case_done()
        return tables.stats

    def _note(self, message: str) -> None:
        self.problems.append(redact(message))

    def _known(self, kind: str, key: UUID | None, what: str) -> UUID | None:
        """``key`` when it was written to the extract; else None, and a note saying so."""
        if key is None or self.state.seen(kind, key):
            return key
        self._note(f"{what} refers to {kind} {key}, which is not in the extract; left empty")
        return None

    def _case(self, snapshot: CaseSnapshot) -> None:
        case = snapshot.case
        if not self.state.first_time("case", case.id):
            self._note(f"case {case.number} was selected twice; it is written once")
            return
        self.cases += 1
        self._observe(snapshot, case)
        self.tables.write(
            catalog.CASES, catalog.case_row(case, snapshot.caseworker, snapshot.municipality)
        )
        self._parties(snapshot)
        for activity in snapshot.activities:
            if self._belongs(case, activity.case_id, f"activity {activity.id}") and (
                self.state.first_time("activity", activity.id)
            ):
                self.tables.write(catalog.ACTIVITIES, catalog.activity_row(activity))
        for document in snapshot.documents:
            self._document(document)
        self._links(snapshot)
        for note in snapshot.journal_notes:
            if self._belongs(case, note.case_id, f"journal note {note.id}") and (
                self.state.first_time("note", note.id)
            ):
                activity = self._known("activity", note.activity_id, f"journal note {note.id}")
                self.tables.write(catalog.JOURNAL_NOTES, catalog.journal_note_row(note, activity))
        self._placements(snapshot)

    def _belongs(self, case: Case, case_id: UUID, what: str) -> bool:
        """Whether a snapshot's item is really of its case; a stray one is noted, not written."""
        if case_id == case.id:
            return True
        self._note(f"{what} came with case {case.number} but belongs to case {case_id}; left out")
        return False

    def _observe(self, snapshot: CaseSnapshot, case: Case) -> None:
        self.facts.creator = snapshot.municipality.name
        end = case.closed_at or case.updated_at
        self.facts.case_period(case.created_at.date(), end.date())
        if case.status is not CaseStatus.CLOSED:
            self.facts.all_closed = False

    def _parties(self, snapshot: CaseSnapshot) -> None:
        for party in snapshot.parties:
            if self.state.first_time("party", party.id):
                self.facts.has_cpr |= party.cpr is not None
                self.facts.has_cvr |= party.cvr is not None
                self.tables.write(catalog.PARTIES, catalog.party_row(party))
        for role in snapshot.case.parties:
            if self._known("party", role.party_id, f"case {snapshot.case.number}") is None:
                continue
            if self.state.first_time(
                "case-party", f"{snapshot.case.id}/{role.party_id}/{role.role}"
            ):
                self.tables.write(catalog.CASE_PARTIES, catalog.case_party_row(snapshot.case, role))

    def _document(self, document: Document) -> None:
        if not self.state.first_time("document", document.id):
            return
        number = self.next_document
        if number > self.limits.max_documents:
            raise ArchiveError(
                f"more than {self.limits.max_documents:,} documents; split the selection "
                "into several archival versions"
            )
        self.next_document += 1
        collection = self.limits.collection_of(number)
        try:
            archived = self.archiver.archive(document, number, collection)
        except Unconvertible as exc:
            self.failures.append(
                redact(f"document {document.id} «{document.title}»: {exc.message}")
            )
            return
        names = [part.name for part in archived.variant.parts]
        self.doc_index.add(number, collection, names[0])
        self.tables.write(
            catalog.DOCUMENTS,
            catalog.document_row(
                document, number, archived.variant.name, names, archived.tiff.pages
            ),
        )
        self.state.first_time("document-row", document.id)
        self.facts.documents += 1
        self.pages += archived.tiff.pages
        if len(self.facts.sources) < MAX_SOURCES:
            self.facts.sources.add(document.sender_system)
        self.facts.document_date(document.letter_date or _day(document))
        self.progress.document_done(archived.tiff.pages)

    def _links(self, snapshot: CaseSnapshot) -> None:
        for link in snapshot.links:
            if not self._belongs(snapshot.case, link.case_id, f"document link {link.document_id}"):
                continue
            if not self.state.seen("document-row", link.document_id):
                self._note(
                    f"document {link.document_id} is linked but was not delivered with "
                    f"case {snapshot.case.number}; the link is left out"
                )
                continue
            activity = self._known(
                "activity", link.activity_id, f"document link {link.document_id}"
            )
            if self.state.first_time("link", f"{link.document_id}/{link.case_id}/{activity}"):
                self.tables.write(
                    catalog.DOCUMENT_CASES,
                    catalog.document_case_row(self.next_link, link, activity),
                )
                self.next_link += 1

    def _placements(self, snapshot: CaseSnapshot) -> None:
        for placement in snapshot.placements:
            if not self.state.first_time("placement", placement.id):
                continue
            if not self.state.seen("document-row", placement.document_id):
                self._note(
                    f"placement {placement.id} is of document {placement.document_id}, which is "
                    "not in the extract; the placement is left out"
                )
                continue
            case_id = self._known("case", placement.case_id, f"placement {placement.id}")
            activity = self._known("activity", placement.activity_id, f"placement {placement.id}")
            self.tables.write(
                catalog.PLACEMENTS, catalog.placement_row(placement, case_id, activity)
            )


def _day(document: Document) -> date:
    return document.received_at.date()
