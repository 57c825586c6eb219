"""Binding [ports] to registered adapters, with each plugin's own settings."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from adapters.builtin_plugin import NoNotifier
from adapters.plugins import AdapterRegistry, PluginError, bind_adapters, load_plugins
from adapters.settings import load_settings
from core.models import Case, Municipality, utcnow
from ports.snapshots import CaseSnapshot
from tests.config_files import VENDOR_TOKEN


def bind(config_path, extra=None):
    settings = load_settings(config_path)
    manager = load_plugins(settings.plugins.enabled, extra=extra)
    return bind_adapters(
        AdapterRegistry.collect(manager),
        settings.ports,
        settings.plugins,
        services=None,
        config_file=settings.config_file,
    )


def bind_error(config_path, extra=None) -> str:
    with pytest.raises(PluginError) as caught:
        bind(config_path, extra)
    message = str(caught.value)
    assert "\n" not in message
    return message


def snapshot(title: str = "Særlig støtte") -> CaseSnapshot:
    municipality = Municipality(name="Testrup Kommune", cvr="29188386")
    case = Case(
        municipality_id=municipality.id,
        number="27.24.00-G01-1-24",
        title=title,
        kle_subject="27.24.00",
        handlingsfacet="G01",
    )
    return CaseSnapshot(
        municipality=municipality,
        case=case,
        caseworker=None,
        parties=[],
        activities=[],
        documents=[],
        links=[],
        journal_notes=[],
        placements=[],
        taken_at=utcnow(),
    )


def test_the_default_binding_is_the_none_notifier_and_no_exporters(write_config):
    adapters = bind(write_config())
    assert isinstance(adapters.notifier, NoNotifier)
    assert adapters.case_export == ()
    assert adapters.letters == ()


def test_an_enabled_vendor_exporter_is_bound_and_exports(vendor_config, tmp_path):
    (exporter,) = bind(vendor_config).case_export
    copy = snapshot()

    first = exporter.export_case(copy, external_id=None)

    written = tmp_path / "exported" / f"{copy.case.id}.json"
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["snapshot"]["case"]["number"] == "27.24.00-G01-1-24"
    body = json.dumps(document["snapshot"], separators=(",", ":"), ensure_ascii=False)
    assert json.loads(body) == json.loads(copy.model_dump_json())
    expected = hmac.new(
        VENDOR_TOKEN.encode(), copy.model_dump_json().encode(), hashlib.sha256
    ).hexdigest()
    assert document["signature"] == expected
    assert first.created is True
    assert first.external_id == f"https://esdh.testrup.example/api/cases/{copy.case.id}"


def test_exporting_the_same_case_again_updates_its_copy(vendor_config, tmp_path):
    (exporter,) = bind(vendor_config).case_export
    copy = snapshot("Før")
    exporter.export_case(copy, external_id=None)
    changed = copy.model_copy(update={"case": copy.case.model_copy(update={"title": "Efter"})})

    again = exporter.export_case(changed, external_id=None)

    assert again.created is False
    files = list((tmp_path / "exported").iterdir())
    assert [f.name for f in files] == [f"{copy.case.id}.json"]
    assert json.loads(files[0].read_text())["snapshot"]["case"]["title"] == "Efter"


def test_a_plugin_without_its_settings_table_names_plugin_and_field(write_config):
    path = write_config(
        "[plugins]\nenabled = ['vendor_example']\n[ports]\ncase_export = ['vendor_example']\n"
    )
    assert bind_error(path) == (
        f"plugin vendor_example: {path}: plugins.vendor_example.endpoint: required, but not "
        "given (and 2 more) (there is no [plugins.vendor_example] table)"
    )


def test_a_bad_plugin_setting_names_plugin_and_field(vendor_config):
    text = vendor_config.read_text().replace("https://esdh.testrup.example/api", "esdh")
    vendor_config.write_text(text)
    message = bind_error(vendor_config)
    assert message.startswith(
        f"plugin vendor_example: {vendor_config}: plugins.vendor_example.endpoint: "
    )
    assert "URL" in message


def test_a_missing_secret_names_the_field_and_the_variable(vendor_config, monkeypatch):
    monkeypatch.delenv("VENDOR_EXAMPLE_TOKEN")
    assert bind_error(vendor_config) == (
        f"plugin vendor_example: {vendor_config}: plugins.vendor_example.token_env: "
        "environment variable VENDOR_EXAMPLE_TOKEN is not set"
    )


def test_plugin_settings_can_come_from_the_environment(vendor_config, monkeypatch, tmp_path):
    monkeypatch.setenv("SAGSHUB_PLUGINS__VENDOR_EXAMPLE__OUT_DIR", str(tmp_path / "from-env"))
    (exporter,) = bind(vendor_config).case_export
    copy = snapshot()
    exporter.export_case(copy, external_id=None)
    assert (tmp_path / "from-env" / f"{copy.case.id}.json").is_file()


def test_binding_a_name_no_enabled_plugin_registered_stops_start_up(write_config):
    path = write_config("[ports]\ncase_export = ['vendor_example']\n")
    assert bind_error(path) == (
        f"{path}: ports.case_export[0]: no enabled plugin registers a case_export adapter "
        "named 'vendor_example' (registered: none)"
    )


def test_binding_an_unknown_notifier_stops_start_up(write_config):
    path = write_config("[ports]\nnotifier = 'email'\n")
    assert bind_error(path) == (
        f"{path}: ports.notifier: no enabled plugin registers a notifier adapter named "
        "'email' (registered: none)"
    )


def test_binding_one_adapter_twice_to_a_port_is_refused(vendor_config):
    text = vendor_config.read_text().replace(
        'case_export = ["vendor_example"]', 'case_export = ["vendor_example", "vendor_example"]'
    )
    vendor_config.write_text(text)
    assert bind_error(vendor_config) == (
        f"{vendor_config}: ports.case_export[1]: adapter 'vendor_example' is bound twice"
    )


def test_a_factory_that_fails_names_the_plugin(write_config):
    from ports.hookspecs import hookimpl

    class Broken:
        @hookimpl
        def sagshub_register_adapters(self, register):
            def factory(settings, services):
                raise OSError("no route to host")

            register("letters", "broken_print", factory)

    path = write_config("[ports]\nletters = ['broken_print']\n")
    assert bind_error(path, extra={"broken": Broken()}) == (
        "plugin broken: the letters adapter 'broken_print' failed to start: no route to host"
    )
