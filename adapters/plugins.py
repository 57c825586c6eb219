"""The plugin mechanism: discovery, loading, adapter registration and binding.

Plugins are found through the ``sagshub`` entry-point group. Installed is not
enabled: every discovered plugin that the configuration does not list under
``[plugins] enabled`` is blocked before the entry points are loaded, so its module
is never imported and its hooks never run. The entry point named ``builtin`` (the
hub's own adapters) is always enabled.

Adapters are registered through the ``sagshub_register_adapters`` hook; the
:class:`AdapterRegistry` checks each registration as it is made, and
:func:`bind_adapters` connects the names in ``[ports]`` to registered adapters,
validating each plugin's ``[plugins.<name>]`` table with the adapter's settings
model. Every failure is a :class:`PluginError` with one line that names the plugin
and the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import metadata
from pathlib import Path
from typing import Any

import pluggy
from pydantic import BaseModel, ValidationError

from adapters.settings import PluginsSettings, PortsSettings, describe_validation_error
from ports import hookspecs
from ports.integrations import (
    Archiver,
    CaseExporter,
    DocumentExporter,
    DocumentSource,
    LetterChannel,
    Notifier,
)

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
BUILTIN = "builtin"


class PluginError(Exception):
    """A plugin cannot be loaded, registered or bound; ``str()`` is the one line to show."""

    def __init__(self, message: str, *, plugin: str | None = None) -> None:
        super().__init__(f"plugin {plugin}: {message}" if plugin else message)
        self.plugin = plugin


class Arity(StrEnum):
    MANY = "many"
    ONE = "one"


PORTS: Mapping[str, Arity] = {
    "case_export": Arity.MANY,
    "document_export": Arity.MANY,
    "document_source": Arity.MANY,
    "letters": Arity.MANY,
    "archive": Arity.MANY,
    "notifier": Arity.ONE,
}
"""The ports a plugin may register adapters for. A MANY port is bound to a list of
adapter names (possibly empty); the ONE port is bound to exactly one name."""


@dataclass(frozen=True)
class InstalledPlugin:
    """An entry point of the ``sagshub`` group and the distribution that declares it."""

    name: str
    module: str
    distribution: str
    version: str


def discover_plugins() -> list[InstalledPlugin]:
    """Every installed plugin, in the order pluggy will load them."""
    found: dict[str, InstalledPlugin] = {}
    for dist in metadata.distributions():
        for ep in dist.entry_points.select(group=ENTRY_POINT_GROUP):
            plugin = InstalledPlugin(ep.name, ep.value, dist.metadata["Name"], dist.version)
            other = found.get(ep.name)
            if other is not None and other.distribution != plugin.distribution:
                raise PluginError(
                    f"declared by two distributions, {other.distribution} and "
                    f"{plugin.distribution}",
                    plugin=ep.name,
                )
            found.setdefault(ep.name, plugin)
    return list(found.values())


def is_enabled(plugin: str, enabled: Iterable[str]) -> bool:
    return plugin == BUILTIN or plugin in enabled


def load_plugins(
    enabled: Sequence[str],
    *,
    installed: Sequence[InstalledPlugin] | None = None,
    extra: Mapping[str, object] | None = None,
) -> pluggy.PluginManager:
    """A plugin manager holding the enabled plugins (and ``builtin``), checked.

    :param enabled: the names from ``[plugins] enabled``; each must be installed.
    :param installed: what :func:`discover_plugins` found (discovered when None).
    :param extra: plugin objects registered directly, by name (for embedding the hub
        and for tests); they are always enabled.
    """
    installed = discover_plugins() if installed is None else installed
    names = [p.name for p in installed]
    for name in enabled:
        if name not in names and name not in (extra or {}):
            raise PluginError(
                f"enabled in [plugins] but not installed (installed: {', '.join(names) or 'none'})",
                plugin=name,
            )
    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    for plugin in installed:
        if not is_enabled(plugin.name, enabled):
            manager.set_blocked(plugin.name)
    try:
        manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    except Exception as exc:
        culprit = next(
            p.name
            for p in installed
            if not manager.is_blocked(p.name) and manager.get_plugin(p.name) is None
        )
        raise PluginError(f"cannot be loaded: {one_line(exc)}", plugin=culprit) from exc
    for name, plugin in (extra or {}).items():
        try:
            manager.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(one_line(exc), plugin=name) from exc
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        match = re.search(r"unknown hook '(\w+)'", str(exc))
        hook = match.group(1) if match else one_line(exc)
        raise PluginError(
            f"implements {hook}, which is not a sagshub hook", plugin=manager.get_name(exc.plugin)
        ) from exc
    return manager


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def implementations(manager: pluggy.PluginManager, hook: str) -> list[Any]:
    """The hook's implementations in pluggy's call order (wrappers left out).

    Calling them one by one lets the hub name the plugin behind each result or failure.
    """
    impls = getattr(manager.hook, hook).get_hookimpls()
    return [i for i in reversed(impls) if not (i.hookwrapper or i.wrapper)]


def call_implementation(impl: Any, **kwargs: Any) -> Any:
    """Call one hook implementation with the arguments it asks for."""
    return impl.function(**{name: kwargs[name] for name in impl.argnames})


@dataclass(frozen=True)
class Registration:
    port: str
    name: str
    plugin: str
    factory: Callable[[BaseModel | None, Any], Any]
    settings_model: type[BaseModel] | None


@dataclass
class AdapterRegistry:
    """The adapters the enabled plugins registered, by port and name."""

    registrations: dict[str, dict[str, Registration]] = field(
        default_factory=lambda: {port: {} for port in PORTS}
    )

    @classmethod
    def collect(cls, manager: pluggy.PluginManager) -> AdapterRegistry:
        """Ask every loaded plugin for its adapters, in the order the plugins were loaded
        (so a plugin that takes a name already registered is the one named in the error)."""
        registry = cls()
        for impl in reversed(implementations(manager, "sagshub_register_adapters")):
            call_implementation(impl, register=registry.register_for(impl.plugin_name))
        return registry

    def register_for(self, plugin: str) -> Callable[..., None]:
        """The ``register`` callback handed to one plugin's ``sagshub_register_adapters``."""

        def register(
            port: str,
            name: str,
            factory: Callable[[BaseModel | None, Any], Any],
            settings_model: type[BaseModel] | None = None,
        ) -> None:
            self.add(Registration(port, name, plugin, factory, settings_model))

        return register

    def add(self, registration: Registration) -> None:
        plugin, port, name = registration.plugin, registration.port, registration.name
        if port not in PORTS:
            raise PluginError(
                f"registers adapter {name!r} for unknown port {port!r} (ports: {', '.join(PORTS)})",
                plugin=plugin,
            )
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise PluginError(
                f"adapter name {name!r} for port {port} must be lower-case letters, digits, _",
                plugin=plugin,
            )
        if not callable(registration.factory):
            raise PluginError(f"adapter {name!r}: the factory is not callable", plugin=plugin)
        model = registration.settings_model
        if model is not None and not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise PluginError(
                f"adapter {name!r}: the settings model must be a pydantic BaseModel class",
                plugin=plugin,
            )
        taken = self.registrations[port].get(name)
        if taken is not None:
            raise PluginError(
                f"adapter {name!r} for port {port} is already registered by plugin {taken.plugin}",
                plugin=plugin,
            )
        self.registrations[port][name] = registration

    def for_plugin(self, plugin: str) -> list[Registration]:
        return [
            r
            for by_name in self.registrations.values()
            for r in by_name.values()
            if r.plugin == plugin
        ]


