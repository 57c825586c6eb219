"""A hub built from a configuration on a test database, its command line, a test caller,
and a rich case."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from litestar import Request
from litestar.exceptions import NotAuthorizedException
from typer.testing import CliRunner, Result

from adapters.api.auth import Caller
from adapters.cli.main import build_cli
from adapters.settings import load_settings
from core.intake import CaseReference, IncomingDocument, IncomingVariant
from core.models import utcnow
from core.services.cases import NewCase
from hub import Hub, build_hub
from tests.config_files import write_config
from tests.contract.persistence.builders import new_cpr, new_cvr

PDF = b"%PDF-1.7 underretning " + bytes(range(256)) * 300


def build_test_hub(database_url: str, folder: Path, extra: str = "") -> Hub:
    """A hub of a new municipality (its own CVR) on the given, migrated database."""
    base = f'[municipality]\nname = "Testrup Kommune"\ncvr = "{new_cvr()}"\n'
    config = write_config(
        folder,
        f'[database]\nurl = "{database_url}"\n\n[blobs]\npath = "{folder / "blobs"}"\n\n{extra}',
        base=base,
    )
    return build_hub(load_settings(config))


def cli(hub: Hub, *args: str) -> Result:
    """Run ``sagshub --config <the hub's> <args>``; the logging it sets up ends with it."""
    config = str(hub.settings.config_file)
    handlers, level = logging.root.handlers[:], logging.root.level
    try:
        result = CliRunner().invoke(
            build_cli(["--config", config]), ["--config", config, *args], env={"COLUMNS": "200"}
        )
    finally:
        logging.root.handlers[:] = handlers
        logging.root.setLevel(level)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def header_caller(request: Request) -> Caller:
    """The test's stand-in for authentication: who calls is in ``X-Caller`` headers."""
    name = request.headers.get("x-caller")
    if not name:
        raise NotAuthorizedException("no caller")
    return Caller(
        name=name,
        municipality_id=UUID(request.headers["x-municipality"]),
        scopes=frozenset(filter(None, request.headers.get("x-scopes", "").split(","))),
    )


@dataclass
class RichCase:
    cpr: str
    case_id: UUID
    document_id: UUID
    sha256: str
    before_note: object


def deliver(
    hub: Hub, case_id: UUID, cpr: str, data: bytes = PDF, title: str = "Underretning"
) -> UUID:
    """Deliver a PDF onto the case through intake, as a client system would."""
    services = hub.services
    writer = services.blobs.writer(max_bytes=10_000_000)
    writer.write(data)
    part = writer.finish().as_part("underretning æ.pdf", "application/pdf")
    receipt = services.intake.receive(
        IncomingDocument(
            sender_system="skole",
            message_id=f"m-{utcnow().timestamp()}",
            title=title,
            cprs=[cpr],
            case=CaseReference(case_id=case_id),
            variants=[IncomingVariant(name="arkiv", parts=[part])],
        )
    )
    return receipt.document_id


def rich_case(hub: Hub) -> RichCase:
    """A case with a child (a CPR of its own), a placed document and, after
    ``before_note``, a journal note."""
    cases, cpr = hub.services.cases, new_cpr()
    case = cases.create_case(
        NewCase(title="Bekymring", kle_subject="27.24.00", handlingsfacet="G01", primary_cpr=cpr),
        "setup",
    )
    cases.add_activity(case.id, "Møde", "møde", "setup")
    document_id = deliver(hub, case.id, cpr)
    before_note = utcnow()
    cases.add_journal_note(case.id, "Samtale", "Mor ringede", "setup")
    document = cases.document(document_id, "setup")
    sha256 = document.document.variants[0].parts[0].sha256
    return RichCase(cpr, case.id, document_id, sha256, before_note)
