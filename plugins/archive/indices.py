"""The index files of ``Indices/``, each shaped exactly as its edition's schema says.

``docIndex.xml`` and ``fileIndex.xml`` grow with the number of documents and are
streamed; the other three are small and built whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from plugins.archive.edition import Edition
from plugins.archive.layout import MEDIA_NUMBER, Layout
from plugins.archive.tables.model import sql_declaration
from plugins.archive.tables.writer import TableStats
from plugins.archive.text import xml_text
from plugins.archive.walk import walk_files
from plugins.archive.xmlsafe import DIARK, XSI

SCHEMA_LOCATION = f"{{{XSI}}}schemaLocation"


def _tag(name: str) -> str:
    return f"{{{DIARK}}}{name}"


def _root(name: str, schema: str | None = None) -> etree._Element:
    return etree.Element(
        _tag(name),
        nsmap={None: DIARK, "xsi": XSI},
        attrib={SCHEMA_LOCATION: f"{DIARK} ../Schemas/standard/{schema or name}.xsd"},
    )


def _add(parent: etree._Element, name: str, value: object = None) -> etree._Element:
    element = etree.SubElement(parent, _tag(name))
    if value is not None:
        element.text = _text(value)
    return element


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return xml_text(str(value))


def _stream_record(stream, name: str, fields: Sequence[tuple[str, object]]) -> None:
    """Write ``<name><field>value</field>…</name>`` into an open ``xmlfile``, so the
    record shares the root's default namespace instead of declaring its own."""
    stream.write("\n  ")
    with stream.element(_tag(name)):
        for field_name, value in fields:
            with stream.element(_tag(field_name)):
                stream.write(_text(value))


