"""``sagshub archive create`` and ``sagshub archive validate``.

Bad input is one plain line on stderr (exit code 2); an extract that cannot be made
or does not validate lists exactly what is wrong (exit code 1).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Literal
from uuid import UUID

import typer
from pydantic import ValidationError
from rich.console import Console

from core.errors import DomainError, InvalidValue, NotFound
from plugins.archive.errors import StandardsMismatch
from plugins.archive.layout import Limits
from plugins.archive.progress import RichProgress
from plugins.archive.selection import SYNTAX, parse_selector, select_cases
from plugins.archive.settings import ArchiveSettings
from plugins.archive.standards import require_standards
from plugins.archive.text import redact
from plugins.archive.validation.run import validate
from plugins.archive.writer import ArchiveWriter
from ports.integrations import ArchiveProfile, ArchiveRequest
from ports.services import HubServices
from ports.snapshots import CaseSnapshot

STANDARDS_ENV = "SAGSHUB_STANDARDS_DIR"
AUDIT_ACTION = "archive"


def _fail(console: Console, message: str, code: int) -> typer.Exit:
    """Print ``sagshub: <message>`` (as the hub prints its own errors) and exit with ``code``."""
    console.print(f"sagshub: {redact(message)}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _bad_input(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "input"
    return f"{field}: {error['msg']}"


def _settings(**overrides: object) -> ArchiveSettings:
    return ArchiveSettings(**{k: v for k, v in overrides.items() if v is not None})


def _snapshots(services: HubServices, case_ids: list[UUID]) -> Iterator[CaseSnapshot]:
    """Each case's snapshot as the writer asks for it; every read is audited by the core."""
    actor = f"archive-cli:{getpass.getuser()}"
    for case_id in case_ids:
        yield services.cases.snapshot(case_id, actor, action=AUDIT_ACTION)


def build_app(services: Callable[[], HubServices]) -> typer.Typer:
    """The ``archive`` sub-command group; ``services`` builds the hub when a command runs."""
    app = typer.Typer(help="Archival versions (arkiveringsversioner) for the public archives.")
    errors = Console(stderr=True)

    @app.command()
    def create(
        archive_code: Annotated[
            str, typer.Option("--archive-code", help="SA for Rigsarkivet, else the archive's code")
        ],
        number: Annotated[int, typer.Option("--number", help="the extract's number N")],
        select: Annotated[str, typer.Option("--select", help=SYNTAX)],
        out: Annotated[Path, typer.Option("--out", help="folder to write AVID.<code>.<N>.1 in")],
        profile: Annotated[
            ArchiveProfile | None, typer.Option("--profile", help="bek128 or bek1007")
        ] = None,
        dpi: Annotated[int | None, typer.Option(help="resolution of rendered pages")] = None,
        compression: Annotated[
            Literal["lossless", "group4"] | None, typer.Option(help="lossless or group4")
        ] = None,
        libreoffice: Annotated[Path | None, typer.Option(help="LibreOffice's soffice")] = None,
    ) -> None:
        """Write AVID.<code>.<N>.1 for the selected cases and validate it."""
        try:
            settings = _settings(dpi=dpi, compression=compression, libreoffice=libreoffice)
            selector = parse_selector(select)
            hub = services()
            standards_dir = require_standards(hub.standards_dir)
            case_ids = list(select_cases(selector, hub.uow_factory, hub.municipality.id))
            if not case_ids:
                raise InvalidValue("no cases match the selection", field="select")
            request = ArchiveRequest(
                profile=profile or settings.default_profile,
                archive_code=archive_code,
                number=number,
                case_ids=case_ids,
                out_dir=out,
            )
        except ValidationError as exc:
            raise _fail(errors, _bad_input(exc), 2) from None
        except (InvalidValue, NotFound, StandardsMismatch) as exc:
            raise _fail(errors, str(exc), 2) from None
        writer = ArchiveWriter(
            settings,
            standards_dir,
            progress=lambda cases: RichProgress(cases, console=errors),
        )
        try:
            result = writer.create(request, _snapshots(hub, case_ids), hub.blobs.open)
        except InvalidValue as exc:
            raise _fail(errors, str(exc), 2) from None
        except DomainError as exc:
            raise _fail(errors, str(exc), 1) from None
        for problem in result.problems:
            errors.print(f"note: {problem}", markup=False, highlight=False, soft_wrap=True)
        typer.echo(
            f"{result.path}: {len(case_ids)} cases, {result.documents} documents, "
            f"{result.pages} pages; validated without findings"
        )

    @app.command("validate")
    def validate_command(
        folder: Annotated[Path, typer.Argument(help="the AVID.<code>.<N>.<m> folder")],
        standards: Annotated[
            Path | None,
            typer.Option(help=f"the official schemas (default: ${STANDARDS_ENV} or the hub's)"),
        ] = None,
        profile: Annotated[ArchiveProfile | None, typer.Option(help="default: detected")] = None,
    ) -> None:
        """Check an archival version and list every finding with its check id."""
        if not folder.is_dir():
            raise _fail(errors, f"folder: {folder} is not a folder", 2)
        standards_dir = standards or (
            Path(os.environ[STANDARDS_ENV]) if STANDARDS_ENV in os.environ else None
        )
        try:
            standards_dir = require_standards(standards_dir or services().standards_dir)
        except StandardsMismatch as exc:
            raise _fail(errors, str(exc), 2) from None
        findings = validate(folder, standards_dir, profile=profile, limits=Limits())
        for finding in findings:
            typer.echo(redact(str(finding)))
        if findings:
            raise _fail(errors, f"{folder.name}: {len(findings)} finding(s)", 1)
        typer.echo(f"{folder.name}: valid")

    return app
