"""The composition root: settings → plugin manager → container → services → Litestar app.

This is the one place where the core, the hub's adapters and the plugins meet.
Nothing here is module-global: every :func:`build_hub` call makes its own
container, so tests (and several municipalities in one process) build their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pluggy
from alembic.script import ScriptDirectory
from dependency_injector import containers, providers
from litestar import Litestar

from adapters.api.app import HealthReport, build_app
from adapters.blobs.filesystem import FilesystemBlobStore
from adapters.hook_events import HookEventPublisher
from adapters.plugins import (
    AdapterRegistry,
    BoundAdapters,
    PluginError,
    bind_adapters,
    call_implementation,
    implementations,
    load_plugins,
    one_line,
)
from adapters.settings import MunicipalitySettings, Settings
from adapters.sql.database import Database
from core.models import Municipality
from core.placement import seed_chain
from core.rules import PlacementPolicy, PlacementRule
from core.services.cases import CaseService
from core.services.inbox import InboxService
from core.services.intake import IntakeService
from ports.blobs import BlobStore
from ports.integrations import DocumentSource
from ports.persistence import EventPublisher, UnitOfWorkFactory

VERSION = metadata.version("sagshub")


class NotMigrated(Exception):
    """The database is behind the code's schema; ``str()`` is the one line to show."""


def open_uow_factory(
    database: Database, blobs: BlobStore, publisher: EventPublisher
) -> UnitOfWorkFactory:
    return database.uow_factory(blobs, publisher=publisher)


def ensure_municipality(
    uow_factory: UnitOfWorkFactory, configured: MunicipalitySettings
) -> Municipality:
    """The configured municipality's row, created on first start (found by its CVR)."""
    candidate = Municipality(name=configured.name, cvr=configured.cvr, code=configured.code)
    with uow_factory(candidate.id) as uow:
        existing = uow.municipalities.get_by_cvr(configured.cvr)
        if existing is not None:
            return existing
        uow.municipalities.add(candidate)
        uow.commit()
    return candidate


def contributed_rules(manager: pluggy.PluginManager) -> list[PlacementRule]:
    """The placement rules the plugins contribute, checked, in pluggy's call order."""
    rules: list[PlacementRule] = []
    for impl in implementations(manager, "sagshub_placement_rules"):
        for rule in call_implementation(impl) or ():
            if not isinstance(getattr(rule, "name", None), str) or not callable(
                getattr(rule, "decide", None)
            ):
                raise PluginError(
                    f"placement rule {rule!r} needs a str name and a decide(context) method",
                    plugin=impl.plugin_name,
                )
            rules.append(rule)
    return rules


def contributed_route_handlers(manager: pluggy.PluginManager) -> list[Any]:
    return [handler for handlers in manager.hook.sagshub_route_handlers() for handler in handlers]


def bind(registry: AdapterRegistry, settings: Settings, services: Any) -> BoundAdapters:
    return bind_adapters(
        registry, settings.ports, settings.plugins, services, config_file=settings.config_file
    )


class Services:
    """The hub's shared services (:class:`ports.services.HubServices`).

    A view on the container: each attribute is built on first use, so adapter
    factories can be handed this object while the services that need those
    adapters (intake needs the notifier) are still being built. A factory should
    keep it and use it later, not at construction.
    """

    def __init__(self, container: Any) -> None:
        self._container = container

    @property
    def municipality(self) -> Municipality:
        return self._container.municipality()

    @property
    def uow_factory(self) -> UnitOfWorkFactory:
        return self._container.uow_factory()

    @property
    def blobs(self) -> BlobStore:
        return self._container.blobs()

    @property
    def standards_dir(self) -> Path | None:
        return self._container.settings().standards_dir

    @property
    def intake(self) -> IntakeService:
        return self._container.intake()

    @property
    def cases(self) -> CaseService:
        return self._container.cases()

    @property
    def inbox(self) -> InboxService:
        return self._container.inbox()

    @property
    def placement_rules(self) -> Sequence[PlacementRule]:
        return self._container.rules()

    @property
    def placement_policy(self) -> PlacementPolicy:
        return self._container.settings().policy

    @property
    def document_sources(self) -> Sequence[DocumentSource]:
        return self._container.adapters().document_source


