"""`sagshub demo`: a servable demo municipality with synthetic data."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from litestar.testing import TestClient
from typer.testing import CliRunner

from adapters.cli.main import build_cli
from adapters.demo import create_demo
from adapters.settings import load_settings
from core.models import CaseStatus
from core.values import cpr_birth_date
from hub import build_hub, create_app
from ports.persistence import InboxFilter


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("municipality") / "demo"
    result = CliRunner().invoke(build_cli(), ["demo", "--dir", str(folder)])
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.startswith(f"demo municipality created in {folder}: 8 caseworkers, ")
    return folder


@pytest.fixture(scope="module")
def demo_hub(demo_dir):
    hub = build_hub(load_settings(demo_dir / "sagshub.toml"))
    yield hub
    hub.close()


def all_cases(hub):
    with hub.services.uow_factory(hub.services.municipality.id) as uow:
        return uow.cases.list(limit=500).items


def test_the_demo_folder_holds_configuration_database_and_files(demo_dir):
    assert {p.name for p in demo_dir.iterdir()} >= {"sagshub.toml", "sagshub.db", "blobs"}
    settings = load_settings(demo_dir / "sagshub.toml")
    assert settings.database.url == f"sqlite:///{demo_dir.resolve()}/sagshub.db"


def test_caseworkers_and_cases_some_closed(demo_hub):
    with demo_hub.services.uow_factory(demo_hub.services.municipality.id) as uow:
        caseworkers = uow.caseworkers.list()
    cases = all_cases(demo_hub)
    assert len(caseworkers) == 8
    assert len(cases) >= 36
    statuses = Counter(case.status for case in cases)
    assert statuses[CaseStatus.CLOSED] >= 5
    assert statuses[CaseStatus.OPEN] >= 30
    assert {case.caseworker_id for case in cases} == {c.id for c in caseworkers}


def test_every_cpr_is_synthetic_a_child_born_2008_to_2020(demo_hub):
    cases = all_cases(demo_hub)
    with demo_hub.services.uow_factory(demo_hub.services.municipality.id) as uow:
        parties = uow.parties.get_many([p.party_id for case in cases for p in case.parties])
    cprs = {party.cpr for party in parties}
    assert len(cprs) >= 36
    for cpr in cprs:
        assert date(2008, 1, 1) <= cpr_birth_date(cpr) <= date(2020, 12, 31)
        assert cpr[6:8] == "99"
    assert any(len(case.parties) > 1 for case in cases)


def test_cases_carry_activities_notes_and_documents(demo_hub):
    snapshots = [demo_hub.services.cases.snapshot(c.id, "test") for c in all_cases(demo_hub)]
    assert all(s.activities and s.journal_notes for s in snapshots)
    assert sum(1 for s in snapshots if s.documents) >= 5
    assert all(s.parties[0].name for s in snapshots if s.parties)


def test_documents_wait_in_the_common_and_the_caseworkers_inboxes(demo_hub):
    inbox = demo_hub.services.inbox
    common = inbox.list(InboxFilter(common=True), "test")
    everything = inbox.list(InboxFilter(), "test")
    assert common.total >= 2
    assert everything.total > common.total
    assert any(item.candidate_case_ids for item in everything.items)


def test_the_demo_is_served(demo_hub):
    with TestClient(create_app(demo_hub)) as client:
        assert client.get("/health").json()["migrated"] is True


def test_running_the_demo_again_refuses(demo_dir):
    before = (demo_dir / "sagshub.db").stat().st_mtime_ns
    result = CliRunner().invoke(build_cli(), ["demo", "--dir", str(demo_dir)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"sagshub: {demo_dir.resolve()} already holds a sagshub municipality "
        "(sagshub.toml, sagshub.db, blobs); remove it or choose another --dir\n"
    )
    assert (demo_dir / "sagshub.db").stat().st_mtime_ns == before


def test_a_failed_demo_leaves_nothing_behind(tmp_path):
    def build(config_file):
        (config_file.parent / "sagshub.db").write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        create_demo(tmp_path, build)
    assert list(tmp_path.iterdir()) == []
