"""Killing ``sagshub migrate`` with SIGKILL halfway and running it again finishes the job:
every document stored exactly once, none lost, and the rerun's report adds up.

The kill comes as soon as the report shows half the documents, which is while the
run is staging or committing a later batch (``bench/migration --kill-halfway`` does
the same at 100,000 documents)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.migration.helpers import PDF, write
from tests.migration.sqlite_hub import CPR, create_hub_folder

SAGSHUB = str(Path(sys.executable).with_name("sagshub"))
DOCUMENTS = 2000
BATCH = 100
REFUSED_EVERY = 100
"""Every 100th file is an executable: skipped as a refused type, on both runs."""


def generate_manifest(folder: Path, case_number: str) -> Path:
    rows = ["path,cpr,case_number,caseworker,title"]
    for n in range(DOCUMENTS):
        name = f"files/{n // 500}/{n}.{'exe' if n % REFUSED_EVERY == 99 else 'pdf'}"
        write(folder / name, PDF + str(n).encode())
        cpr, case, worker = [(CPR, "", ""), ("", case_number, ""), ("", "", "hanne"), ("", "", "")][
            n % 4
        ]
        rows.append(f"{name},{cpr},{case},{worker},Dokument {n}")
    return write(folder / "gamle-sager.csv", "\n".join(rows) + "\n")


def report_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def migrate(config: Path, manifest: Path, report: Path) -> subprocess.Popen:
    command = [SAGSHUB, "--config", str(config), "migrate", str(manifest)]
    command += ["--batch", str(BATCH), "--report", str(report)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGSHUB_")}
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_killed_mid_run_and_rerun_every_document_exactly_once(tmp_path):
    folder = create_hub_folder(tmp_path / "hub")
    manifest = generate_manifest(tmp_path / "export", folder.case_number)
    first_report, second_report = tmp_path / "first.csv", tmp_path / "second.csv"

    first = migrate(folder.config, manifest, first_report)
    while first.poll() is None and report_lines(first_report) < DOCUMENTS // 2:
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    killed_after = read(first_report)
    assert 0 < len(killed_after) < DOCUMENTS

    second = migrate(folder.config, manifest, second_report)
    _, errors = second.communicate(timeout=600)
    assert second.returncode == 0, errors.decode()

    rows = read(second_report)
    assert len(rows) == DOCUMENTS
    assert len({row["source"] for row in rows}) == DOCUMENTS
    outcomes = Counter(row["outcome"] for row in rows)
    refused = DOCUMENTS // REFUSED_EVERY
    assert outcomes["skipped"] == refused
    assert {r["skip_reason"] for r in rows if r["outcome"] == "skipped"} == {"refused_type"}
    assert outcomes["placed"] + outcomes["already_migrated"] == DOCUMENTS - refused
    assert outcomes["already_migrated"] >= sum(r["outcome"] == "placed" for r in killed_after)
    placed_before = {r["message_id"] for r in killed_after if r["outcome"] == "placed"}
    assert placed_before <= {r["message_id"] for r in rows if r["outcome"] == "already_migrated"}

    stored = folder.rows(
        "SELECT message_id, id FROM document WHERE sender_system = ?", "migration:gamle-sager"
    )
    assert len(stored) == len({message_id for message_id, _ in stored}) == DOCUMENTS - refused
    reported = {r["message_id"]: r["document_id"] for r in rows if r["outcome"] != "skipped"}
    assert {m: d.replace("-", "") for m, d in reported.items()} == {
        m: d.replace("-", "") for m, d in stored
    }
    parts = folder.rows("SELECT DISTINCT sha256 FROM part")
    assert len(parts) == DOCUMENTS - refused
    assert all((folder.blobs / s[:2] / s[2:4] / s).is_file() for (s,) in parts)
