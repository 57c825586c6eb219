"""The official index schemas, read from the configured standards folder.

``<standards_dir>/archive-bek128`` and ``archive-bek1007`` hold Rigsarkivet's schemas
byte for byte, with a ``SOURCES.md`` that records each file's MD5. Nothing is used
before every file's MD5 has been checked against that record, so a damaged or edited
copy can never end up in an extract or judge one.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from plugins.archive.edition import EDITIONS, Edition
from plugins.archive.errors import StandardsMismatch
from plugins.archive.hashing import md5_file
from plugins.archive.xmlsafe import load_trusted_schema
from ports.integrations import ArchiveProfile

_MD5_CELL = re.compile(r"^`?([0-9a-fA-F]{32})`?$")


def recorded_md5s(folder: Path) -> dict[str, str]:
    """File name → MD5 (upper case) from the table rows of ``folder/SOURCES.md``."""
    sources = folder / "SOURCES.md"
    if not sources.is_file():
        raise StandardsMismatch(f"{sources} is missing", field="standards_dir")
    recorded: dict[str, str] = {}
    for line in sources.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        md5s = [m.group(1) for c in cells if (m := _MD5_CELL.match(c))]
        if md5s and cells[0].startswith("`"):
            recorded[cells[0].strip("`")] = md5s[-1].upper()
    return recorded


@dataclass
class OfficialSchemas:
    """One edition's schemas, checked against SOURCES.md when built."""

    edition: Edition
    folder: Path
    md5s: dict[str, str] = field(default_factory=dict)

    def path(self, file_name: str) -> Path:
        return self.folder / file_name

    def index_schema(self, index: str) -> etree.XMLSchema:
        return self._compiled[index]

    @cached_property
    def _compiled(self) -> dict[str, etree.XMLSchema]:
        return {
            name: load_trusted_schema(self.path(f"{name}.xsd")) for name in self.edition.indices
        }

    @cached_property
    def xml_schema_schema(self) -> etree.XMLSchema:
        """The W3C schema for schemas, against which each table schema is validated."""
        return load_trusted_schema(self.path("XMLSchema.xsd"))

    def copy_to(self, target: Path) -> None:
        """Copy the edition's files byte for byte into ``target`` (``Schemas/standard``)."""
        target.mkdir(parents=True, exist_ok=True)
        for name in self.edition.schema_files:
            shutil.copyfile(self.path(name), target / name)
            if md5_file(target / name) != self.md5s[name]:
                raise StandardsMismatch(f"copying {name} to {target} changed it", field="out_dir")


def require_standards(standards_dir: Path | None) -> Path:
    """The configured standards folder; a clear error when the hub has none."""
    if standards_dir is None or not standards_dir.is_dir():
        raise StandardsMismatch(
            f"the folder of official schemas is not configured or missing ({standards_dir}); "
            "set standards_dir in the configuration or SAGSHUB_STANDARDS_DIR",
            field="standards_dir",
        )
    return standards_dir


def load_official(standards_dir: Path, profile: ArchiveProfile) -> OfficialSchemas:
    """The edition's official schemas, after checking every file against SOURCES.md.

    Raises :class:`StandardsMismatch` naming each file that is missing, unrecorded or
    different, so the person running it knows which copy to restore.
    """
    edition = EDITIONS[profile]
    folder = standards_dir / edition.standards_folder
    recorded = recorded_md5s(folder)
    problems: list[str] = []
    for name in edition.schema_files:
        path = folder / name
        if name not in recorded:
            problems.append(f"{name} has no MD5 in SOURCES.md")
        elif not path.is_file():
            problems.append(f"{name} is missing")
        elif (actual := md5_file(path)) != recorded[name]:
            problems.append(f"{name} has MD5 {actual}, SOURCES.md records {recorded[name]}")
    if problems:
        raise StandardsMismatch(
            f"the official schemas in {folder} cannot be trusted: " + "; ".join(problems),
            field="standards_dir",
        )
    return OfficialSchemas(edition, folder, {n: recorded[n] for n in edition.schema_files})


def detect_profile(standards_dir: Path, archive_index_xsd: Path) -> ArchiveProfile | None:
    """The edition whose recorded ``archiveIndex.xsd`` an extract's copy equals, if any."""
    if not archive_index_xsd.is_file():
        return None
    actual = md5_file(archive_index_xsd)
    for profile, edition in EDITIONS.items():
        try:
            recorded = recorded_md5s(standards_dir / edition.standards_folder)
        except StandardsMismatch:
            continue
        if recorded.get("archiveIndex.xsd") == actual:
            return profile
    return None
