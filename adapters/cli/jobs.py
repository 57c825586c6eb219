"""``sagshub jobs list|show|retry``: the export jobs, waiting, done and dead."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from core.errors import NotFound
from ports.jobs import JobAdmin, JobInfo, JobState

jobs_cli = typer.Typer(no_args_is_help=True, help="The job queue (exports to bound adapters).")


def _admin(ctx: typer.Context) -> JobAdmin:
    return ctx.obj.hub().jobs.admin


def _target(job: JobInfo) -> str:
    payload = job.payload
    obj = payload.get("case_id") or payload.get("document_id") or ""
    return f"{payload.get('adapter', '')} {obj}".strip()


@jobs_cli.command("list")
def jobs_list(
    ctx: typer.Context,
    state: Annotated[JobState | None, typer.Option(help="only jobs in this state")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """The most recent jobs first."""
    table = Table(title="sagshub jobs")
    for column in ("id", "task", "state", "attempts", "run after", "adapter and object", "error"):
        table.add_column(column, overflow="fold")
    for job in _admin(ctx).list(state=state, limit=limit):
        table.add_row(
            str(job.id),
            job.task,
            job.state,
            str(job.attempts),
            job.run_after.isoformat(timespec="seconds") if job.run_after else "-",
            _target(job),
            (job.last_error or "")[:80],
        )
    Console().print(table)


@jobs_cli.command("show")
def jobs_show(ctx: typer.Context, job_id: int) -> None:
    """Everything about one job, its last error in full."""
    job = _admin(ctx).get(job_id)
    if job is None:
        raise NotFound(f"no job {job_id}", field="job_id")
    for label, value in (
        ("id", job.id),
        ("task", job.task),
        ("state", job.state),
        ("attempts", job.attempts),
        ("run after", job.run_after.isoformat() if job.run_after else "-"),
        ("dedupe key", job.dedupe_key or "-"),
        ("payload", json.dumps(job.payload, sort_keys=True)),
        ("last error", job.last_error or "-"),
    ):
        typer.echo(f"{label}: {value}")


@jobs_cli.command("retry")
def jobs_retry(ctx: typer.Context, job_id: int) -> None:
    """Give a dead job a fresh start: back to todo, to run now."""
    job = _admin(ctx).retry(job_id)
    typer.echo(f"job {job.id} ({job.task}) is {job.state} again")
