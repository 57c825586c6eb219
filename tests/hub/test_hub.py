"""The composition root: a hub built from a configuration, on a real SQLite database."""

from __future__ import annotations

import json

import pytest
from litestar import get
from litestar.testing import TestClient
from sqlalchemy import create_engine, text

from adapters.plugins import PluginError
from adapters.settings import load_settings
from core.intake import IncomingDocument, IncomingVariant
from core.models import PlacementTarget
from core.rules import PlacementDecision
from core.services.cases import NewCase
from hub import VERSION, NotMigrated, build_hub, check_configuration, create_app
from ports.hookspecs import hookimpl


def test_the_hub_serves_the_configured_municipality(hub):
    municipality = hub.services.municipality
    assert (municipality.name, municipality.cvr) == ("Testrup Kommune", "29188386")
    case = hub.services.cases.create_case(
        NewCase(title="Særlig støtte", kle_subject="27.24.00", handlingsfacet="G01"), "test"
    )
    assert case.municipality_id == municipality.id
    assert hub.services.cases.search("test", number=case.number) == [case]


def test_the_municipality_row_is_found_again_on_the_next_start(migrated_config, hub):
    again = build_hub(load_settings(migrated_config))
    try:
        assert again.services.municipality.id == hub.services.municipality.id
    finally:
        again.close()


def test_an_unmigrated_database_refuses_to_build(config):
    with pytest.raises(NotMigrated) as caught:
        build_hub(load_settings(config))
    assert str(caught.value).endswith("has no schema yet: run `sagshub db upgrade` first")


