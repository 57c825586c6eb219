"""docs/export.md's consumer (docs/examples/follow_feed.py) follows the feed of a real hub."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

import pytest
from litestar.testing import TestClient
from lxml import etree

from adapters.oio.schemas import sf1470_schema, validate
from hub import create_app
from tests.export.hubs import build_test_hub, header_caller, rich_case

DOCS = Path(__file__).parents[2] / "docs"


def load_example():
    spec = importlib.util.spec_from_file_location(
        "follow_feed", DOCS / "examples" / "follow_feed.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_page_shows_the_example_as_it_is():
    source = inspect.getsource(load_example().follow)
    assert source in (DOCS / "export.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "database_name", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_the_consumer_stores_every_version_once(request, database_name, tmp_path, standards_dir):
    database = request.getfixturevalue(f"{database_name}_db")
    hub = build_test_hub(
        database.url.render_as_string(hide_password=False),
        tmp_path,
        "[jobs]\nworker_in_serve = false\n",
    )
    follow = load_example().follow
    state, store = tmp_path / "state.json", tmp_path / "cases"
    store.mkdir()
    headers = {
        "x-caller": "consumer",
        "x-municipality": str(hub.services.municipality.id),
        "x-scopes": "cases:read",
    }
    with TestClient(create_app(hub, caller=header_caller)) as client:
        client.headers.update(headers)
        case = rich_case(hub)
        assert follow(client, state, store) == 4
        assert follow(client, state, store) == 0
        hub.services.cases.close_case(case.case_id, "caseworker")
        assert follow(client, state, store) == 1

    files = sorted(path.name for path in store.iterdir())
    assert files == [f"{case.case_id}-{version}.xml" for version in range(1, 6)]
    schema = sf1470_schema(standards_dir, with_sagshub=True)
    for path in store.iterdir():
        validate(schema, etree.fromstring(path.read_bytes()))
    first = etree.fromstring((store / f"{case.case_id}-1.xml").read_bytes())
    assert first.xpath("//*[local-name()='Journalpost']") == []
