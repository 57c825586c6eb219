"""The demo of ``make run`` takes the envelope of docs/intake.md with the key it printed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from litestar.testing import TestClient
from typer.testing import CliRunner

from adapters.cli.main import build_cli
from adapters.settings import load_settings
from hub import build_hub, create_app

from .conftest import bearer

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(build_cli(), ["demo", "--dir", str(folder)])
    assert result.exit_code == 0, result.output + result.stderr
    return folder, result.stdout


def printed_key(output: str, client: str) -> str:
    (line,) = [line for line in output.splitlines() if line.split()[:1] == [client]]
    return line.split()[1]


def test_the_demo_prints_keys_for_the_docs_clients_and_keeps_a_private_copy(demo):
    folder, output = demo
    saved = dict(line.split() for line in (folder / "api-keys.txt").read_text().splitlines())
    assert set(saved) == {"scanning-roskilde", "digital-post", "esdh-acadre", "anha"}
    assert all(printed_key(output, name) == key for name, key in saved.items())
    assert stat.S_IMODE((folder / "api-keys.txt").stat().st_mode) == 0o600


def test_the_docs_inline_example_is_received_and_placed(demo):
    folder, output = demo
    hub = build_hub(load_settings(folder / "sagshub.toml"))
    try:
        with TestClient(create_app(hub)) as http:
            response = http.post(
                "/oio/dokument",
                content=(EXAMPLES / "envelope-inline.xml").read_bytes(),
                headers=bearer(printed_key(output, "scanning-roskilde"))
                | {"Content-Type": "application/xml"},
            )
            assert response.status_code == 201, response.text
            receipt = response.json()
            assert receipt["target"] == "common_inbox" and receipt["reason"]

            caseworker = bearer(printed_key(output, "anha"))
            inbox = http.get("/api/inbox", params={"common": "true"}, headers=caseworker).json()
            assert receipt["inbox_item_id"] in {item["id"] for item in inbox["items"]}
    finally:
        hub.close()
