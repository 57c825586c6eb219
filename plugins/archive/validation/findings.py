"""The checks ``validate`` runs, by id, and the findings they report."""

from __future__ import annotations

from pydantic import BaseModel

CHECKS: dict[str, str] = {
    "standards.md5": "The configured official schemas match the MD5s their SOURCES.md records.",
    "schemas.standard": "Schemas/standard holds exactly the edition's official schemas, "
    "byte for byte.",
    "index.schema": "Every index the extract needs is in Indices and validates against its "
    "official schema; no unknown files are there.",
    "table.structure": "Tables/ and tableIndex.xml describe the same tables and columns, and "
    "every key names real columns and tables.",
    "table.schema": "Every tableN.xsd is a valid XML schema and every tableN.xml validates "
    "against it.",
    "table.rows": "Each table has the number of rows tableIndex.xml states.",
    "table.primary_key": "Primary key values are unique and never empty.",
    "table.foreign_key": "Every foreign key value exists in the table it refers to.",
    "docindex.table": "docIndex.xml and the Dokumentidentifikation column list the same "
    "documents, each once.",
    "docindex.files": "Every docIndex entry has its file, and every document folder is in "
    "docIndex.",
    "context.files": "contextDocumentationIndex.xml and ContextDocumentation/ list the same "
    "documents.",
    "limits.numbering": "Tables and docCollections are numbered from 1 without gaps; no "
    "folder number has leading zeros; document ids have at most 12 digits.",
    "limits.collection_size": "No docCollection holds more than 10,000 documents.",
    "limits.collection_count": "There are at most 10,000 docCollections.",
    "format.allowed": "Every document file has an allowed format and really is what its "
    "extension says.",
    "format.tiff": "Every page of every TIFF is compressed with LZW or CCITT Group 4.",
    "fileindex.files": "fileIndex.xml lists exactly the files on disk (all but itself), "
    "each once, with its folder from the media folder.",
    "fileindex.md5": "Every file's MD5 equals the upper-case MD5 fileIndex.xml gives.",
}

MAX_PER_CHECK = 50


class Finding(BaseModel):
    """One thing wrong with an extract."""

    check: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.message}"