def test_a_database_behind_the_code_refuses_to_build(migrated_config):
    settings = load_settings(migrated_config)
    engine = create_engine(settings.database.url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
    engine.dispose()
    with pytest.raises(NotMigrated) as caught:
        build_hub(settings)
    assert "is at revision 0000_older, this sagshub needs " in str(caught.value)


def test_health_and_schema_over_http(hub):
    with TestClient(create_app(hub)) as client:
        health = client.get("/health")
        schema = client.get("/schema/openapi.json").json()
    assert health.status_code == 200
    assert health.json()["migrated"] is True
    assert health.json()["database_revision"]
    assert schema["info"] == {"title": "sagshub", "version": VERSION}


class Recorder:
    """An in-test plugin that notes what the hub tells it."""

    def __init__(self):
        self.started_with = None
        self.changes = []

    @hookimpl
    def sagshub_startup(self, services):
        self.started_with = services

    @hookimpl
    def sagshub_case_changed(self, event):
        self.changes.append((event.case_id, event.change))


def test_plugins_hear_of_start_up_and_committed_changes(migrated_config):
    recorder = Recorder()
    hub = build_hub(load_settings(migrated_config), extra_plugins={"recorder": recorder})
    try:
        assert recorder.started_with is hub.services
        case = hub.services.cases.create_case(
            NewCase(title="Sag", kle_subject="27.24.00", handlingsfacet="G01"), "test"
        )
        hub.services.cases.close_case(case.id, "test")
    finally:
        hub.close()
    assert recorder.changes == [(case.id, "created"), (case.id, "status")]


class FailsAtStartup:
    @hookimpl
    def sagshub_startup(self, services):
        raise RuntimeError("licence expired")


def test_a_plugin_failing_at_start_up_stops_it(migrated_config):
    with pytest.raises(PluginError) as caught:
        build_hub(load_settings(migrated_config), extra_plugins={"licensed": FailsAtStartup()})
    assert str(caught.value) == "plugin licensed: failed at start-up: licence expired"


class Receipts:
    """An in-test plugin with an HTTP callback and a placement rule."""

    name = "receipt_correlation"

    @hookimpl
    def sagshub_route_handlers(self):
        @get("/receipts/ping", sync_to_thread=False)
        def ping() -> dict[str, str]:
            return {"pong": "receipts"}

        return [ping]

    @hookimpl
    def sagshub_placement_rules(self):
        return [self]

    def decide(self, context):
        if context.document.subject_hint != "receipt":
            return None
        return PlacementDecision(
            target=PlacementTarget.COMMON_INBOX, rule=self.name, reason="a receipt"
        )


def test_plugin_routes_are_mounted_and_plugin_rules_place_documents(migrated_config):
    hub = build_hub(load_settings(migrated_config), extra_plugins={"receipts": Receipts()})
    try:
        key = hub.services.clients.issue("receipts-test", ["cases:read"]).key
        with TestClient(create_app(hub)) as client:
            assert client.get("/receipts/ping").status_code == 401
            pong = client.get("/receipts/ping", headers={"Authorization": f"Bearer {key}"})
            assert pong.json() == {"pong": "receipts"}
        writer = hub.services.blobs.writer()
        writer.write(b"kvittering")
        part = writer.finish().as_part("k.txt", "text/plain")
        receipt = hub.services.intake.receive(
            IncomingDocument(
                sender_system="test",
                message_id="r1",
                title="Kvittering",
                subject_hint="receipt",
                variants=[IncomingVariant(name="arkiv", parts=[part])],
            )
        )
    finally:
        hub.close()
    assert receipt.rule == "receipt_correlation"


def test_a_placement_rule_without_a_name_names_its_plugin(migrated_config):
    class Nameless:
        @hookimpl
        def sagshub_placement_rules(self):
            return [object()]

    with pytest.raises(PluginError, match=r"^plugin nameless: placement rule"):
        build_hub(load_settings(migrated_config), extra_plugins={"nameless": Nameless()})


def test_the_bound_vendor_exporter_exports_a_real_case(vendor_config, tmp_path):
    hub = build_hub(load_settings(vendor_config))
    try:
        case = hub.services.cases.create_case(
            NewCase(
                title="Særlig støtte",
                kle_subject="27.24.00",
                handlingsfacet="G01",
                primary_cpr="0101159901",
            ),
            "test",
        )
        (exporter,) = hub.adapters.case_export
        snapshot = hub.services.cases.snapshot(case.id, "test", "export")
        result = exporter.export_case(snapshot, external_id=None)
    finally:
        hub.close()
    written = json.loads((tmp_path / "exported" / f"{case.id}.json").read_text())
    assert written["snapshot"]["case"]["number"] == case.number
    assert [p["cpr"] for p in written["snapshot"]["parties"]] == ["0101159901"]
    assert result.created is True


def test_configuration_is_checked_without_touching_the_database(tmp_path, monkeypatch):
    from tests.config_files import write_vendor_config

    path = write_vendor_config(tmp_path, monkeypatch)
    adapters = check_configuration(load_settings(path))
    assert [type(a).__name__ for a in adapters.case_export] == ["FolderCaseExporter"]
    assert not (tmp_path / "sagshub.db").exists()


def test_two_hubs_in_one_process_share_nothing(tmp_path):
    from tests.config_files import write_config
    from tests.hub.conftest import migrate

    hubs = []
    for name, cvr in (("a", "29188386"), ("b", "12345674")):
        folder = tmp_path / name
        folder.mkdir()
        base = f'[municipality]\nname = "Kommune {name}"\ncvr = "{cvr}"\n'
        settings = load_settings(write_config(folder, base=base))
        migrate(settings)
        hubs.append(build_hub(settings))
    try:
        first, second = hubs
        assert first.plugin_manager is not second.plugin_manager
        assert first.services.municipality.cvr == "29188386"
        assert second.services.municipality.cvr == "12345674"
    finally:
        for hub in hubs:
            hub.close()


def test_a_plugin_reads_its_validated_settings_block_from_the_services(vendor_config):
    hub = build_hub(load_settings(vendor_config))
    try:
        settings = hub.services.plugin_settings("vendor_example")
        assert type(settings).__name__ == "VendorSettings"
        assert str(settings.endpoint) == "https://esdh.testrup.example/api"
        assert settings.token_env.variable == "VENDOR_EXAMPLE_TOKEN"
        assert hub.services.plugin_settings("eboks") is None  # installed, not enabled
        assert hub.services.plugin_settings("builtin") is None  # no settings model
    finally:
        hub.close()


def test_an_unbound_plugins_bad_block_is_named_when_its_settings_are_asked_for(
    migrated_config,
):
    with migrated_config.open("a", encoding="utf-8") as config:
        config.write('\n[plugins]\nenabled = ["archive"]\n\n[plugins.archive]\ndpi = 5\n')
    hub = build_hub(load_settings(migrated_config))  # nothing binds the archive adapter
    try:
        with pytest.raises(PluginError) as caught:
            hub.services.plugin_settings("archive")
        assert str(caught.value).startswith(
            f"plugin archive: {migrated_config}: plugins.archive.dpi:"
        )
        assert "greater than or equal to 100" in str(caught.value)
    finally:
        hub.close()
