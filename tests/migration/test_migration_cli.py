"""``sagshub migrate`` end to end: the hub's CLI, SQLite and the filesystem blob store."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from adapters.cli.main import build_cli
from adapters.migration.cli import open_source
from adapters.migration.sources.plugin import PluginSource
from adapters.settings import load_settings
from hub import build_hub
from tests.config_files import isolate_environment
from tests.migration.helpers import PDF, write
from tests.migration.sqlite_hub import CPR, create_hub_folder


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch):
    isolate_environment(monkeypatch)


@pytest.fixture
def folder(tmp_path):
    return create_hub_folder(tmp_path / "hub")


@pytest.fixture
def export(tmp_path, folder):
    """A folder export: a case folder, a citizen folder, a loose file and a refused one."""
    root = tmp_path / "export"
    write(root / folder.case_number / "afgoerelse.pdf", PDF + b"1")
    write(root / CPR / "brev.pdf", PDF + b"2")
    write(root / CPR / "metadata.json", json.dumps({"caseworker": "hanne"}))
    write(root / "ukendt" / "scanning.pdf", PDF + b"3")
    write(root / "ukendt" / "program.exe", b"MZ")
    return root


def run(*args: str):
    result = CliRunner().invoke(build_cli(args), list(args), env={"COLUMNS": "200"})
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    return result


def read_report(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_migrate_places_reports_and_summarises(folder, export, tmp_path):
    report = tmp_path / "report.csv"
    result = run(
        "--config",
        str(folder.config),
        "migrate",
        str(export),
        "--report",
        str(report),
        "--batch",
        "2",
    )

    assert result.exit_code == 0, result.stderr
    rows = read_report(report)
    assert [(r["source"], r["outcome"], r["target"], r["skip_reason"]) for r in rows] == [
        ("010115-XXXX/brev.pdf", "placed", "case", ""),
        (f"{folder.case_number}/afgoerelse.pdf", "placed", "case", ""),
        ("ukendt/program.exe", "skipped", "", "refused_type"),
        ("ukendt/scanning.pdf", "placed", "common_inbox", ""),
    ]
    stored = folder.rows("SELECT id, message_id, sender_system, channel FROM document")
    assert sorted((m, s, c) for _, m, s, c in stored) == sorted(
        (r["message_id"], "migration:export", "migration") for r in rows if r["message_id"]
    )
    summary = {
        line.strip("│ ").rsplit("│", 1)[0].strip(): line.strip("│ ").rsplit("│", 1)[1].strip()
        for line in result.stdout.splitlines()
        if line.startswith("│")
    }
    assert summary == {
        "on a case": "2",
        "on an activity": "0",
        "on a new case": "0",
        "in caseworkers' inboxes": "0",
        "in the common inbox": "1",
        "skipped": "1",
        "refused type": "1",
        "total": "4",
    }
    assert CPR not in result.stdout + result.stderr + report.read_text()


def test_dry_run_writes_nothing_to_the_database_or_the_blob_store(folder, export, tmp_path):
    before = folder.snapshot()
    report = tmp_path / "dry.csv"

    result = run(
        "--config",
        str(folder.config),
        "migrate",
        str(export),
        "--dry-run",
        "--report",
        str(report),
    )

    assert result.exit_code == 0, result.stderr
    assert folder.snapshot() == before
    assert [r["outcome"] for r in read_report(report)] == [
        "would_place",
        "would_place",
        "skipped",
        "would_place",
    ]
    assert "dry run: nothing stored" in result.stdout


def test_a_rerun_migrates_nothing_twice(folder, export, tmp_path):
    run("--config", str(folder.config), "migrate", str(export))
    before = folder.snapshot()
    report = tmp_path / "again.csv"

    result = run("--config", str(folder.config), "migrate", str(export), "--report", str(report))

    assert result.exit_code == 0
    assert folder.snapshot() == before
    assert [r["outcome"] for r in read_report(report)] == [
        "already_migrated",
        "already_migrated",
        "skipped",
        "already_migrated",
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("missing", "SOURCE: {tmp}/missing is neither a folder nor a file"),
        ("notes.txt", "SOURCE: {tmp}/notes.txt is not a .csv or .jsonl manifest"),
        ("bad.csv", "{tmp}/bad.csv: unknown column(s) cprr"),
    ],
)
def test_a_source_that_cannot_be_read_is_one_line(folder, tmp_path, source, message):
    write(tmp_path / "notes.txt", "x")
    write(tmp_path / "bad.csv", "path,cprr\n")
    result = run("--config", str(folder.config), "migrate", str(tmp_path / source))
    assert result.exit_code == 2
    assert result.stderr == f"sagshub migrate: {message.format(tmp=tmp_path)}\n"


def test_an_unbound_source_plugin_is_one_line(folder):
    result = run("--config", str(folder.config), "migrate", "--source-plugin", "acadre")
    assert result.exit_code == 2
    assert result.stderr == (
        "sagshub migrate: --source-plugin: no document source 'acadre' (bound: none)\n"
    )


def test_a_failure_mid_run_is_one_line_without_a_cpr(folder, export, monkeypatch):
    def failing(*args, **kwargs):
        raise OSError(f"disk full while writing {CPR}\nmore detail")

    monkeypatch.setattr("adapters.migration.cli.run_migration", failing)
    result = run("--config", str(folder.config), "migrate", str(export))
    assert result.exit_code == 1
    assert result.stderr == (
        "sagshub migrate: stopped: disk full while writing 010115-XXXX; the batch in progress "
        "was rolled back, the ones before are stored; run the same command again to finish\n"
    )


def test_the_hub_offers_its_rules_policy_and_document_sources(folder):
    hub = build_hub(load_settings(folder.config))
    try:
        services = hub.services
        assert [rule.name for rule in services.placement_rules] == [
            "case_reference",
            "case_tag",
            "party_cpr",
            "caseworker",
            "common_inbox",
        ]
        assert services.placement_policy == hub.settings.policy
        assert tuple(services.document_sources) == ()
    finally:
        hub.close()


def test_source_plugin_picks_the_bound_source_by_its_system_name():
    class Acadre:
        system_name = "acadre"

    class Services:
        document_sources = (Acadre(),)

    source = open_source("2019-01-01", "acadre", None, Services())
    assert isinstance(source, PluginSource)
    assert (source.name, source.cursor) == ("acadre", "2019-01-01")
