"""The migration pipeline without the database: CPU milliseconds per document.

Runs :class:`adapters.migration.runner.Migration` over the bench's CSV manifest
with everything real except the intake: manifest reading, metadata parsing,
staging into a :class:`FilesystemBlobStore`, the report, the rich progress bar
and the summary. The intake is a stand-in that does what the unit of work's
commit does with the files (one ``sync``, a ``promote`` per part, one ``sync``)
and answers every document with a receipt, so what is measured is the part of a
migration that is not database work.

    python -m bench.migration.pipeline --count 5000 [--work DIR] [--batch 500]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from pathlib import Path
from uuid import uuid4

from rich.console import Console

from adapters.blobs.filesystem import FilesystemBlobStore
from adapters.migration.cli import hub_left_out_of_collections
from adapters.migration.progress import RichProgress
from adapters.migration.report import ReportWriter
from adapters.migration.runner import Migration
from adapters.migration.sources.manifest import CsvManifest
from adapters.migration.staging import MigrationStager
from bench.migration.fresh import fresh_directory
from bench.migration.generate import generate
from core.intake import IncomingDocument, Receipt
from core.models import PlacementTarget


class PromotingIntake:
    """Stands in for ``IntakeService.receive_batch``: promotes the files as the unit of
    work's commit does and places every document in the common inbox."""

    def __init__(self, blobs: FilesystemBlobStore) -> None:
        self.blobs = blobs
        self.sync_seconds = 0.0

    def receive_batch(self, incomings: Sequence[IncomingDocument]) -> list[Receipt]:
        parts = [p for incoming in incomings for v in incoming.variants for p in v.parts]
        self._sync()
        for part in parts:
            self.blobs.promote(part.staging_token, part.sha256, durable=False)
        self._sync()
        return [
            Receipt(
                document_id=uuid4(),
                target=PlacementTarget.COMMON_INBOX,
                rule="fallback",
                reason="no rule matched",
            )
            for _ in incomings
        ]

    def _sync(self) -> None:
        started = time.perf_counter()
        self.blobs.sync()
        self.sync_seconds += time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--size", type=int, default=10 * 1024)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--work", type=Path, default=Path("bench/results/migration"))
    args = parser.parse_args()

    export = args.work / f"export-{args.count}-{args.size}"
    manifest = export / "manifest.csv"
    if not manifest.exists():
        generate(export, args.count, args.size)
    blobs = FilesystemBlobStore(fresh_directory(args.work / "pipeline-stores"))
    intake = PromotingIntake(blobs)
    console = Console(file=open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the run
    with (args.work / "pipeline-report.csv").open("w", encoding="utf-8", newline="") as report:
        times, wall = os.times(), time.perf_counter()
        with hub_left_out_of_collections(), RichProgress(console) as progress:
            summary = Migration(
                CsvManifest(manifest),
                intake,
                MigrationStager(blobs),
                batch_size=args.batch,
                report=ReportWriter(report),
                progress=progress,
                known_cases=set,
            ).run()
        wall = time.perf_counter() - wall
        user, system = os.times().user - times.user, os.times().system - times.system
    if summary.documents != args.count or summary.skipped:
        raise SystemExit(f"expected {args.count} documents placed, got {summary}")
    per_document = {
        "CPU": user + system,
        "user": user,
        "system": system,
        "wall": wall,
        "sync wall": intake.sync_seconds,
    }
    print(
        f"pipeline: {args.count:,} documents, ms per document: "
        + ", ".join(
            f"{name} {seconds / args.count * 1000:.3f}" for name, seconds in per_document.items()
        )
        + f" ({args.count / (user + system):,.0f} documents per CPU second)"
    )


if __name__ == "__main__":
    main()
