"""Checks of fileIndex.xml against the files on disk."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from plugins.archive.hashing import md5_file
from plugins.archive.validation.extract import Extract, diark
from plugins.archive.validation.findings import Finding
from plugins.archive.walk import walk_files
from plugins.archive.xmlsafe import HostileXml, iterparse_untrusted

LISTED = "fileindex:listed"
ON_DISK = "fileindex:disk"


def _child(element: etree._Element, name: str) -> str:
    child = element.find(diark(name))
    return (child.text or "").strip() if child is not None else ""


def file_index_files(extract: Extract) -> Iterator[Finding]:
    """Every file but fileIndex.xml listed once, under the media folder's name."""
    path = extract.index_path("fileIndex")
    name = extract.layout.name
    try:
        for entry in iterparse_untrusted(path, tag=diark("f")):
            folder, file_name, md5 = (
                _child(entry, "foN"),
                _child(entry, "fiN"),
                _child(entry, "md5"),
            )
            parts = folder.split("\\")
            if parts[0] != name or "/" in folder:
                yield Finding(
                    check="fileindex.files",
                    message=f"fileIndex entry {folder}\\{file_name}: the folder must start with "
                    f"{name} and use backslashes",
                )
                continue
            relative = "/".join((*parts[1:], file_name))
            if not extract.keys.add(LISTED, relative, extra=md5):
                yield Finding(check="fileindex.files", message=f"fileIndex lists {relative} twice")
    except (OSError, etree.XMLSyntaxError, HostileXml):
        return  # index.schema reports a missing or unreadable fileIndex
    own = extract.index_path("fileIndex")
    extract.keys.add_many(
        ON_DISK, ((extract.relative(p), "") for p in walk_files(extract.root) if p != own)
    )
    for relative, _ in extract.keys.missing(LISTED, ON_DISK):
        yield Finding(
            check="fileindex.files",
            message=f"fileIndex lists {relative}, which is not on disk",
        )
    for relative, _ in extract.keys.missing(ON_DISK, LISTED):
        yield Finding(
            check="fileindex.files",
            message=f"{relative} is on disk but not in fileIndex.xml",
        )


def file_index_md5(extract: Extract) -> Iterator[Finding]:
    """The recorded MD5 of every listed file that exists equals the file's."""
    for relative, recorded in extract.keys.items(LISTED):
        if extract.keys.get(ON_DISK, relative) is None:
            continue
        actual = md5_file(extract.root / relative)
        if recorded != recorded.upper():
            yield Finding(
                check="fileindex.md5",
                message=f"{relative}: fileIndex must give the MD5 in upper case",
            )
        if recorded.upper() != actual:
            yield Finding(
                check="fileindex.md5",
                message=f"{relative}: MD5 is {actual}, fileIndex.xml says {recorded}; the file "
                "changed after the index was made",
            )
