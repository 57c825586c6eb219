"""Migration benchmark: 10 KB documents from a CSV manifest into a hub on SQLite.

Runs ``sagshub migrate`` as a child process (as an operator would) and reports
documents per second (wall clock, and per CPU second of the child, which the
machine's other load does not change) and the child's peak RSS.

    python -m bench.migration.run --count 100000
    python -m bench.migration.run --count 100000 --kill-halfway

``--kill-halfway`` kills the first run with SIGKILL once the report shows half
the documents, runs the same command again, and checks that every document is
stored exactly once and that the second report adds up. See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from adapters.migration.runner import DEFAULT_BATCH
from bench.migration.fresh import fresh_directory
from bench.migration.generate import generate
from bench.migration.seed import create_hub_folder

SAGSHUB = str(Path(sys.executable).with_name("sagshub"))
SENDER = "migration:manifest"


@dataclass
class RunResult:
    seconds: float
    user_seconds: float
    system_seconds: float
    peak_rss_mb: float
    returncode: int

    @property
    def cpu_seconds(self) -> float:
        return self.user_seconds + self.system_seconds


def migrate(config: Path, manifest: Path, report: Path, batch: int, kill_at: int | None):
    """Run ``sagshub migrate``; with ``kill_at``, SIGKILL it once the report has that many lines."""
    command = [SAGSHUB, "--config", str(config), "migrate", str(manifest)]
    command += ["--batch", str(batch), "--report", str(report)]
    started = time.monotonic()
    quiet = {
        "stdin": subprocess.DEVNULL,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
    }
    child = subprocess.Popen(command, **quiet)
    if kill_at is not None:
        while child.poll() is None and _lines(report) < kill_at:
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return RunResult(
        seconds=time.monotonic() - started,
        user_seconds=usage.ru_utime,
        system_seconds=usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        returncode=child.returncode,
    )


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def check(report: Path, database: Path, count: int) -> str:
    """Every document exactly once in the database, and the report adding up to ``count``."""
    with report.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    outcomes = Counter(row["outcome"] for row in rows)
    stored_rows = outcomes["placed"] + outcomes["already_migrated"]
    with sqlite3.connect(database) as connection:
        documents, distinct = connection.execute(
            "SELECT count(*), count(DISTINCT message_id) FROM document WHERE sender_system = ?",
            (SENDER,),
        ).fetchone()
    problems = []
    if len(rows) != count or len({r["source"] for r in rows}) != count:
        problems.append(f"the report has {len(rows)} lines for {count} documents")
    if stored_rows + outcomes["skipped"] != count:
        problems.append("placed + already migrated + skipped is not the document count")
    if not documents == distinct == stored_rows:
        problems.append(
            f"{documents} documents stored ({distinct} distinct), {stored_rows} reported"
        )
    verdict = "; ".join(problems) or "OK"
    return (
        f"report: {dict(outcomes)}; database: {documents} documents, {distinct} distinct "
        f"message ids -> {verdict}"
    )


def line(label: str, count: int, result: RunResult) -> str:
    return (
        f"{label}: {count:,} documents in {result.seconds:,.1f} s = {count / result.seconds:,.0f}"
        f" docs/s wall, {count / result.cpu_seconds:,.0f} docs per CPU second"
        f" (CPU ms per document: user {result.user_seconds / count * 1000:.3f},"
        f" system {result.system_seconds / count * 1000:.3f});"
        f" peak RSS {result.peak_rss_mb:,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=10 * 1024)
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--work", type=Path, default=Path("bench/results/migration"))
    parser.add_argument("--kill-halfway", action="store_true")
    args = parser.parse_args()

    export = args.work / f"export-{args.count}-{args.size}"
    manifest = export / "manifest.csv"
    if not manifest.exists():
        started = time.monotonic()
        generate(export, args.count, args.size)
        print(f"generated {args.count:,} documents in {time.monotonic() - started:,.0f} s")
    hub = fresh_directory(args.work / "hubs")
    config = create_hub_folder(hub)
    report = args.work / "report.csv"
    report.unlink(missing_ok=True)

    if args.kill_halfway:
        first = migrate(config, manifest, report, args.batch, kill_at=args.count // 2)
        killed_at = _lines(report) - 1
        print(
            f"first run killed (exit {first.returncode}) after {first.seconds:,.1f} s, "
            f"report had {killed_at:,} lines; peak RSS {first.peak_rss_mb:,.0f} MB"
        )
        result = migrate(config, manifest, report, args.batch, kill_at=None)
        print(line("rerun", args.count, result))
    else:
        result = migrate(config, manifest, report, args.batch, kill_at=None)
        print(line("migrate", args.count, result))
    if result.returncode != 0:
        sys.exit(f"sagshub migrate exited with {result.returncode}")
    print(check(report, hub / "sagshub.db", args.count))


if __name__ == "__main__":
    main()
