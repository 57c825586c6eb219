"""``sagshub sources poll [NAME]`` and ``sagshub sources list``: the bound document sources."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from adapters.sources.poller import PollInterrupted, SourcePoller

sources_cli = typer.Typer(
    no_args_is_help=True, help="The document sources (documents pulled from an ESDH)."
)


def _poller(ctx: typer.Context) -> SourcePoller:
    return ctx.obj.hub().sources


@sources_cli.command("poll")
def sources_poll(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="one bound source (default: all)")] = None,
) -> None:
    """Fetch what is new in the sources now, each document into the intake.

    Prints one line per source, and each refused document. Exit status 1 when a source
    failed (it is polled from where it stopped next time).
    """
    poller = _poller(ctx)
    names = [name] if name is not None else poller.names
    if not names:
        typer.echo("no document source is bound ([ports] document_source)")
        return
    failed = False
    for each in names:
        try:
            report = poller.poll(each)
        except PollInterrupted as stopped:
            report, failed = stopped.report, True
            typer.echo(f"sagshub: {each}: the poll stopped: {stopped}", err=True)
        typer.echo(report.summary())
        for refusal in report.refused:
            typer.echo(f"  refused {refusal}")
    if failed:
        raise typer.Exit(1)


@sources_cli.command("list")
def sources_list(ctx: typer.Context) -> None:
    """The bound sources: their system, cursor, and when they were last queued and polled."""
    poller = _poller(ctx)
    table = Table(title="sagshub document sources")
    for column in ("source", "system", "cursor", "last queued", "last polled"):
        table.add_column(column, overflow="fold")
    for name, source in poller.sources.items():
        state = poller.cursors.state(name)
        table.add_row(
            name,
            source.system_name,
            state.cursor or "-",
            state.scheduled_at.isoformat(timespec="seconds") if state.scheduled_at else "-",
            state.polled_at.isoformat(timespec="seconds") if state.polled_at else "-",
        )
    Console().print(table)
