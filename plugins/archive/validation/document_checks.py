"""Checks that tie the document indices to the table column and to the folders on disk."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from plugins.archive.validation.extract import Extract, diark
from plugins.archive.validation.findings import Finding
from plugins.archive.validation.table_checks import DOCUMENT_ID_BAG
from plugins.archive.walk import sorted_entries
from plugins.archive.xmlsafe import HostileXml, iterparse_untrusted

DOCINDEX_BAG = "docindex"
_NUMBERED_FILE = re.compile(r"^([1-9][0-9]*)\.([A-Za-z0-9]+)$")


def _child(element: etree._Element, name: str) -> str:
    child = element.find(diark(name))
    return (child.text or "").strip() if child is not None else ""


def read_doc_index(extract: Extract) -> Iterator[Finding]:
    """Load docIndex's entries into the key store; a repeated dID is a finding."""
    path = extract.index_path("docIndex")
    if not path.is_file():
        return
    try:
        for doc in iterparse_untrusted(path, tag=diark("doc")):
            number = _child(doc, "dID")
            where = f"{_child(doc, 'dCf')}/{number}/1.{_child(doc, 'aFt')}"
            if not extract.keys.add(DOCINDEX_BAG, number, extra=where):
                yield Finding(check="docindex.table", message=f"docIndex lists dID {number} twice")
    except (etree.XMLSyntaxError, HostileXml):
        return  # index.schema reports an unreadable docIndex


def docindex_table(extract: Extract) -> Iterator[Finding]:
    for number, table in extract.keys.missing(DOCUMENT_ID_BAG, DOCINDEX_BAG):
        yield Finding(
            check="docindex.table",
            message=f"document {number} is in table {table}'s Dokumentidentifikation column "
            "but not in docIndex.xml",
        )
    for number, _ in extract.keys.missing(DOCINDEX_BAG, DOCUMENT_ID_BAG):
        yield Finding(
            check="docindex.table",
            message=f"docIndex.xml lists document {number}, but no Dokumentidentifikation "
            "column has it",
        )


def _document_folders(base: Path) -> Iterator[tuple[str, Path]]:
    """(collection name, document folder) for every document folder under ``base``."""
    if not base.is_dir():
        return
    for collection in sorted_entries(base):
        if collection.is_dir():
            for folder in sorted_entries(Path(collection.path)):
                if folder.is_dir():
                    yield collection.name, Path(folder.path)


def _numbered_files(folder: Path) -> Iterator[str]:
    """Problems with a document folder's files: they must be 1.ext, 2.ext … in one format."""
    names = sorted(p.name for p in folder.iterdir())
    matches = [_NUMBERED_FILE.match(name) for name in names]
    if not names:
        yield "is empty"
        return
    if not all(matches):
        yield "holds files not named <number>.<format>: " + ", ".join(
            n for n, m in zip(names, matches, strict=True) if not m
        )
        return
    numbers = sorted(int(m.group(1)) for m in matches if m)
    if numbers != list(range(1, len(numbers) + 1)) or len({m.group(2) for m in matches if m}) > 1:
        yield "must hold 1.<format>, 2.<format> … in one format: " + ", ".join(names)


def docindex_files(extract: Extract) -> Iterator[Finding]:
    documents = extract.layout.documents
    for number, where in extract.keys.items(DOCINDEX_BAG):
        if not (documents / where).is_file():
            yield Finding(
                check="docindex.files",
                message=f"docIndex.xml lists document {number}, but Documents/{where} is missing",
            )
    for collection, folder in _document_folders(documents):
        where = extract.keys.get(DOCINDEX_BAG, folder.name)
        if where is None or not where.startswith(f"{collection}/"):
            yield Finding(
                check="docindex.files",
                message=f"Documents/{collection}/{folder.name} is not in docIndex.xml "
                "(or docIndex places it in another docCollection)",
            )
        for problem in _numbered_files(folder):
            yield Finding(
                check="docindex.files", message=f"Documents/{collection}/{folder.name} {problem}"
            )


def context_files(extract: Extract) -> Iterator[Finding]:
    path = extract.index_path("contextDocumentationIndex")
    listed: set[str] = set()
    try:
        for document in iterparse_untrusted(path, tag=diark("document")):
            listed.add(_child(document, "documentID"))
    except (OSError, etree.XMLSyntaxError, HostileXml):
        return  # index.schema reports a missing or unreadable index
    on_disk: set[str] = set()
    for collection, folder in _document_folders(extract.layout.context_documentation):
        on_disk.add(folder.name)
        for problem in _numbered_files(folder):
            yield Finding(
                check="context.files",
                message=f"ContextDocumentation/{collection}/{folder.name} {problem}",
            )
    for number in sorted(listed - on_disk):
        yield Finding(
            check="context.files",
            message=f"contextDocumentationIndex.xml lists document {number}, which has no "
            "folder in ContextDocumentation",
        )
    for number in sorted(on_disk - listed):
        yield Finding(
            check="context.files",
            message=f"ContextDocumentation has document {number}, which "
            "contextDocumentationIndex.xml does not list",
        )
