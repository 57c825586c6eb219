"""The composition root: settings → plugin manager → container → services → Litestar app.

This is the one place where the core, the hub's adapters and the plugins meet.
Nothing here is module-global: every :func:`build_hub` call makes its own
container, so tests (and several municipalities in one process) build their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pluggy
from alembic.script import ScriptDirectory
from dependency_injector import containers, providers
from litestar import Litestar
from litestar.di import Provide
from litestar.utils import is_async_callable

from adapters.api.app import HealthReport, build_app
from adapters.api.caller import Caller, no_authentication
from adapters.api.copies import CopyReads
from adapters.api.json_routes import json_router
from adapters.api.oio_routes import oio_router
from adapters.blobs.filesystem import FilesystemBlobStore
from adapters.hook_events import HookEventPublisher
from adapters.jobs.backends import JobWorker, job_queue_factory, job_worker
from adapters.jobs.runner import JobRunner
from adapters.plugins import (
    AdapterRegistry,
    BoundAdapters,
    PluginError,
    bind_adapters,
    bound_names,
    call_implementation,
    implementations,
    load_plugins,
    one_line,
)
from adapters.settings import MunicipalitySettings, PortsSettings, Settings
from adapters.sql.database import Database
from adapters.sql.uow import JobQueueFactory
from core.models import Municipality
from core.placement import seed_chain
from core.rules import PlacementPolicy, PlacementRule
from core.services.cases import CaseService
from core.services.changes import ChangeRecorder
from core.services.copies import CopyService
from core.services.exports import ExportService
from core.services.inbox import InboxService
from core.services.intake import IntakeService
from ports.blobs import BlobStore
from ports.integrations import DocumentSource
from ports.persistence import BeforeCommit, EventPublisher, UnitOfWorkFactory

VERSION = metadata.version("sagshub")


class NotMigrated(Exception):
    """The database is behind the code's schema; ``str()`` is the one line to show."""


def open_uow_factory(
    database: Database,
    blobs: BlobStore,
    publisher: EventPublisher,
    recorder: BeforeCommit,
    job_queue: JobQueueFactory,
) -> UnitOfWorkFactory:
    return database.uow_factory(
        blobs, publisher=publisher, before_commit=recorder, job_queue=job_queue
    )


def change_recorder(ports: PortsSettings) -> ChangeRecorder:
    """Versions every changed case; schedules exports to the adapters ``[ports]`` binds."""
    names = bound_names(ports)
    return ChangeRecorder(names["case_export"], names["document_export"])


def export_service(
    uow_factory: UnitOfWorkFactory,
    municipality: Municipality,
    cases: CaseService,
    adapters: BoundAdapters,
    ports: PortsSettings,
    blobs: BlobStore,
) -> ExportService:
    names = bound_names(ports)
    return ExportService(
        uow_factory,
        municipality.id,
        cases,
        case_exporters=dict(zip(names["case_export"], adapters.case_export, strict=True)),
        document_exporters=dict(
            zip(names["document_export"], adapters.document_export, strict=True)
        ),
        open_part=blobs.open,
    )


def export_worker(
    settings: Settings, database: Database, municipality: Municipality, exports: ExportService
) -> JobWorker:
    return job_worker(settings.jobs, database, municipality.id, JobRunner(exports.handlers()))


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
    recorder = providers.Singleton(change_recorder, settings.provided.ports)
    job_queue = providers.Singleton(job_queue_factory, settings.provided.jobs, database)
    uow_factory = providers.Singleton(
        open_uow_factory, database, blobs, publisher, recorder, job_queue
    )
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
    copies = providers.Singleton(CopyService, uow_factory, municipality.provided.id)
    exports = providers.Singleton(
        export_service, uow_factory, municipality, cases, adapters, settings.provided.ports, blobs
    )
    jobs = providers.Singleton(export_worker, settings, database, municipality, exports)


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

    @property
    def jobs(self) -> JobWorker:
        """The job worker and admin (exports to the bound adapters)."""
        return self.container.jobs()

    def copy_reads(self) -> CopyReads:
        container = self.container
        return CopyReads(
            municipality_id=container.municipality().id,
            cases=container.cases(),
            copies=container.copies(),
            blobs=container.blobs(),
        )

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
        container.jobs()
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


def create_app(hub: Hub, *, caller: Callable[..., Caller] = no_authentication) -> Litestar:
    """The HTTP application of a built hub, with the plugins' route handlers mounted.

    ``caller`` provides the app-level ``caller`` dependency (the authenticated
    :class:`adapters.api.caller.Caller`); until authentication by API key is built
    (issue 3) the default refuses every request that needs a caller. With ``[jobs]
    worker_in_serve`` the app runs a job worker while it serves.
    """
    reads = hub.copy_reads()
    worker = [hub.jobs] if hub.settings.jobs.worker_in_serve else []
    return build_app(
        title="sagshub",
        version=VERSION,
        health=hub.health,
        route_handlers=[
            oio_router(reads),
            json_router(reads),
            *contributed_route_handlers(hub.plugin_manager),
        ],
        dependencies={
            "caller": Provide(caller, sync_to_thread=None if is_async_callable(caller) else False)
        },
        on_startup=[w.start for w in worker],
        on_shutdown=[*(w.stop for w in worker), hub.close],
    )


def asgi_app() -> Litestar:
    """The ASGI application for an external server, configured from ``SAGSHUB_CONFIG``.

    ``uvicorn --factory hub:asgi_app`` or ``granian --interface asgi --factory hub:asgi_app``;
    ``sagshub serve`` is the same with uvicorn, the server chosen by ``bench/asgi_server``.
    """
    from adapters.settings import load_settings

    return create_app(build_hub(load_settings()))
