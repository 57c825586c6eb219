"""``sagshub clients add | list | revoke``, run in-process on a migrated SQLite hub."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient
from typer.testing import CliRunner

from adapters.cli.main import build_cli
from adapters.settings import load_settings
from core.services.clients import KEY_PREFIX
from hub import build_hub, create_app
from tests.config_files import write_config

from .conftest import bearer, make_hub


@pytest.fixture
def config(tmp_path):
    make_hub(tmp_path).close()
    return write_config(tmp_path)


def run(config, *args: str):
    argv = ["--config", str(config), *args]
    result = CliRunner().invoke(build_cli(argv), argv, env={"COLUMNS": "200"})
    assert "Traceback" not in result.output + result.stderr
    return result


def search_cases_with(config, key: str):
    hub = build_hub(load_settings(config))
    try:
        with TestClient(create_app(hub)) as client:
            return client.post("/api/cases/search", json={"cpr": "0101901234"}, headers=bearer(key))
    finally:
        hub.close()


def test_add_prints_the_key_once_and_the_key_works(config):
    result = run(config, "clients", "add", "esdh", "--scopes", "cases:read,intake")

    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert key.startswith(KEY_PREFIX) and "\n" not in key
    assert "shown only this once" in result.stderr
    assert search_cases_with(config, key).status_code == 200

    listing = run(config, "clients", "list")
    assert "esdh" in listing.stdout and "cases:read, intake" in listing.stdout
    assert key not in listing.stdout and key[:10] in listing.stdout


def test_revoke_stops_the_key_at_once(config):
    key = run(config, "clients", "add", "esdh", "--scopes", "cases:read").stdout.strip()
    result = run(config, "clients", "revoke", "esdh")

    assert result.exit_code == 0 and "Revoked 'esdh'" in result.stdout
    assert search_cases_with(config, key).status_code == 401


def test_a_caseworkers_token_needs_a_known_caseworker(config):
    result = run(config, "clients", "add", "hanne", "--caseworker", "hanne", "--scopes", "inbox")
    assert result.exit_code == 2
    assert result.stderr == "sagshub: caseworker: no caseworker with username 'hanne'\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "x", "--scopes", "root"), "sagshub: scopes: unknown scope 'root'"),
        (("revoke", "nobody"), "sagshub: name: no active client named 'nobody'"),
        (("add", "bad name", "--scopes", "intake"), "sagshub: name: "),
    ],
)
def test_mistakes_are_one_line_and_exit_status_2(config, args, message):
    result = run(config, "clients", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