def _save(root: etree._Element, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(root).write(
        str(path), xml_declaration=True, encoding="utf-8", pretty_print=True
    )


def write_table_index(path: Path, database: str, tables: Sequence[TableStats]) -> None:
    root = _root("siardDiark", "tableIndex")
    _add(root, "version", "1.0")
    _add(root, "dbName", database)
    _add(root, "databaseProduct", "sagshub (SQLite eller PostgreSQL)")
    listing = _add(root, "tables")
    for stats in tables:
        table = stats.table
        entry = _add(listing, "table")
        _add(entry, "name", table.name)
        _add(entry, "folder", f"table{stats.number}")
        _add(entry, "description", table.description)
        columns = _add(entry, "columns")
        for number, (column, longest) in enumerate(
            zip(table.columns, stats.longest, strict=True), start=1
        ):
            item = _add(columns, "column")
            _add(item, "name", column.name)
            _add(item, "columnID", f"c{number}")
            _add(item, "type", sql_declaration(column.kind, longest))
            _add(item, "nullable", column.nullable)
            _add(item, "description", column.description)
            if column.function:
                _add(item, "functionalDescription", column.function)
        primary = _add(entry, "primaryKey")
        _add(primary, "name", f"PK_{table.name}")
        for name in table.primary_key:
            _add(primary, "column", name)
        if table.foreign_keys:
            keys = _add(entry, "foreignKeys")
            for key in table.foreign_keys:
                item = _add(keys, "foreignKey")
                _add(item, "name", key.name)
                _add(item, "referencedTable", key.referenced_table)
                for column, referenced in zip(key.columns, key.referenced_columns, strict=True):
                    reference = _add(item, "reference")
                    _add(reference, "column", column)
                    _add(reference, "referenced", referenced)
        _add(entry, "rows", stats.rows)
    _save(root, path)


class DocIndexWriter(ExitStack):
    """``docIndex.xml``, one ``doc`` per archived document, written as they finish.

    The file is only created with its first document: an extract without documents
    has no docIndex (the schema demands at least one ``doc``).
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._file = None

    def add(self, document_id: int, collection: int, original_name: str) -> None:
        if self._file is None:
            self._file = self.enter_context(etree.xmlfile(str(self.path), encoding="utf-8"))
            self._file.write_declaration()
            root = _root("docIndex")
            self.enter_context(
                self._file.element(root.tag, nsmap=root.nsmap, attrib=dict(root.attrib))
            )
        _stream_record(
            self._file,
            "doc",
            (
                ("dID", document_id),
                ("mID", MEDIA_NUMBER),
                ("dCf", f"docCollection{collection}"),
                ("oFn", " ".join(original_name.split()) or "ukendt"),
                ("aFt", "tif"),
            ),
        )


@dataclass
class ArchiveFacts:
    """What archiveIndex states about the extract, gathered while it is written."""

    package_id: str
    creator: str
    archive_code: str
    period_start: date | None = None
    period_end: date | None = None
    document_start: date | None = None
    document_end: date | None = None
    all_closed: bool = True
    has_cpr: bool = False
    has_cvr: bool = False
    documents: int = 0
    sources: set[str] = field(default_factory=set)

    def case_period(self, *days: date) -> None:
        """Widen the archive period to include ``days`` (a case's creation and closing)."""
        self.period_start = min(filter(None, (self.period_start, *days)))
        self.period_end = max(filter(None, (self.period_end, *days)))

    def document_date(self, day: date) -> None:
        self.document_start = min(filter(None, (self.document_start, day)))
        self.document_end = max(filter(None, (self.document_end, day)))


SYSTEM_NAME = "sagshub"
SYSTEM_PURPOSE = (
    "sagshub er kommunens integrationshub for sager om børn og unge (modelleret efter "
    "DUBU's integrationer). Dokumenter fra andre systemer modtages og lægges på den rette "
    "sag, sager og dokumenter stilles til rådighed som låste kopier for andre systemer, "
    "breve sendes til borgere, og afsluttede sager afleveres til arkiv."
)
SYSTEM_CONTENT = (
    "Sager om børn og unge med deres parter (personer med CPR-nummer og virksomheder med "
    "CVR-nummer), aktiviteter, dokumenter (konverteret til TIFF), journalnotater og "
    "oplysninger om, hvordan hvert indkommet dokument blev placeret og hvorfor."
)


@dataclass(frozen=True)
class ArchiveDeclarations:
    """What the municipality declares rather than the data shows (from the settings)."""

    final_transfer: bool
    personal_data: bool
    other_access_restrictions: bool
    form_version: str | None = None
    form_classes: Sequence[tuple[str, str]] = ()


def write_archive_index(
    path: Path, edition: Edition, facts: ArchiveFacts, declared: ArchiveDeclarations
) -> None:
    """``archiveIndex.xml`` in the element order of the edition's schema."""
    assert facts.period_start and facts.period_end, "an extract has at least one case"
    root = _root("archiveIndex")
    _add(root, "archiveInformationPackageID", facts.package_id)
    _add(root, "archivePeriodStart", facts.period_start)
    _add(root, "archivePeriodEnd", facts.period_end)
    if edition.archive_index_2019_fields and facts.document_start and facts.document_end:
        _add(root, "documentPeriodStart", facts.document_start)
        _add(root, "documentPeriodEnd", facts.document_end)
    _add(root, "archiveInformationPacketType", declared.final_transfer)
    creators = _add(root, "archiveCreatorList")
    _add(creators, "creatorName", facts.creator)
    _add(creators, "creationPeriodStart", facts.period_start)
    _add(creators, "creationPeriodEnd", facts.period_end)
    _add(root, "archiveType", facts.all_closed)
    _add(root, "systemName", SYSTEM_NAME)
    _add(root, "systemPurpose", SYSTEM_PURPOSE)
    _add(root, "systemContent", SYSTEM_CONTENT)
    for name, value in (
        ("regionNum", False),
        ("komNum", False),
        ("cprNum", facts.has_cpr),
        ("cvrNum", facts.has_cvr),
        ("matrikNum", False),
        ("bbrNum", False),
        ("whoSygKod", False),
    ):
        _add(root, name, value)
    for source in sorted(facts.sources):
        _add(root, "sourceName", source)
    if declared.form_version and declared.form_classes:
        form = _add(root, "form")
        _add(form, "formVersion", declared.form_version)
        classes = _add(form, "classList")
        for code, text in declared.form_classes:
            _add(classes, "formClass", code)
            _add(classes, "formClassText", text)
    _add(root, "containsDigitalDocuments", facts.documents > 0)
    if edition.archive_index_2019_fields:
        for name in ("containsGeodata", "containsResearchData", "researchSIP", "documentsDisposal"):
            _add(root, name, False)
    _add(root, "searchRelatedOtherRecords", False)
    _add(root, "systemFileConcept", facts.documents > 0)
    _add(root, "multipleDataCollection", len(facts.sources) > 1)
    _add(root, "personalDataRestrictedInfo", declared.personal_data)
    _add(root, "otherAccessTypeRestrictions", declared.other_access_restrictions)
    _add(root, "archiveApproval", facts.archive_code)
    _save(root, path)


@dataclass(frozen=True)
class ContextDocument:
    """One entry of contextDocumentationIndex: a document in ContextDocumentation."""

    document_id: int
    title: str
    description: str
    day: date
    institution: str
    categories: dict[str, tuple[str, ...]]
    """Category group → the flags set in it, in the schema's order."""


def write_context_index(path: Path, documents: Sequence[ContextDocument]) -> None:
    root = _root("contextDocumentationIndex")
    for document in documents:
        entry = _add(root, "document")
        _add(entry, "documentID", document.document_id)
        _add(entry, "documentTitle", document.title)
        _add(entry, "documentDescription", document.description)
        _add(entry, "documentDate", document.day)
        author = _add(entry, "documentAuthor")
        _add(author, "authorName", SYSTEM_NAME)
        _add(author, "authorInstitution", document.institution)
        category = _add(entry, "documentCategory")
        for group, flags in document.categories.items():
            holder = _add(category, group)
            for flag in flags:
                _add(holder, flag, True)
    _save(root, path)


def write_file_index(layout: Layout, md5_of: Callable[[Path], str]) -> int:
    """``fileIndex.xml`` listing every file of the extract except itself; returns the count."""
    path = layout.indices / "fileIndex.xml"
    count = 0
    with etree.xmlfile(str(path), encoding="utf-8") as stream:
        stream.write_declaration()
        root = _root("fileIndex")
        with stream.element(root.tag, nsmap=root.nsmap, attrib=dict(root.attrib)):
            for file in walk_files(layout.root):
                if file == path:
                    continue
                _stream_record(
                    stream,
                    "f",
                    (
                        ("foN", layout.file_index_folder(file)),
                        ("fiN", file.name),
                        ("md5", md5_of(file)),
                    ),
                )
                count += 1
            stream.write("\n")
    return count