class Container(containers.DeclarativeContainer):
    """How the hub's parts are made from the settings. One per hub, never global."""

    __self__ = providers.Self()
    settings = providers.Dependency(instance_of=Settings)
    extra_plugins = providers.Object({})

    plugin_manager = providers.Singleton(
        load_plugins, settings.provided.plugins.enabled, extra=extra_plugins
    )
    registry = providers.Singleton(AdapterRegistry.collect, plugin_manager)
    publisher = providers.Singleton(HookEventPublisher, plugin_manager)

    database = providers.Singleton(Database, settings.provided.database.effective_url)
    blobs = providers.Singleton(FilesystemBlobStore, settings.provided.blobs.path)
    uow_factory = providers.Singleton(open_uow_factory, database, blobs, publisher)
    municipality = providers.Singleton(
        ensure_municipality, uow_factory, settings.provided.municipality
    )

    services = providers.Singleton(Services, __self__)
    adapters = providers.Singleton(bind, registry, settings, services)
    rules = providers.Singleton(seed_chain, providers.Singleton(contributed_rules, plugin_manager))

    intake = providers.Singleton(
        IntakeService,
        uow_factory,
        blobs,
        municipality.provided.id,
        rules,
        settings.provided.policy,
        notifier=adapters.provided.notifier,
    )
    cases = providers.Singleton(CaseService, uow_factory, municipality.provided.id)
    inbox = providers.Singleton(InboxService, uow_factory, municipality.provided.id)


def build_container(
    settings: Settings, *, extra_plugins: Mapping[str, object] | None = None
) -> Container:
    """A container for these settings; nothing is built until asked for."""
    container = Container(settings=settings)
    if extra_plugins:
        container.extra_plugins.override(providers.Object(dict(extra_plugins)))
    return container


def check_configuration(
    settings: Settings, *, extra_plugins: Mapping[str, object] | None = None
) -> BoundAdapters:
    """Load the plugins and bind the ports without opening the database.

    Raises :class:`PluginError` on the first problem.
    """
    return build_container(settings, extra_plugins=extra_plugins).adapters()


@dataclass(frozen=True)
class Hub:
    """A built hub: its container, its settings, and the services it offers."""

    container: Container
    settings: Settings

    @property
    def services(self) -> Services:
        return self.container.services()

    @property
    def plugin_manager(self) -> pluggy.PluginManager:
        return self.container.plugin_manager()

    @property
    def adapters(self) -> BoundAdapters:
        return self.container.adapters()

    def health(self) -> HealthReport:
        schema = schema_status(self.container.database())
        return HealthReport(
            version=VERSION, database_revision=schema.current, migrated=schema.up_to_date
        )

    def close(self) -> None:
        self.container.database().dispose()


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    """The database's alembic revision (None: no schema)."""
    head: str | None
    """The newest revision the code knows."""

    @property
    def up_to_date(self) -> bool:
        return self.current is not None and self.current == self.head


def schema_status(database: Database) -> SchemaStatus:
    head = ScriptDirectory.from_config(database.alembic_config()).get_current_head()
    return SchemaStatus(current=database.current_revision(), head=head)


def require_migrated(database: Database, url: str) -> None:
    schema = schema_status(database)
    if schema.current is None:
        raise NotMigrated(f"the database {url} has no schema yet: run `sagshub db upgrade` first")
    if not schema.up_to_date:
        raise NotMigrated(
            f"the database {url} is at revision {schema.current}, this sagshub needs "
            f"{schema.head}: run `sagshub db upgrade` first"
        )


def build_hub(settings: Settings, *, extra_plugins: Mapping[str, object] | None = None) -> Hub:
    """Build everything the settings describe, check it, and tell the plugins it started.

    Raises :class:`NotMigrated` on a database without the schema, :class:`PluginError`
    on a plugin problem.
    """
    container = build_container(settings, extra_plugins=extra_plugins)
    hub = Hub(container, settings)
    try:
        require_migrated(container.database(), settings.database.url)
        container.adapters()
        container.intake()
        container.cases()
        container.inbox()
        for impl in implementations(container.plugin_manager(), "sagshub_startup"):
            try:
                call_implementation(impl, services=hub.services)
            except Exception as exc:
                raise PluginError(
                    f"failed at start-up: {one_line(exc)}", plugin=impl.plugin_name
                ) from exc
    except BaseException:
        hub.close()
        raise
    return hub


def create_app(hub: Hub) -> Litestar:
    """The HTTP application of a built hub, with the plugins' route handlers mounted."""
    return build_app(
        title="sagshub",
        version=VERSION,
        health=hub.health,
        route_handlers=contributed_route_handlers(hub.plugin_manager),
        on_shutdown=[hub.close],
    )


def asgi_app() -> Litestar:
    """The ASGI application for an external server, configured from ``SAGSHUB_CONFIG``.

    ``uvicorn --factory hub:asgi_app`` or ``granian --interface asgi --factory hub:asgi_app``;
    ``sagshub serve`` is the same with uvicorn, the server chosen by ``bench/asgi_server``.
    """
    from adapters.settings import load_settings

    return create_app(build_hub(load_settings()))
