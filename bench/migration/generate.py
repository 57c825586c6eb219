"""Generate a migration export: N documents of SIZE bytes and a CSV manifest.

The documents are PDF-headed random bytes (each unique, so the blob store keeps
every one). Their metadata exercises every placement rule against the
municipality :mod:`bench.migration.seed` creates: a known case number, a known
CPR with one open case, a known caseworker only, and nothing (the common inbox).

    python bench/migration/generate.py OUT_DIR --count 100000 [--size 10240]
"""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

from bench.migration.seed import CASES, CASEWORKERS, case_number, child_cpr

PER_FOLDER = 1000


def metadata(n: int) -> dict[str, str]:
    """Every fourth document of each kind: on a case by number, by CPR, to a caseworker,
    to the common inbox."""
    kind = n % 4
    row = {"cpr": "", "case_number": "", "caseworker": ""}
    if kind == 0:
        row["case_number"] = case_number(n % CASES)
    elif kind == 1:
        row["cpr"] = child_cpr(n % CASES)
    elif kind == 2:
        row["caseworker"] = CASEWORKERS[n % len(CASEWORKERS)]
    return row


def generate(out: Path, count: int, size: int) -> Path:
    """Write the files under ``out/files`` and ``out/manifest.csv``; return the manifest."""
    files = out / "files"
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / "manifest.csv"
    header = b"%PDF-1.4\n"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["path", "title", "letter_date", "document_type", "cpr", "case_number", "caseworker"]
        )
        for n in range(count):
            folder = files / f"{n // PER_FOLDER:05d}"
            if n % PER_FOLDER == 0:
                folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{n:07d}.pdf"
            path.write_bytes(header + os.urandom(size - len(header)))
            meta = metadata(n)
            writer.writerow(
                [
                    path.relative_to(out).as_posix(),
                    f"Dokument {n}",
                    f"{1 + n % 28:02d}-{1 + n % 12:02d}-2015",
                    "Brev, indgaaende",
                    meta["cpr"],
                    meta["case_number"],
                    meta["caseworker"],
                ]
            )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=10 * 1024)
    args = parser.parse_args()
    print(generate(args.out, args.count, args.size))


if __name__ == "__main__":
    main()
