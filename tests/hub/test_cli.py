"""The sagshub command line, run in-process through typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from adapters.cli.main import build_cli
from adapters.settings import load_settings
from core.services.cases import NewCase
from hub import build_hub
from tests.config_files import write_config


def run(*args: str, env: dict[str, str] | None = None):
    result = CliRunner().invoke(build_cli(args), list(args), env={"COLUMNS": "200", **(env or {})})
    assert "Traceback" not in result.output + result.stderr
    return result


def test_config_check_says_ok(config):
    result = run("--config", str(config), "config", "check")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"OK: {config} (Testrup Kommune)\n"


def test_config_check_reads_sagshub_config(config):
    result = run("config", "check", env={"SAGSHUB_CONFIG": str(config)})
    assert result.exit_code == 0, result.output


def test_a_configuration_error_is_one_line_and_exit_status_2(tmp_path):
    path = write_config(tmp_path, base='[municipality]\nname = "X"\ncvr = "29188387"\n')
    result = run("--config", str(path), "config", "check")
    assert result.exit_code == 2
    assert result.stderr == (
        f"sagshub: {path}: municipality.cvr: the CVR number's check digit is wrong\n"
    )
    assert result.stdout == ""


def test_a_plugin_error_is_one_line_and_exit_status_2(tmp_path):
    path = write_config(tmp_path, "[ports]\ncase_export = ['acadre']\n")
    result = run("--config", str(path), "config", "check")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "ports.case_export[0]: no enabled plugin registers a case_export adapter" in (
        result.stderr
    )


def test_db_upgrade_migrates_and_serve_refuses_before(config):
    refused = run("--config", str(config), "serve")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("sagshub: the database sqlite:///")
    assert refused.stderr.endswith("run `sagshub db upgrade` first\n")

    upgraded = run("--config", str(config), "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert upgraded.stdout.startswith("database is at revision ")
    assert (config.parent / "sagshub.db").is_file()


def test_plugins_lists_installed_plugins_enabled_or_blocked(config):
    result = run("--config", str(config), "plugins")
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert "always" in rows["builtin"]
    assert "notifier: none (bound)" in rows["builtin"]
    assert "blocked" in rows["vendor_example"]
    assert "sagshub-vendor-example" in rows["vendor_example"]
    assert "0.3.1" in rows["vendor_example"]


def test_plugins_shows_the_ports_an_enabled_plugin_binds(vendor_config):
    result = run("--config", str(vendor_config), "plugins")
    assert result.exit_code == 0, result.output
    (row,) = [line for line in result.stdout.splitlines() if "vendor_example" in line]
    assert "enabled" in row
    assert "case_export: vendor_example (bound)" in row


def test_an_enabled_plugin_adds_its_command(vendor_config):
    hub = build_hub(load_settings(vendor_config))
    try:
        case = hub.services.cases.create_case(
            NewCase(title="Sag", kle_subject="27.24.00", handlingsfacet="G01"), "test"
        )
    finally:
        hub.close()
    result = run("--config", str(vendor_config), "vendor-example-show", case.number)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["case"]["id"] == str(case.id)


def test_a_domain_error_in_a_plugin_command_is_one_line(vendor_config):
    result = run("--config", str(vendor_config), "vendor-example-show", "27.24.00-G01-99-24")
    assert result.exit_code == 2
    assert result.stderr == "sagshub: case_number: no case with number 27.24.00-G01-99-24\n"


def test_a_blocked_plugin_adds_no_command(config):
    result = run("--config", str(config), "vendor-example-show", "27.24.00-G01-1-24")
    assert result.exit_code == 2
    assert "No such command 'vendor-example-show'" in result.stderr


def test_without_a_usable_configuration_plugin_commands_say_why(tmp_path):
    missing = tmp_path / "missing.toml"
    result = run("--config", str(missing), "vendor-example-show", "x")
    assert result.exit_code == 2
    assert result.stderr == (
        "sagshub: no command 'vendor-example-show'; plugin commands are unavailable: "
        f"{missing}: no such configuration file (give --config or set SAGSHUB_CONFIG)\n"
    )


@pytest.mark.parametrize("args", [("--help",), ("db", "--help"), ("config", "--help")])
def test_help_needs_no_configuration(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(*args).exit_code == 0
