"""The context documentation: a generated system description, plus the municipality's own.

The description is text laid out as TIFF pages (like every other document in the
extract): what sagshub is, what the extract holds, each table and each column with
its meaning, and how the documents were converted. It is generated from the same
table definitions as the tables themselves.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from plugins.archive.convert.converter import DocumentConverter
from plugins.archive.convert.pages import TiffBuilder
from plugins.archive.convert.source import SourceFile
from plugins.archive.edition import Edition
from plugins.archive.indices import SYSTEM_CONTENT, SYSTEM_PURPOSE, ContextDocument
from plugins.archive.layout import Layout
from plugins.archive.settings import ArchiveSettings
from plugins.archive.tables.model import sql_declaration
from plugins.archive.tables.writer import TableStats

COMPRESSION_TEXT = {
    "lossless": "sort/hvide sider med CCITT Group 4, grå og farvede sider med LZW",
    "group4": "alle sider sort/hvid med CCITT Group 4",
}


@dataclass(frozen=True)
class ExtractSummary:
    package: str
    edition: Edition
    municipality: str
    created: date
    cases: int
    documents: int
    pages: int


def description_lines(
    summary: ExtractSummary, tables: Sequence[TableStats], settings: ArchiveSettings
) -> Iterator[str]:
    """The system description as lines of text."""
    yield "Systembeskrivelse: sagshub"
    yield ""
    yield f"Arkiveringsversion: {summary.package} efter {summary.edition.label}"
    yield f"Myndighed: {summary.municipality}"
    yield f"Dannet: {summary.created.isoformat()}"
    yield (f"Indhold: {summary.cases} sager, {summary.documents} dokumenter, {summary.pages} sider")
    yield ""
    yield "Hvad sagshub er"
    yield SYSTEM_PURPOSE
    yield ""
    yield "Hvad arkiveringsversionen indeholder"
    yield SYSTEM_CONTENT
    yield ""
    yield "Tabeller"
    for stats in tables:
        table = stats.table
        yield ""
        yield f"table{stats.number}: {table.name} ({stats.rows} rækker)"
        yield table.description
        yield f"Primærnøgle: {', '.join(table.primary_key)}"
        for key in table.foreign_keys:
            yield (
                f"Fremmednøgle: {', '.join(key.columns)} henviser til "
                f"{key.referenced_table}.{', '.join(key.referenced_columns)}"
            )
        for number, (column, longest) in enumerate(
            zip(table.columns, stats.longest, strict=True), start=1
        ):
            empty = "kan være tom" if column.nullable else "altid udfyldt"
            function = f" [{column.function}]" if column.function else ""
            yield (
                f"  c{number} {column.name} ({sql_declaration(column.kind, longest)}, {empty})"
                f"{function}: {column.description}"
            )
    yield ""
    yield "Dokumenterne"
    yield (
        f"Hvert dokument er én TIFF-fil med en side pr. side ({settings.dpi} dpi, "
        f"{COMPRESSION_TEXT[settings.compression]}) i "
        "Documents/docCollectionN/<dokument-id>/1.tif. "
        "PDF-sider er gengivet med PDFium; billeder er overført billede for billede; "
        "e-mails er sat op med afsender, modtagere, dato, emne og tekst efterfulgt af "
        "deres vedhæftede filer; tekstfiler er sat op som sider; Office-dokumenter er "
        "konverteret til PDF med LibreOffice og derefter gengivet. Digitale signaturer i "
        "e-mails er nævnt, men ikke gengivet. Det originale filnavn står i docIndex.xml (oFn) "
        "og i tabellen Dokument (originale_filnavne)."
    )
    yield (
        f"Af et dokuments varianter er den første af {', '.join(settings.variant_preference)} "
        "arkiveret, ellers den første variant."
    )


SYSTEM_CATEGORIES = {
    "systemInformation": ("systemPurpose", "systemContent"),
    "submissionInformation": ("archivalTransformationInformation",),
}
OWN_CATEGORIES = {"informationOther": ("informationOther",)}


def write_context_documentation(
    layout: Layout,
    converter: DocumentConverter,
    settings: ArchiveSettings,
    summary: ExtractSummary,
    tables: Sequence[TableStats],
) -> list[ContextDocument]:
    """Write ContextDocumentation/docCollection1/<n>/1.tif and return the index entries."""
    target = layout.context_folder(1) / "1.tif"
    with TiffBuilder(target, compression=settings.compression, dpi=settings.dpi) as tiff:
        for page in converter.text.pages(description_lines(summary, tables, settings)):
            tiff.add(page)
    documents = [
        ContextDocument(
            document_id=1,
            title="Systembeskrivelse for sagshub",
            description=(
                "Hvad sagshub er, arkiveringsversionens tabeller og kolonners betydning, "
                "og hvordan dokumenterne er konverteret."
            ),
            day=summary.created,
            institution=summary.municipality,
            categories=SYSTEM_CATEGORIES,
        )
    ]
    for number, path in enumerate(settings.context_documents, start=2):
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        source = SourceFile(path.name, mime, lambda path=path: path.open("rb"))
        with TiffBuilder(
            layout.context_folder(number) / "1.tif",
            compression=settings.compression,
            dpi=settings.dpi,
        ) as tiff:
            converter.convert([source], tiff)
        documents.append(
            ContextDocument(
                document_id=number,
                title=path.stem,
                description=f"Kontekstdokumentation fra {summary.municipality}: {path.name}",
                day=summary.created,
                institution=summary.municipality,
                categories=OWN_CATEGORIES,
            )
        )
    return documents
