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


def _entries(extract: Extract) -> Iterator[Finding]:
    """Load fileIndex into the key store as ``<medium>/<path>`` → MD5."""
    path = extract.index_path("fileIndex")
    stem = extract.layout.name.rsplit(".", 1)[0] + "."
    for entry in iterparse_untrusted(path, tag=diark("f")):
        folder, file_name, md5 = _child(entry, "foN"), _child(entry, "fiN"), _child(entry, "md5")
        medium, *parts = folder.split("\\")
        if not medium.startswith(stem) or "/" in folder:
            yield Finding(
                check="fileindex.files",
                message=f"fileIndex entry {folder}\\{file_name}: the folder must start with "
                f"{extract.layout.name} (or another medium of {stem[:-1]}) and use backslashes",
            )
            continue
        if medium not in extract.media:
            yield Finding(
                check="fileindex.files",
                message=f"fileIndex lists {folder}\\{file_name} on medium {medium}, which is not "
                "beside this folder, so it cannot be checked",
            )
            continue
        key = "/".join((medium, *parts, file_name))
        if not extract.keys.add(LISTED, key, extra=md5):
            yield Finding(check="fileindex.files", message=f"fileIndex lists {key} twice")


def _on_disk(extract: Extract) -> Iterator[tuple[str, str]]:
    own = extract.index_path("fileIndex")
    for medium, root in extract.media.items():
        for file in walk_files(root):
            if file != own:
                yield f"{medium}/{file.relative_to(root).as_posix()}", ""


def file_index_files(extract: Extract) -> Iterator[Finding]:
    """Every file but fileIndex.xml listed once, under its medium's name."""
    try:
        yield from _entries(extract)
    except (OSError, etree.XMLSyntaxError, HostileXml):
        return  # index.schema reports a missing or unreadable fileIndex
    extract.keys.add_many(ON_DISK, _on_disk(extract))
    for key, _ in extract.keys.missing(LISTED, ON_DISK):
        yield Finding(check="fileindex.files", message=f"fileIndex lists {key}, not on disk")
    for key, _ in extract.keys.missing(ON_DISK, LISTED):
        yield Finding(check="fileindex.files", message=f"{key} is on disk, not in fileIndex.xml")


def file_index_md5(extract: Extract) -> Iterator[Finding]:
    """The recorded MD5 of every listed file that exists equals the file's."""
    for key, recorded in extract.keys.items(LISTED):
        if extract.keys.get(ON_DISK, key) is None:
            continue
        medium, relative = key.split("/", 1)
        actual = md5_file(extract.media[medium] / relative)
        if recorded != recorded.upper():
            yield Finding(
                check="fileindex.md5", message=f"{key}: fileIndex must give the MD5 in upper case"
            )
        if recorded.upper() != actual:
            yield Finding(
                check="fileindex.md5",
                message=f"{key}: MD5 is {actual}, fileIndex.xml says {recorded}; the file "
                "changed after the index was made",
            )
