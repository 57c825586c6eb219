"""``sagshub serve`` with the core's intake replaced by a fake: the HTTP side alone.

    .venv/bin/python -m bench.intake.http_only <sagshub.toml> <port>

Everything a delivery goes through in ``sagshub serve`` runs as there — uvicorn, Litestar,
the API key's lookup, the streaming envelope parser with its limits and XSD check, the
staging of the files in the blob store with sha256 and mime checks, the receipt's JSON —
except :meth:`core.services.intake.IntakeService.receive`: a fake answers with a fixed
receipt without touching the database, and the staged files are discarded when the
request ends, as after any delivery whose files were not promoted. ``run.py
--http-only`` measures this server's CPU per document: what the HTTP side costs. For
the bench only; the hub has no such switch.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from uuid import uuid4

import uvicorn
from dependency_injector import providers

from adapters.cli.main import _configure_logging
from adapters.settings import load_settings
from core.intake import IncomingDocument, Receipt
from core.models import PlacementTarget
from core.services.group_commit import Announcement, GroupCommit
from hub import build_hub, create_app


class FakeIntake:
    """Answers every delivery with the same kind of receipt; stores nothing. Deliveries
    are handed over through a group commit as in the real intake (announced while read),
    one to a batch: no leader waits for company."""

    def __init__(self) -> None:
        self._case_id = uuid4()
        self._together: GroupCommit[IncomingDocument, Receipt] = GroupCommit(
            lambda items: [self.receive(item) for item in items], gather_seconds=0
        )

    def arriving(self) -> Announcement[IncomingDocument, Receipt]:
        return self._together.announce()

    def receive(self, incoming: IncomingDocument) -> Receipt:
        return Receipt(
            document_id=uuid4(),
            target=PlacementTarget.CASE,
            case_id=self._case_id,
            case_number="27.24.00-G01-1-26",
            rule="bench",
            reason="the bench's fake intake",
        )


def main() -> None:
    config, port = Path(sys.argv[1]), int(sys.argv[2])
    hub = build_hub(load_settings(config))
    container = hub.container
    fake = dataclasses.replace(container.reception(), intake=FakeIntake())
    container.reception.override(providers.Object(fake))
    _configure_logging()
    uvicorn.run(create_app(hub), host="127.0.0.1", port=port, log_config=None)


if __name__ == "__main__":
    main()
