"""A folder export: one folder per old case or per citizen (``docs/migration.md``).

::

    export/
      27.24.00-G01-5-19/        a case folder: its name is the case number …
        metadata.json           … optional: defaults for the folder, per-file overrides
        afgoerelse.pdf
        notater/samtale.docx    subfolders belong to the same case folder
      0101901234/               … or a citizen folder named by CPR number
        _meta.csv               optional: one row per file (the manifest's columns)
        brev.pdf

Every other file is one document. Hidden files (``.name``) are ignored.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from adapters.migration.items import MigrationItem
from adapters.migration.metadata import METADATA_FIELDS
from adapters.migration.sources.manifest import (
    MANIFEST_COLUMNS,
    columns_problem,
    csv_delimiter,
    item_from_entry,
)
from core.errors import InvalidValue
from core.values import parse_case_number, parse_cpr

METADATA_JSON = "metadata.json"
METADATA_CSV = "_meta.csv"
_METADATA_FILES = frozenset({METADATA_JSON, METADATA_CSV})


def _files_under(folder: Path) -> Iterator[Path]:
    """Files below ``folder`` in sorted order, depth first, lazily per directory."""
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _files_under(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def _defaults_from_name(name: str) -> dict[str, str]:
    """A folder named by a case number or a CPR number gives that as the default."""
    for field, parse in (("case_number", parse_case_number), ("cpr", parse_cpr)):
        try:
            return {field: parse(name)}
        except InvalidValue:
            continue
    return {}


class FolderMetadata:
    """A case folder's metadata: defaults for all its files, overrides per file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.defaults: dict[str, Any] = _defaults_from_name(folder.name)
        self.per_file: dict[str, Mapping[str, Any]] = {}
        self.problem: str | None = None
        try:
            self._read_json(folder / METADATA_JSON)
            self._read_csv(folder / METADATA_CSV)
        except (OSError, ValueError) as exc:
            self.problem = str(exc)

    def _read_json(self, path: Path) -> None:
        if not path.exists():
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except ValueError as exc:
            raise ValueError(f"{METADATA_JSON}: not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise ValueError(f"{METADATA_JSON}: not a JSON object")
        documents = data.pop("documents", {})
        if not isinstance(documents, dict):
            raise ValueError(f"{METADATA_JSON}: documents: an object keyed by file name")
        if unknown := sorted(set(data) - (METADATA_FIELDS - {"source_id"})):
            raise ValueError(f"{METADATA_JSON}: {unknown[0]}: unknown key for a folder")
        self.defaults.update(data)
        self.per_file.update(documents)

    def _read_csv(self, path: Path) -> None:
        if not path.exists():
            return
        with path.open(encoding="utf-8-sig", newline="") as handle:
            delimiter = csv_delimiter(handle.readline())
            handle.seek(0)
            reader = csv.DictReader(handle, delimiter=delimiter)
            if problem := columns_problem({c.strip() for c in reader.fieldnames or ()}):
                raise ValueError(f"{METADATA_CSV}: {problem}")
            for row in reader:
                row = {k.strip(): v for k, v in row.items() if k is not None}
                self.per_file[row.pop("path").strip()] = row

    def for_file(self, relative: str) -> dict[str, Any]:
        """The file's raw metadata: the folder's defaults overlaid with its own entries."""
        own = self.per_file.get(relative, {})
        if not isinstance(own, Mapping):
            raise ValueError(f"{METADATA_JSON}: documents.{relative}: not an object")
        if unknown := sorted(set(own) - MANIFEST_COLUMNS):
            raise ValueError(f"{METADATA_JSON}: documents.{relative}.{unknown[0]}: unknown key")
        merged = dict(self.defaults)
        merged.update({k: v for k, v in own.items() if v not in (None, "")})
        return merged


class FolderExport:
    """Documents of a folder export, one case or citizen folder at a time."""

    def __init__(self, root: Path, name: str | None = None) -> None:
        if not root.is_dir():
            raise ValueError(f"{root}: not a folder")
        self.root = root
        self.name = name or root.resolve().name

    def _documents(self) -> Iterator[Path]:
        for path in _files_under(self.root):
            if path.name not in _METADATA_FILES or path.parent.parent != self.root:
                yield path

    def count(self) -> int:
        return sum(1 for _ in self._documents())

    def items(self) -> Iterator[MigrationItem]:
        metadata: FolderMetadata | None = None
        for path in self._documents():
            key = path.relative_to(self.root).as_posix()
            folder = self.root / key.split("/", 1)[0] if "/" in key else None
            if folder is None:
                yield item_from_entry({"path": key}, self.root, key)
                continue
            if metadata is None or metadata.folder != folder:
                metadata = FolderMetadata(folder)
            yield self._item(metadata, folder, key)

    def _item(self, metadata: FolderMetadata, folder: Path, key: str) -> MigrationItem:
        relative = key.split("/", 1)[1]
        if metadata.problem:
            return MigrationItem(key=key, problem=metadata.problem)
        try:
            raw = metadata.for_file(relative)
        except ValueError as exc:
            return MigrationItem(key=key, problem=str(exc))
        item = item_from_entry({**raw, "path": relative}, folder, key)
        if raw.get("source_id"):
            return item
        return MigrationItem(key=key, raw=item.raw, files=item.files, problem=item.problem)
