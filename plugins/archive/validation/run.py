"""``validate``: run every check over an extract and collect the findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

from plugins.archive.errors import StandardsMismatch
from plugins.archive.layout import Layout, Limits
from plugins.archive.standards import detect_profile, load_official
from plugins.archive.validation import (
    document_checks,
    file_checks,
    format_checks,
    layout_checks,
    schema_checks,
    table_checks,
)
from plugins.archive.validation.extract import Check, Extract
from plugins.archive.validation.findings import MAX_PER_CHECK, Finding
from plugins.archive.validation.keystore import KeyStore
from ports.integrations import ArchiveProfile

CHECK_ORDER: tuple[Check, ...] = (
    schema_checks.schemas_standard,
    schema_checks.index_schema,
    table_checks.table_structure,
    table_checks.table_schema,
    table_checks.read_tables,
    table_checks.foreign_keys,
    document_checks.read_doc_index,
    document_checks.docindex_table,
    document_checks.docindex_files,
    document_checks.context_files,
    layout_checks.numbering,
    layout_checks.collection_size,
    layout_checks.collection_count,
    format_checks.allowed_formats,
    format_checks.tiff_compression,
    file_checks.file_index_files,
    file_checks.file_index_md5,
)
"""Order matters where checks share what they read: tables and docIndex are loaded
into the key store before the checks that compare them."""


def _profile(root: Path, standards_dir: Path) -> ArchiveProfile:
    """The edition whose schemas the extract carries; by its researchIndex otherwise."""
    standard = root / "Schemas" / "standard"
    detected = detect_profile(standards_dir, standard / "archiveIndex.xsd")
    if detected is not None:
        return detected
    if (standard / "researchIndex.xsd").exists():
        return ArchiveProfile.BEK128
    return ArchiveProfile.BEK1007 if standard.is_dir() else ArchiveProfile.BEK128


def validate(
    root: Path,
    standards_dir: Path,
    *,
    profile: ArchiveProfile | None = None,
    name: str | None = None,
    limits: Limits | None = None,
) -> list[Finding]:
    """Every problem with the extract at ``root``; an empty list means it passed.

    ``name`` is the AVID folder name the indices must use (by default the folder's own
    name; the writer passes the final name while the folder is still ``.partial``).
    """
    layout = Layout(root, name or root.name)
    try:
        official = load_official(standards_dir, profile or _profile(root, standards_dir))
    except StandardsMismatch as exc:
        return [Finding(check="standards.md5", message=exc.message)]
    findings: list[Finding] = []
    with closing(KeyStore()) as keys:
        extract = Extract(layout, official, limits or Limits(), keys)
        for check in CHECK_ORDER:
            findings.extend(_capped(check(extract)))
    return findings


def _capped(found: Iterator[Finding]) -> list[Finding]:
    """At most MAX_PER_CHECK findings of each check, then one line counting the rest."""
    kept: list[Finding] = []
    seen: Counter[str] = Counter()
    for finding in found:
        seen[finding.check] += 1
        if seen[finding.check] <= MAX_PER_CHECK:
            kept.append(finding)
    for check, total in seen.items():
        if (count := total - MAX_PER_CHECK) <= 0:
            continue
        kept.append(Finding(check=check, message=f"… and {count} more findings of this kind"))
    return kept
