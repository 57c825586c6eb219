"""Checks of the schemas: the Schemas/standard copy and the indices validated against it."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from plugins.archive.hashing import md5_file
from plugins.archive.validation.extract import Extract, diark
from plugins.archive.validation.findings import Finding
from plugins.archive.xmlsafe import HostileXml, describe, iterparse_untrusted

RECORD = {"fileIndex": "f", "docIndex": "doc"}
"""The repeating element of the large indices, so they are validated as a stream."""
ROOT = {"tableIndex": "siardDiark"}


def schemas_standard(extract: Extract) -> Iterator[Finding]:
    folder = extract.layout.schemas_standard
    official = extract.official
    expected = set(official.edition.schema_files)
    present = {p.name for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()
    for name in sorted(expected - present):
        yield Finding(
            check="schemas.standard",
            message=f"Schemas/standard/{name} is missing; copy it from {official.folder}",
        )
    for name in sorted(present - expected):
        yield Finding(
            check="schemas.standard",
            message=f"Schemas/standard/{name} is not one of the {official.edition.label} "
            "schemas; remove it",
        )
    for name in sorted(expected & present):
        actual = md5_file(folder / name)
        if actual != official.md5s[name]:
            yield Finding(
                check="schemas.standard",
                message=f"Schemas/standard/{name} differs from the official file (MD5 {actual}, "
                f"official {official.md5s[name]}); replace it with the official copy",
            )


def _required(extract: Extract) -> dict[str, bool]:
    """Index name → whether this extract must have it."""
    edition = extract.official.edition
    return {
        name: name != "researchIndex" and (name != "docIndex" or extract.layout.documents.exists())
        for name in edition.indices
    }


def index_schema(extract: Extract) -> Iterator[Finding]:
    indices = extract.layout.indices
    required = _required(extract)
    if indices.is_dir():
        for path in sorted(indices.iterdir()):
            if path.suffix != ".xml" or path.stem not in required:
                yield Finding(
                    check="index.schema",
                    message=f"Indices/{path.name} is not an index of "
                    f"{extract.official.edition.label}; remove it",
                )
    for name, needed in required.items():
        path = extract.index_path(name)
        if not path.is_file():
            if needed:
                yield Finding(check="index.schema", message=f"Indices/{name}.xml is missing")
            continue
        schema = extract.official.index_schema(name)
        tag = diark(RECORD.get(name, ROOT.get(name, name)))
        try:
            for _ in iterparse_untrusted(path, tag=tag, schema=schema):
                pass
        except (etree.XMLSyntaxError, HostileXml) as exc:
            yield Finding(
                check="index.schema",
                message=f"Indices/{name}.xml does not validate against {name}.xsd: {describe(exc)}",
            )
