"""The composition root: settings → plugin manager → container → services → Litestar app.

This is the one place where the core, the hub's adapters and the plugins meet.
Nothing here is module-global: every :func:`build_hub` call makes its own
container, so tests (and several municipalities in one process) build their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from importlib import metadata
from pathlib import Path
from typing import Any
from uuid import UUID

import pluggy
from alembic.script import ScriptDirectory
from dependency_injector import containers, providers
from litestar import Litestar
from litestar.connection import ASGIConnection
from pydantic import BaseModel

from adapters.api.app import HealthReport, build_app
from adapters.api.archive_routes import archive_router
from adapters.api.auth import Caller, by_api_key, by_function
from adapters.api.copies import CopyReads
from adapters.api.dependencies import api_dependencies
from adapters.api.json_routes import json_router
from adapters.api.oio_routes import oio_router
from adapters.api.reception import Reception
from adapters.api.routes import API_CONTROLLERS, API_ROUTER_CONTROLLERS
from adapters.blobs.filesystem import FilesystemBlobStore
from adapters.extracts.service import ExtractService
from adapters.extracts.store import ExtractStore
from adapters.hook_events import HookEventPublisher
from adapters.intake.limits import IntakeLimits
from adapters.intake.staging import DeliveryStaging
from adapters.jobs.backends import JobWorker, job_queue_factory, job_worker
from adapters.jobs.periodic import TickingWorker
from adapters.jobs.runner import Handler, JobRunner
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
    settings_of_plugin,
)
from adapters.settings import MunicipalitySettings, PortsSettings, Settings
from adapters.sources.cursors import SourceCursors
from adapters.sources.poller import SourcePoller
from adapters.sources.schedule import PollSchedule
from adapters.sql.clients import SqlApiClientStore
from adapters.sql.database import Database
from adapters.sql.uow import JobQueueFactory
from core.letters import LetterChoice
from core.models import Municipality
from core.placement import seed_chain
from core.rules import PlacementPolicy, PlacementRule
from core.services.cases import CaseService
from core.services.changes import ChangeRecorder
from core.services.clients import ClientService
from core.services.copies import CopyService
from core.services.exports import ExportService
from core.services.inbox import InboxService
from core.services.intake import IntakeService
from core.services.letter_receipts import LetterReceipts
from core.services.letters import SEND_TASK, LetterService
from ports.blobs import BlobStore
from ports.integrations import DocumentSource
from ports.persistence import BeforeCommit, EventPublisher, UnitOfWorkFactory

VERSION = metadata.version("sagshub")

LETTER_KINDS = {
    LetterChoice.DIGITAL_POST: "eboks",
    LetterChoice.REMOTE_PRINT: "print",
    LetterChoice.LOCAL_PRINT: "local_print",
}
"""The ``letters`` adapter that serves each channel a caseworker may ask for by name
(the built-in plugins' names); ``auto`` tries every bound one in ``[ports] letters`` order."""


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


def source_poller(
    ports: PortsSettings,
    adapters: BoundAdapters,
    database: Database,
    municipality: Municipality,
    intake: IntakeService,
    blobs: BlobStore,
    limits: IntakeLimits,
    uow_factory: UnitOfWorkFactory,
) -> SourcePoller:
    """Polls the adapters ``[ports] document_source`` binds, each into the intake (with the
    ``[intake]`` limits of any delivery)."""

    def known_case(number: str) -> bool:
        with uow_factory(municipality.id) as uow:
            return uow.cases.get_by_number(number) is not None

    names = bound_names(ports)["document_source"]
    return SourcePoller(
        dict(zip(names, adapters.document_source, strict=True)),
        SourceCursors(database.session, municipality.id),
        municipality.id,
        receive=intake.receive,
        staging=lambda: DeliveryStaging(blobs, limits),
        known_case=known_case,
    )


def extract_service(
    settings: Settings,
    database: Database,
    municipality: Municipality,
    job_queue: JobQueueFactory,
    adapters: BoundAdapters,
    cases: CaseService,
    uow_factory: UnitOfWorkFactory,
    blobs: BlobStore,
) -> ExtractService:
    """Archive extracts ordered over the API, made by the adapters ``[ports] archive`` binds."""
    names = bound_names(settings.ports)["archive"]
    return ExtractService(
        ExtractStore(database.session, municipality.id, job_queue),
        dict(zip(names, adapters.archive, strict=True)),
        cases,
        uow_factory,
        municipality.id,
        open_part=blobs.open,
        extracts_dir=settings.archive.extracts_dir,
    )


def letter_handlers(letters: LetterService) -> dict[str, Handler]:
    """The letter tasks: deliver one queued letter (:meth:`LetterService.deliver`)."""
    return {SEND_TASK: lambda payload: letters.deliver(UUID(payload["letter_id"]))}


def every_task(
    exports: ExportService,
    letters: LetterService,
    sources: SourcePoller,
    extracts: ExtractService,
) -> JobRunner:
    """Every task this hub's job queue runs: the exports, the letters, the polls of the
    document sources and the archive extracts."""
    return JobRunner(
        {
            **exports.handlers(),
            **letter_handlers(letters),
            **sources.handlers(),
            **extracts.handlers(),
        }
    )


def hub_worker(
    settings: Settings,
    database: Database,
    municipality: Municipality,
    runner: JobRunner,
    job_queue: JobQueueFactory,
    sources: SourcePoller,
) -> JobWorker:
    """The worker of every job the hub runs; with document sources bound, it also queues
    a poll of each every ``[sources] poll_seconds``."""
    worker = job_worker(settings.jobs, database, municipality.id, runner)
    if not sources.names:
        return worker
    schedule = PollSchedule(
        sources.names,
        sources.cursors,
        database.session,
        job_queue,
        municipality.id,
        every=timedelta(seconds=settings.sources.poll_seconds),
    )
    return TickingWorker(worker, schedule.enqueue_due, settings.jobs.poll_seconds)


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

    def plugin_settings(self, plugin: str) -> BaseModel | None:
        settings = self._container.settings()
        return settings_of_plugin(
            plugin, self._container.registry(), settings.plugins, settings.config_file
        )

    @property
    def clients(self) -> ClientService:
        return self._container.clients()

    @property
    def letters(self) -> LetterService:
        return self._container.letters()

    @property
    def letter_receipts(self) -> LetterReceipts:
        """The :class:`ports.letters.ReceiptStore` the Digital Post receipt endpoint uses."""
        return self._container.letter_receipts()

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
    client_store = providers.Singleton(
        SqlApiClientStore, database.provided.engine, municipality.provided.id
    )
    clients = providers.Singleton(
        ClientService, uow_factory, client_store, municipality.provided.id
    )
    reception = providers.Singleton(Reception, intake, blobs, settings.provided.intake)
    copies = providers.Singleton(CopyService, uow_factory, municipality.provided.id)
    exports = providers.Singleton(
        export_service, uow_factory, municipality, cases, adapters, settings.provided.ports, blobs
    )
    sources = providers.Singleton(
        source_poller,
        settings.provided.ports,
        adapters,
        database,
        municipality,
        intake,
        blobs,
        settings.provided.intake,
        uow_factory,
    )
    extracts = providers.Singleton(
        extract_service,
        settings,
        database,
        municipality,
        job_queue,
        adapters,
        cases,
        uow_factory,
        blobs,
    )
    letters = providers.Singleton(
        LetterService,
        uow_factory,
        municipality.provided.id,
        adapters.provided.letters,
        providers.Object(LETTER_KINDS),
        blobs.provided.open,
    )
    letter_receipts = providers.Singleton(LetterReceipts, uow_factory, municipality.provided.id)
    job_runner = providers.Singleton(every_task, exports, letters, sources, extracts)
    jobs = providers.Singleton(
        hub_worker, settings, database, municipality, job_runner, job_queue, sources
    )


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
        """The job worker and admin (exports, letters, archive extracts, source polls)."""
        return self.container.jobs()

    @property
    def sources(self) -> SourcePoller:
        """The document sources ``[ports] document_source`` binds, polled into the intake."""
        return self.container.sources()

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
        container.letters()
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


def create_app(hub: Hub, *, caller: Callable[[ASGIConnection], Caller] | None = None) -> Litestar:
    """The HTTP application of a built hub: its API and the plugins' route handlers,
    all behind API keys (but ``/health``, ``/schema`` and the plugin routes that check their
    callers otherwise).

    ``caller`` replaces the API keys by a function telling the caller from the request
    (tests use it). With ``[jobs] worker_in_serve`` the app runs a job worker while it
    serves.
    """
    container = hub.container
    reads = hub.copy_reads()
    worker = [hub.jobs] if hub.settings.jobs.worker_in_serve else []
    return build_app(
        title="sagshub",
        version=VERSION,
        health=hub.health,
        route_handlers=[
            oio_router(reads),
            json_router(reads, *API_ROUTER_CONTROLLERS),
            *API_CONTROLLERS,
            archive_router(container.extracts(), reads.municipality_id),
            *contributed_route_handlers(hub.plugin_manager),
        ],
        identify=by_function(caller) if caller else by_api_key(container.clients().authenticate),
        dependencies=api_dependencies(
            reception=container.reception(),
            cases=container.cases(),
            inbox=container.inbox(),
            letters=container.letters(),
        ),
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
