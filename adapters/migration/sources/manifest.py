"""CSV and JSON-lines manifests: one document per row or line (``docs/migration.md``)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from adapters.migration.items import DEFAULT_VARIANT, ItemFile, MigrationItem
from adapters.migration.metadata import METADATA_FIELDS

FILE_FIELDS = frozenset({"path", "variant", "mime_type"})
"""Columns that describe a document's file rather than the document."""

MANIFEST_COLUMNS = METADATA_FIELDS | FILE_FIELDS


class ManifestError(ValueError):
    """The manifest as a whole cannot be read (missing, unknown columns); nothing runs."""


def _open_text(path: Path):
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ManifestError(f"{path}: cannot be read ({exc.strerror})") from None


def csv_delimiter(header: str) -> str:
    """Semicolon (as Danish spreadsheets write CSV) when the header has more of them."""
    return ";" if header.count(";") > header.count(",") else ","


def columns_problem(columns: set[str]) -> str | None:
    """Why a manifest header cannot be used, or None: it must name ``path`` and no
    unknown column (a typo would otherwise silently drop metadata)."""
    if "path" not in columns:
        return "the header has no 'path' column"
    if unknown := sorted(columns - MANIFEST_COLUMNS):
        return f"unknown column(s) {', '.join(unknown)}"
    return None


def item_from_entry(entry: Mapping[str, Any], base: Path, fallback_key: str) -> MigrationItem:
    """A manifest row or line (or a folder export's file) as a migration item.

    The key is the ``source_id`` if given, else the ``path`` as written; ``files``
    (JSON only) gives several files with their own ``path``/``variant``/``mime_type``.
    """
    file_specs = entry.get("files") or [entry]
    raw = {k: v for k, v in entry.items() if k in METADATA_FIELDS}
    if not isinstance(file_specs, list) or not all(isinstance(f, Mapping) for f in file_specs):
        return MigrationItem(key=fallback_key, raw=raw, problem="files: a list of objects")
    files = []
    for spec in file_specs:
        path = spec.get("path")
        if not isinstance(path, str) or not path.strip():
            return MigrationItem(key=fallback_key, raw=raw, problem="path: missing")
        full = base / path.strip()
        # Unbuffered: the stager reads in large chunks, a buffer would only copy them.
        files.append(
            ItemFile(
                name=full.name,
                open=partial(open, full, "rb", buffering=0),
                variant=spec.get("variant") or DEFAULT_VARIANT,
                mime_type=spec.get("mime_type") or None,
            )
        )
    source_id = raw.get("source_id")
    paths = "|".join(str(spec["path"]).strip() for spec in file_specs)
    key = str(source_id).strip() if source_id else paths
    return MigrationItem(key=key, raw=raw, files=tuple(files))


class CsvManifest:
    """A CSV manifest (comma or semicolon separated, UTF-8 with or without BOM).

    Relative paths are relative to the manifest's folder. A header without ``path``
    or with an unknown column stops the run before it starts.
    """

    def __init__(self, path: Path, name: str | None = None) -> None:
        self.path = path
        self.name = name or path.stem
        with _open_text(path) as handle:
            header = handle.readline()
        self.delimiter = csv_delimiter(header)
        columns = {c.strip() for c in next(csv.reader([header], delimiter=self.delimiter), [])}
        if problem := columns_problem(columns):
            raise ManifestError(f"{path}: {problem}")

    def _rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        with _open_text(self.path) as handle:
            reader = csv.DictReader(handle, delimiter=self.delimiter)
            reader.fieldnames = [f.strip() for f in reader.fieldnames or ()]
            for row in reader:
                yield reader.line_num, row

    def items(self) -> Iterator[MigrationItem]:
        base = self.path.parent
        for line, row in self._rows():
            if None in row:  # more cells than the header has columns
                yield MigrationItem(key=f"line {line}", problem="row: more cells than columns")
                continue
            yield item_from_entry(row, base, f"line {line}")

    def count(self) -> int:
        return sum(1 for _ in self._rows())


class JsonLinesManifest:
    """A JSON-lines manifest: one JSON object per line, the CSV's columns as keys.

    A line may give ``files`` (a list of ``{path, variant, mime_type}``) instead of
    ``path`` for a document with several files. A line that is not a JSON object or
    has unknown keys is skipped with its reason; the run goes on.
    """

    def __init__(self, path: Path, name: str | None = None) -> None:
        self.path = path
        self.name = name or path.stem
        _open_text(path).close()

    def _lines(self) -> Iterator[tuple[int, str]]:
        with _open_text(self.path) as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, line

    def items(self) -> Iterator[MigrationItem]:
        base = self.path.parent
        for number, line in self._lines():
            key = f"line {number}"
            try:
                entry = json.loads(line)
            except ValueError as exc:
                yield MigrationItem(key=key, problem=f"line {number}: not JSON ({exc.msg})")
                continue
            if not isinstance(entry, dict):
                yield MigrationItem(key=key, problem=f"line {number}: not a JSON object")
                continue
            if unknown := sorted(set(entry) - MANIFEST_COLUMNS - {"files"}):
                yield MigrationItem(key=key, problem=f"{unknown[0]}: unknown key")
                continue
            yield item_from_entry(entry, base, key)

    def count(self) -> int:
        return sum(1 for _ in self._lines())
