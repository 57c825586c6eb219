"""Walking an extract's files in a stable, natural order without listing it all at once."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple:
    """Sort ``docCollection2`` before ``docCollection10``."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(name))


def sorted_entries(folder: Path) -> list[os.DirEntry]:
    """One folder's entries in natural order (a folder holds at most 10,000 of ours)."""
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: natural_key(entry.name))


def walk_files(folder: Path) -> Iterator[Path]:
    """Every file under ``folder``, depth first, in natural order."""
    for entry in sorted_entries(folder):
        if entry.is_dir(follow_symlinks=False):
            yield from walk_files(Path(entry.path))
        else:
            yield Path(entry.path)
