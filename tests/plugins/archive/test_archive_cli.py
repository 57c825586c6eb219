"""The plugin as the hub sees it: its hooks, its commands and the case selection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import entry_points
from pathlib import Path
from types import SimpleNamespace
from uuid import UUID

import pluggy
import pytest
import typer
from typer.testing import CliRunner

import plugins.archive.plugin as archive_plugin
from core.errors import InvalidValue
from core.models import Case
from plugins.archive import selection
from plugins.archive.selection import parse_selector
from plugins.archive.settings import ArchiveSettings
from plugins.archive.writer import ArchiveWriter
from ports import hookspecs
from ports.persistence import Page
from ports.snapshots import CaseSnapshot

from .builders import MUNICIPALITY, Blobs, document, pdf_bytes, snapshot


@dataclass
class Cases:
    """The case repository's reading side, over a list, recording every listing."""

    cases: list[Case]
    listings: list[tuple[int, int]] = field(default_factory=list)

    def list(self, *, offset: int = 0, limit: int = 50) -> Page[Case]:
        self.listings.append((offset, limit))
        items = self.cases[offset : offset + limit]
        return Page(items=items, total=len(self.cases), offset=offset, limit=limit)

    def get(self, case_id: UUID) -> Case | None:
        return next((c for c in self.cases if c.id == case_id), None)

    def get_by_number(self, number: str) -> Case | None:
        return next((c for c in self.cases if c.number == number), None)


class UnitOfWork:
    def __init__(self, cases: Cases) -> None:
        self.cases = cases

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


@dataclass
class CaseService:
    snapshots: dict[UUID, CaseSnapshot]
    reads: list[tuple[UUID, str, str]] = field(default_factory=list)

    def snapshot(self, case_id: UUID, actor: str, action: str = "read") -> CaseSnapshot:
        self.reads.append((case_id, actor, action))
        return self.snapshots[case_id]


@pytest.fixture
def hub(standards_dir: Path):
    blobs = Blobs()
    early = snapshot(1, [document(blobs, "Brev 1", ("a.pdf", "application/pdf", pdf_bytes(1)))])
    late = snapshot(
        2,
        [document(blobs, "Brev 2", ("b.pdf", "application/pdf", pdf_bytes(1, "B")))],
        closed_at=datetime(2024, 9, 1, tzinfo=UTC),
    )
    still_open = snapshot(3, [], closed_at=None)
    snapshots = {s.case.id: s for s in (early, late, still_open)}
    cases = Cases([s.case for s in snapshots.values()])
    return SimpleNamespace(
        municipality=MUNICIPALITY,
        uow_factory=lambda municipality_id: UnitOfWork(cases),
        blobs=blobs,
        standards_dir=standards_dir,
        cases=CaseService(snapshots),
        listing=cases,
        early=early,
        late=late,
    )


@pytest.fixture
def cli(hub, monkeypatch) -> typer.Typer:
    monkeypatch.setenv("SAGSHUB_ARCHIVE_DPI", "100")
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """sagshub"""

    archive_plugin.sagshub_register_commands(cli=root, services=lambda: hub)
    return root


def test_the_plugin_registers_its_adapter_and_entry_point(hub):
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    manager.register(archive_plugin)
    registered = []
    manager.hook.sagshub_register_adapters(
        register=lambda port, name, factory, settings_model=None: registered.append(
            (port, name, factory, settings_model)
        )
    )
    assert [(p, n, s) for p, n, _, s in registered] == [("archive", "archive", ArchiveSettings)]
    adapter = registered[0][2](ArchiveSettings(), hub)
    assert isinstance(adapter, ArchiveWriter)
    assert adapter.standards_dir == hub.standards_dir
    points = {e.name: e.value for e in entry_points(group="sagshub")}
    assert points["archive"] == "plugins.archive.plugin"


