"""The whole path through the real hub: the demo municipality's cases, archived and valid.

``sagshub demo`` builds a municipality on SQLite with a filesystem blob store; the
archive plugin is enabled in its configuration and run through the real command line,
so case snapshots come from the core's case service (and are audited) and document
bytes from the real blob store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.cli.main import build_cli
from adapters.settings import load_settings
from hub import build_hub
from plugins.archive.validation.run import validate


def sagshub(standards_dir: Path, *args: str):
    environment = {"SAGSHUB_STANDARDS_DIR": str(standards_dir), "SAGSHUB_ARCHIVE_DPI": "100"}
    result = CliRunner().invoke(build_cli(args), list(args), env=environment)
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory, standards_dir) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "municipality"
    made = sagshub(standards_dir, "demo", "--dir", str(folder))
    assert made.exit_code == 0, made.output
    config = folder / "sagshub.toml"
    text = config.read_text(encoding="utf-8")
    assert "enabled = []" in text
    config.write_text(text.replace("enabled = []", 'enabled = ["archive"]'), encoding="utf-8")
    return config


def _audited_archive_reads(config: Path) -> int:
    hub = build_hub(load_settings(config))
    try:
        services = hub.services
        with services.uow_factory(services.municipality.id) as uow:
            entries = uow.audit.list(limit=1000).items
            return sum(1 for entry in entries if entry.action == "archive")
    finally:
        hub.close()


@pytest.mark.parametrize(("profile", "number"), [("bek128", "1"), ("bek1007", "2")])
def test_the_demo_municipalitys_closed_cases_archive_validly(
    demo, standards_dir, tmp_path, profile, number
):
    before = _audited_archive_reads(demo)
    result = sagshub(
        standards_dir, "--config", str(demo), "archive", "create", "--profile", profile,
        "--archive-code", "SA", "--number", number, "--select", "closed", "--out", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    extract = tmp_path / f"AVID.SA.{number}.1"
    assert validate(extract, standards_dir) == []
    closed = (extract / "Tables" / "table1" / "table1.xml").read_text().count("<row>")
    assert closed >= 5
    assert _audited_archive_reads(demo) - before == closed

    checked = sagshub(standards_dir, "--config", str(demo), "archive", "validate", str(extract))
    assert checked.exit_code == 0 and f"AVID.SA.{number}.1: valid" in checked.output


def test_cases_with_documents_come_with_their_files(demo, standards_dir, tmp_path):
    hub = build_hub(load_settings(demo))
    try:
        services = hub.services
        with services.uow_factory(services.municipality.id) as uow:
            numbers = [
                case.number
                for case in uow.cases.list(limit=500).items
                if uow.documents.links_for_case(case.id)
            ]
    finally:
        hub.close()
    assert numbers
    result = sagshub(
        standards_dir, "--config", str(demo), "archive", "create", "--archive-code", "SA",
        "--number", "3", "--select", "number:" + ",".join(numbers), "--out", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"{len(numbers)} cases, {len(numbers)} documents" in result.output
    assert validate(tmp_path / "AVID.SA.3.1", standards_dir) == []
