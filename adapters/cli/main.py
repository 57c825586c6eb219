"""The ``sagshub`` command line.

Every command reads the configuration named by ``--config`` (else
``$SAGSHUB_CONFIG``, else ``./sagshub.toml``) only when it runs. A configuration,
plugin or domain error ends the command with one plain line on stderr and exit
status 2, never a traceback. Enabled plugins add their own commands through the
``sagshub_register_commands`` hook.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from adapters.cli.clients import clients_cli
from adapters.cli.jobs import jobs_cli
from adapters.migration.cli import register as register_migrate
from adapters.plugins import (
    BUILTIN,
    AdapterRegistry,
    PluginError,
    bound_names,
    discover_plugins,
    is_enabled,
    load_plugins,
)
from adapters.redaction import RedactingFormatter
from adapters.settings import CONFIG_ENV, ConfigError, Settings, load_settings
from adapters.sources.cli import sources_cli
from core.errors import DomainError
from hub import Hub, NotMigrated, build_container, build_hub, check_configuration, create_app
from ports.services import HubServices

ONE_LINE_ERRORS = (ConfigError, PluginError, DomainError, NotMigrated)


class CliState:
    """What the commands of one invocation share: the configuration path and the hub."""

    def __init__(self) -> None:
        self.config: Path | None = None
        self.plugin_problem: str | None = None
        self._hub: Hub | None = None

    def settings(self) -> Settings:
        return load_settings(self.config)

    def hub(self) -> Hub:
        """The hub, built on first use from the configuration."""
        if self._hub is None:
            self._hub = build_hub(self.settings())
        return self._hub

    def services(self) -> HubServices:
        """The factory handed to plugins' commands (``sagshub_register_commands``)."""
        return self.hub().services

    def close(self) -> None:
        if self._hub is not None:
            self._hub.close()
            self._hub = None


class GuardedGroup(TyperGroup):
    """Turns the hub's own errors into one line on stderr and exit status 2."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ONE_LINE_ERRORS as exc:
            typer.echo(f"sagshub: {exc}", err=True)
            raise typer.Exit(2) from None

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:
        """An unknown command, when the plugins' commands could not be added, says why."""
        command = super().get_command(ctx, cmd_name)
        state = ctx.find_object(CliState)
        problem = state.plugin_problem if state and ctx.parent is None else None
        if command is None and problem and not ctx.resilient_parsing:
            typer.echo(
                f"sagshub: no command {cmd_name!r}; plugin commands are unavailable: {problem}",
                err=True,
            )
            raise typer.Exit(2)
        return command


def _state(ctx: typer.Context) -> CliState:
    return ctx.ensure_object(CliState)


def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="default: [server] host")] = None,
    port: Annotated[int | None, typer.Option(help="default: [server] port")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI at /schema). Refuses an unmigrated database."""
    import uvicorn

    state = _state(ctx)
    hub = state.hub()
    _configure_logging()
    app = create_app(hub)
    # The hub, its modules and the app live as long as the process: leave them out of
    # the garbage collector's scans, which every request's short-lived objects trigger.
    gc.freeze()
    uvicorn.run(
        app,
        host=host or hub.settings.server.host,
        port=port or hub.settings.server.port,
        log_config=None,
    )


def worker(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="run what is due now, then stop")] = False,
) -> None:
    """Run the jobs: exports, and the polls of the document sources, queued every
    [sources] poll_seconds (several workers may run on PostgreSQL). Stop with Ctrl-C."""
    hub = _state(ctx).hub()
    _configure_logging()
    if once:
        hub.jobs.run_pending()
    else:
        hub.jobs.serve()


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    # alembic says which dialect it found each time /health reads the revision
    logging.getLogger("alembic").setLevel(logging.WARNING)


db_cli = typer.Typer(cls=GuardedGroup, no_args_is_help=True, help="The database schema.")


@db_cli.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the database schema up to date (alembic upgrade to head)."""
    database = build_container(_state(ctx).settings()).database()
    try:
        database.upgrade()
        typer.echo(f"database is at revision {database.current_revision()}")
    finally:
        database.dispose()


config_cli = typer.Typer(cls=GuardedGroup, no_args_is_help=True, help="The configuration.")


