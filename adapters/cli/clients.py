"""``sagshub clients``: the API keys of client systems and caseworkers.

``add`` prints the new key once, alone on stdout (so ``KEY=$(sagshub clients add …)``
works), and says what it made on stderr; the hub keeps only the key's hash.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from core.services.clients import ClientService
from ports.clients import Scope

SCOPES_HELP = "comma-separated: " + ", ".join(s.value for s in Scope)


def _clients(ctx: typer.Context) -> ClientService:
    """The hub's client service (the CLI's state is the context object)."""
    state: Any = ctx.obj
    return state.hub().services.clients


def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="the client system's name (its sender system)")],
    scopes: Annotated[str, typer.Option("--scopes", help=SCOPES_HELP)],
    caseworker: Annotated[
        str | None,
        typer.Option(help="make a caseworker's personal token, for this username"),
    ] = None,
    max_document_bytes: Annotated[
        int | None, typer.Option(help="this client's limit on one document's files")
    ] = None,
) -> None:
    """Create an API client and print its key, once."""
    issued = _clients(ctx).issue(
        name,
        scopes.split(","),
        caseworker=caseworker,
        max_document_bytes=max_document_bytes,
    )
    client = issued.client
    kind = f"caseworker {caseworker}'s token" if caseworker else "client system"
    typer.echo(
        f"Created {kind} {client.name!r} with the scopes {', '.join(sorted(client.scopes))}. "
        "Its API key follows; it is shown only this once:",
        err=True,
    )
    typer.echo(issued.key)


def list_clients(ctx: typer.Context) -> None:
    """List the API clients, revoked ones included (keys are never shown)."""
    table = Table(title="sagshub API clients")
    for column in ("name", "kind", "scopes", "key", "max document bytes", "created", "revoked"):
        table.add_column(column)
    for client in _clients(ctx).list():
        table.add_row(
            client.name,
            client.kind.value,
            ", ".join(sorted(client.scopes)),
            f"{client.key_hint}…",
            str(client.max_document_bytes or "-"),
            f"{client.created_at:%Y-%m-%d %H:%M}",
            f"{client.revoked_at:%Y-%m-%d %H:%M}" if client.revoked_at else "-",
        )
    Console(width=200).print(table)


def revoke(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="the client's name")]
) -> None:
    """Revoke a client's key at once; its name may then be given to a new key."""
    client = _clients(ctx).revoke(name)
    typer.echo(f"Revoked {client.name!r} (key {client.key_hint}…).")


def clients_cli(group: type[TyperGroup]) -> typer.Typer:
    """The ``clients`` command group, its errors handled by ``group``."""
    cli = typer.Typer(cls=group, no_args_is_help=True, help="API keys of client systems.")
    cli.command("add")(add)
    cli.command("list")(list_clients)
    cli.command("revoke")(revoke)
    return cli