def test_create_selects_pages_of_cases_and_writes_a_valid_extract(cli, hub, tmp_path, monkeypatch):
    monkeypatch.setattr(selection, "PAGE_SIZE", 1)
    result = CliRunner().invoke(
        cli,
        ["archive", "create", "--profile", "bek1007", "--archive-code", "SA", "--number", "12",
         "--select", "closed-before:2024-06-01", "--out", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "AVID.SA.12.1: 1 cases, 1 documents, 1 pages" in result.output
    assert hub.listing.listings == [(0, 1), (1, 1), (2, 1)]
    assert [(case_id, action) for case_id, _, action in hub.cases.reads] == [
        (hub.early.case.id, "archive")
    ]
    assert hub.cases.reads[0][1].startswith("archive-cli:")

    checked = CliRunner().invoke(cli, ["archive", "validate", str(tmp_path / "AVID.SA.12.1")])
    assert checked.exit_code == 0, checked.output
    assert "AVID.SA.12.1: valid" in checked.output


def test_validate_lists_findings_with_their_check_ids(cli, bek128_extract, tmp_path):
    import shutil

    broken = tmp_path / bek128_extract.name
    shutil.copytree(bek128_extract, broken)
    (broken / "Indices" / "tableIndex.xml").open("a").write("\n")
    result = CliRunner().invoke(cli, ["archive", "validate", str(broken)])
    assert result.exit_code == 1
    assert "[fileindex.md5] Indices/" not in result.output  # keys carry the medium
    assert "[fileindex.md5] AVID.SA.7.1/Indices/tableIndex.xml: MD5 is" in result.output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--select", "open-ones"], "select: unknown selection 'open-ones'"),
        (["--select", "number:27.24.00-G01-99-23"], "select: no case 27.24.00-G01-99-23"),
        (["--select", "closed-before:2020-01-01"], "select: no cases match the selection"),
        (["--select", "closed", "--archive-code", "sa"], "archive_code:"),
    ],
)
def test_bad_input_is_one_plain_line(cli, tmp_path, arguments, message):
    base = {"--archive-code": "SA", "--number": "1", "--out": str(tmp_path)}
    for index in range(0, len(arguments), 2):
        base[arguments[index]] = arguments[index + 1]
    result = CliRunner().invoke(cli, ["archive", "create", *[x for kv in base.items() for x in kv]])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"sagshub: {message}"), result.output
    assert not list(tmp_path.iterdir())


def test_explicit_selections_keep_their_order_and_name_unknown_cases(hub):
    early, late = hub.early.case, hub.late.case
    by_number = parse_selector(f"number:{late.number}, {early.number},{late.number}")
    chosen = list(selection.select_cases(by_number, hub.uow_factory, MUNICIPALITY.id))
    assert chosen == [late.id, early.id]
    by_id = parse_selector(f"case:{early.id}")
    assert list(selection.select_cases(by_id, hub.uow_factory, MUNICIPALITY.id)) == [early.id]
    everything_closed = parse_selector("closed")
    assert list(selection.select_cases(everything_closed, hub.uow_factory, MUNICIPALITY.id)) == [
        early.id,
        late.id,
    ]
    with pytest.raises(InvalidValue, match="not a case id"):
        parse_selector("case:42")
    with pytest.raises(InvalidValue, match="needs a date"):
        parse_selector("closed-before:yesterday")


@pytest.mark.parametrize("command", ["create", "validate"])
def test_without_the_official_schemas_nothing_runs(cli, hub, tmp_path, monkeypatch, command):
    monkeypatch.delenv("SAGSHUB_STANDARDS_DIR", raising=False)
    hub.standards_dir = None
    arguments = {
        "create": ["--archive-code", "SA", "--number", "1", "--select", "closed", "--out",
                   str(tmp_path)],
        "validate": [str(tmp_path)],
    }[command]  # fmt: skip
    result = CliRunner().invoke(cli, ["archive", command, *arguments])
    assert result.exit_code == 2
    assert result.output.startswith("sagshub: standards_dir: the folder of official schemas")
    assert not list(tmp_path.iterdir())
