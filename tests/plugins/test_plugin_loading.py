"""Discovery, enabling and blocking, and the checks that stop start-up."""

from __future__ import annotations

import subprocess
import sys

import pytest

from adapters.plugins import (
    AdapterRegistry,
    PluginError,
    discover_plugins,
    implementations,
    load_plugins,
)
from ports.hookspecs import hookimpl


def test_the_installed_plugins_are_discovered_with_their_distribution():
    found = {plugin.name: plugin for plugin in discover_plugins()}
    vendor = found["vendor_example"]
    assert (vendor.distribution, vendor.version) == ("sagshub-vendor-example", "0.3.1")
    assert vendor.module == "sagshub_vendor_example.plugin"
    assert found["builtin"].distribution == "sagshub"


def test_an_enabled_plugin_is_loaded_and_registers_its_adapter():
    manager = load_plugins(["vendor_example"])
    assert manager.get_plugin("vendor_example").__name__ == "sagshub_vendor_example.plugin"
    registry = AdapterRegistry.collect(manager)
    registration = registry.registrations["case_export"]["vendor_example"]
    assert registration.plugin == "vendor_example"
    assert registration.settings_model.__name__ == "VendorSettings"


def test_builtin_is_always_enabled_and_offers_the_none_notifier():
    manager = load_plugins([])
    assert manager.get_plugin("builtin") is not None
    registry = AdapterRegistry.collect(manager)
    assert registry.registrations["notifier"]["none"].plugin == "builtin"


def test_an_installed_plugin_that_is_not_enabled_is_blocked():
    manager = load_plugins([])
    assert manager.is_blocked("vendor_example")
    assert manager.get_plugin("vendor_example") is None
    hooked = {impl.plugin_name for impl in implementations(manager, "sagshub_register_adapters")}
    assert hooked == {"builtin"}
    assert "vendor_example" not in AdapterRegistry.collect(manager).registrations["case_export"]


def test_a_blocked_plugin_is_never_even_imported():
    program = (
        "import sys; from adapters.plugins import load_plugins; load_plugins([]); "
        "print('sagshub_vendor_example' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_enabling_a_plugin_that_is_not_installed_stops_start_up():
    with pytest.raises(PluginError) as caught:
        load_plugins(["no_such_plugin"])
    assert str(caught.value).startswith(
        "plugin no_such_plugin: enabled in [plugins] but not installed (installed: "
    )


class UnknownHook:
    @hookimpl
    def sagshub_document_filed(self, event):
        """Not a sagshub hook (a typo, or a hook of a newer hub)."""


def test_implementing_an_unknown_hook_stops_start_up():
    with pytest.raises(PluginError) as caught:
        load_plugins([], extra={"typo": UnknownHook()})
    assert str(caught.value) == (
        "plugin typo: implements sagshub_document_filed, which is not a sagshub hook"
    )


class WrongArguments:
    @hookimpl
    def sagshub_register_adapters(self, register, extra):
        """Asks for an argument the hook does not give."""


def test_a_hook_implementation_with_unknown_arguments_is_refused():
    with pytest.raises(PluginError) as caught:
        load_plugins([], extra={"wrong": WrongArguments()})
    message = str(caught.value)
    assert message.startswith("plugin wrong: ")
    assert "extra" in message
    assert "\n" not in message


class Registers:
    """An in-test plugin that makes one registration."""

    def __init__(self, port, name, settings_model=None):
        self.args = (port, name, lambda settings, services: object(), settings_model)

    @hookimpl
    def sagshub_register_adapters(self, register):
        register(*self.args)


def collect(**extra):
    return AdapterRegistry.collect(load_plugins([], extra=extra))


def test_registering_for_an_unknown_port_names_the_plugin():
    with pytest.raises(PluginError) as caught:
        collect(faxer=Registers("fax", "fax_machine"))
    assert str(caught.value) == (
        "plugin faxer: registers adapter 'fax_machine' for unknown port 'fax' (ports: "
        "case_export, document_export, document_source, letters, archive, notifier)"
    )


def test_a_second_adapter_with_a_taken_name_names_both_plugins():
    with pytest.raises(PluginError) as caught:
        collect(shadow=Registers("notifier", "none"))
    assert str(caught.value) == (
        "plugin shadow: adapter 'none' for port notifier is already registered by plugin builtin"
    )


def test_a_settings_model_must_be_a_pydantic_model():
    with pytest.raises(PluginError, match="plugin odd: adapter 'odd': the settings model"):
        collect(odd=Registers("letters", "odd", settings_model=dict))


def test_the_same_name_may_serve_different_ports():
    registry = collect(both=Registers("letters", "none"))
    assert registry.registrations["letters"]["none"].plugin == "both"
    assert registry.registrations["notifier"]["none"].plugin == "builtin"