@dataclass(frozen=True)
class BoundAdapters:
    """The adapter instances the configuration bound to each port, in the configured order."""

    case_export: tuple[CaseExporter, ...]
    document_export: tuple[DocumentExporter, ...]
    document_source: tuple[DocumentSource, ...]
    letters: tuple[LetterChannel, ...]
    archive: tuple[Archiver, ...]
    notifier: Notifier


def bound_names(ports: PortsSettings) -> dict[str, list[str]]:
    """The adapter names the configuration binds, per port."""
    names: dict[str, list[str]] = {}
    for port, arity in PORTS.items():
        value = getattr(ports, port)
        names[port] = [value] if arity is Arity.ONE else list(value)
    return names


def plugin_settings(
    registration: Registration, plugins: PluginsSettings, config_file: Path | str
) -> BaseModel | None:
    """The plugin's ``[plugins.<name>]`` table validated by the adapter's settings model."""
    model, plugin = registration.settings_model, registration.plugin
    if model is None:
        return None
    block = plugins.block(plugin)
    try:
        return model.model_validate(block or {})
    except ValidationError as exc:
        where = describe_validation_error(exc, prefix=("plugins", plugin))
        hint = "" if block is not None else f" (there is no [plugins.{plugin}] table)"
        raise PluginError(f"{config_file}: {where}{hint}", plugin=plugin) from None


def bind_adapters(
    registry: AdapterRegistry,
    ports: PortsSettings,
    plugins: PluginsSettings,
    services: Any,
    *,
    config_file: Path | str,
) -> BoundAdapters:
    """Build the adapters named in ``[ports]``, each once, with its plugin's settings."""
    built: dict[str, list[Any]] = {}
    for port, names in bound_names(ports).items():
        built[port] = []
        for position, name in enumerate(names):
            where = f"{config_file}: ports.{port}"
            if PORTS[port] is Arity.MANY:
                where += f"[{position}]"
            if name in names[:position]:
                raise PluginError(f"{where}: adapter {name!r} is bound twice")
            registration = registry.registrations[port].get(name)
            if registration is None:
                offered = ", ".join(registry.registrations[port]) or "none"
                raise PluginError(
                    f"{where}: no enabled plugin registers a {port} adapter named {name!r} "
                    f"(registered: {offered})"
                )
            settings = plugin_settings(registration, plugins, config_file)
            try:
                built[port].append(registration.factory(settings, services))
            except Exception as exc:
                raise PluginError(
                    f"the {port} adapter {name!r} failed to start: {one_line(exc)}",
                    plugin=registration.plugin,
                ) from exc
    (notifier,) = built.pop("notifier")
    return BoundAdapters(
        **{port: tuple(adapters) for port, adapters in built.items()}, notifier=notifier
    )