@config_cli.command("check")
def config_check(ctx: typer.Context) -> None:
    """Load the configuration, the plugins and the port bindings; print OK or the problem."""
    settings = _state(ctx).settings()
    check_configuration(settings)
    typer.echo(f"OK: {settings.config_file} ({settings.municipality.name})")


def plugins(ctx: typer.Context) -> None:
    """List the installed plugins: enabled or blocked, the adapters they bind, their version."""
    settings = _state(ctx).settings()
    installed = discover_plugins()
    registry = AdapterRegistry.collect(load_plugins(settings.plugins.enabled, installed=installed))
    bound = bound_names(settings.ports)
    table = Table(title=f"sagshub plugins ({settings.config_file})")
    for column in ("plugin", "status", "adapters (port: name)", "distribution", "version"):
        table.add_column(column, overflow="fold")
    for plugin in sorted(installed, key=lambda p: (p.name != BUILTIN, p.name)):
        status = (
            "always"
            if plugin.name == BUILTIN
            else "enabled"
            if is_enabled(plugin.name, settings.plugins.enabled)
            else "blocked"
        )
        adapters = [
            f"{r.port}: {r.name}" + (" (bound)" if r.name in bound[r.port] else "")
            for r in registry.for_plugin(plugin.name)
        ]
        table.add_row(
            plugin.name, status, "\n".join(adapters) or "-", plugin.distribution, plugin.version
        )
    Console().print(table)


def demo(
    ctx: typer.Context,
    directory: Annotated[
        Path, typer.Option("--dir", help="where to create the demo (default: here)")
    ] = Path("."),
) -> None:
    """Create a demo municipality in DIR: configuration, migrated database, cases, inboxes."""
    from adapters.demo import create_demo

    typer.echo(create_demo(directory, migrated_hub))


def migrated_hub(config_file: Path) -> tuple[HubServices, Callable[[], None]]:
    """Migrate the configured database and build the hub: its services and its close."""
    settings = load_settings(config_file)
    database = build_container(settings).database()
    try:
        database.upgrade()
    finally:
        database.dispose()
    hub = build_hub(settings)
    return hub.services, hub.close


def build_cli(argv: Sequence[str] = ()) -> typer.Typer:
    """The command line, with the commands of the plugins the configuration enables.

    ``argv`` is only looked at for ``--config``, to know which plugins are enabled.
    """
    state = CliState()
    cli = typer.Typer(
        cls=GuardedGroup,
        name="sagshub",
        help="sagshub: an integration hub for a municipality's child-welfare cases.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"obj": state},
    )

    @cli.callback()
    def root(
        ctx: typer.Context,
        config: Annotated[
            Path | None,
            typer.Option(
                "--config",
                envvar=CONFIG_ENV,
                help="the municipality's TOML file",
                show_default="./sagshub.toml",
            ),
        ] = None,
    ) -> None:
        state.config = config
        ctx.call_on_close(state.close)

    cli.command()(serve)
    cli.command()(worker)
    cli.add_typer(jobs_cli, name="jobs")
    cli.add_typer(sources_cli, name="sources")
    cli.add_typer(db_cli, name="db")
    cli.command("plugins")(plugins)
    cli.add_typer(config_cli, name="config")
    cli.add_typer(clients_cli(GuardedGroup), name="clients")
    cli.command()(demo)
    register_migrate(cli, state.services)
    _add_plugin_commands(cli, state, argv)
    return cli


def _add_plugin_commands(cli: typer.Typer, state: CliState, argv: Sequence[str]) -> None:
    try:
        settings = load_settings(_config_option(argv))
        manager = load_plugins(settings.plugins.enabled)
        manager.hook.sagshub_register_commands(cli=cli, services=state.services)
    except (ConfigError, PluginError) as exc:
        state.plugin_problem = str(exc)


def _config_option(argv: Sequence[str]) -> str | None:
    """The value of ``--config`` among the arguments, if given before the sub-command."""
    for position, arg in enumerate(argv):
        if arg == "--config" and position + 1 < len(argv):
            return argv[position + 1]
        if arg.startswith("--config="):
            return arg.removeprefix("--config=")
        if not arg.startswith("-"):
            break
    return None


def main(argv: Sequence[str] | None = None) -> None:
    """The console script ``sagshub``."""
    args = list(sys.argv[1:] if argv is None else argv)
    build_cli(args)(args=args, prog_name="sagshub")
