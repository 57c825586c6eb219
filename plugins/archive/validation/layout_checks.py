"""Checks of the folder layout: numbering and the size limits of docCollections."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from plugins.archive.validation.extract import Extract
from plugins.archive.validation.findings import Finding
from plugins.archive.walk import sorted_entries

_NUMBER = r"([1-9][0-9]*)"


def _numbered(folder: Path, prefix: str) -> tuple[list[int], list[str]]:
    """The numbers of ``<prefix>N`` sub-folders, and the names that are not of that form."""
    pattern = re.compile(rf"^{prefix}{_NUMBER}$")
    numbers: list[int] = []
    wrong: list[str] = []
    for entry in sorted_entries(folder):
        if entry.is_dir():
            match = pattern.match(entry.name)
            if match:
                numbers.append(int(match.group(1)))
            else:
                wrong.append(entry.name)
    return numbers, wrong


def _sequence(where: str, prefix: str, numbers: list[int], wrong: list[str]) -> Iterator[Finding]:
    for name in wrong:
        yield Finding(
            check="limits.numbering",
            message=f"{where}/{name} should be named {prefix}<number>, numbered from 1 "
            "without leading zeros",
        )
    expected = list(range(1, len(numbers) + 1))
    if sorted(numbers) != expected:
        gaps = sorted(set(expected) - set(numbers))
        yield Finding(
            check="limits.numbering",
            message=f"{where}: {prefix} folders must be numbered 1 to {len(numbers)} without "
            f"gaps; missing {', '.join(f'{prefix}{n}' for n in gaps[:10])}",
        )


def _collections(extract: Extract) -> Iterator[tuple[str, Path]]:
    for base in (extract.layout.documents, extract.layout.context_documentation):
        if base.is_dir():
            yield base.name, base


def numbering(extract: Extract) -> Iterator[Finding]:
    tables = extract.layout.tables
    if tables.is_dir():
        yield from _sequence("Tables", "table", *_numbered(tables, "table"))
    digits = extract.limits.id_digits
    document = re.compile(rf"^[1-9][0-9]{{0,{digits - 1}}}$")
    for where, base in _collections(extract):
        numbers, wrong = _numbered(base, "docCollection")
        yield from _sequence(where, "docCollection", numbers, wrong)
        for number in numbers:
            for entry in sorted_entries(base / f"docCollection{number}"):
                if entry.is_dir() and not document.match(entry.name):
                    yield Finding(
                        check="limits.numbering",
                        message=f"{where}/docCollection{number}/{entry.name}: a document id "
                        f"is a number of 1 to {digits} digits without leading zeros",
                    )


def collection_size(extract: Extract) -> Iterator[Finding]:
    limit = extract.limits.docs_per_collection
    for where, base in _collections(extract):
        for entry in sorted_entries(base):
            if not entry.is_dir():
                continue
            with os.scandir(entry.path) as documents:
                count = sum(1 for d in documents if d.is_dir())
            if count > limit:
                yield Finding(
                    check="limits.collection_size",
                    message=f"{where}/{entry.name} holds {count} documents; at most {limit} "
                    "are allowed",
                )


def collection_count(extract: Extract) -> Iterator[Finding]:
    limit = extract.limits.collections
    for where, base in _collections(extract):
        with os.scandir(base) as entries:
            count = sum(1 for e in entries if e.is_dir())
        if count > limit:
            yield Finding(
                check="limits.collection_count",
                message=f"{where} has {count} docCollections; at most {limit} are allowed",
            )
