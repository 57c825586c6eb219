"""A real hub on SQLite with the eboks and print plugins bound to the local fake
Serviceplatform (tests/fakes/sf1601), and what its tests need around it."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

from litestar.testing import TestClient
from lxml import etree
from pypdf import PdfWriter

from adapters.jobs.outbox import OutboxJobs, OutboxWorker
from adapters.jobs.runner import RetryPolicy
from core.models import Caseworker, Party, PartyKind, utcnow
from hub import Hub
from plugins.eboks.memo import (
    MEMO_NS,
    MemoDocument,
    MemoFile,
    MemoMessage,
    RecipientType,
    build_memo,
    serialize,
)
from tests.api.conftest import Keys, make_hub
from tests.api.multipart import form_data
from tests.fakes.sf1601.receipts import ReceiptReplayer
from tests.fakes.sf1601.service import FakeSf1601
from tests.fakes.sf1601.sts import FakeSts

NO_WORKER = "[jobs]\nworker_in_serve = false\n\n"
"""The tests run the jobs themselves, when they choose."""
RETURN_ADDRESS = '{ name = "Testrup Kommune", lines = ["Rådhuset", "4000 Roskilde"] }'


def plugin_blocks(base_url: str, token_url: str) -> str:
    """The eboks and print plugins' settings, reaching SF1601 at ``base_url``."""
    reach = f'base_url = "{base_url}"\ntoken_url = "{token_url}"\ntimeout_seconds = 5\n'
    return (
        f"[plugins.eboks]\n{reach}\n[plugins.print]\n{reach}"
        f"forsendelse_type = 265\nreturn_address = {RETURN_ADDRESS}\n"
    )


def letter_config(base_url: str, token_url: str) -> str:
    """``[plugins]`` and ``[ports]`` for Digital Post, then remote print."""
    return (
        '[plugins]\nenabled = ["eboks", "print"]\n\n[ports]\nletters = ["eboks", "print"]\n\n'
        + NO_WORKER
        + plugin_blocks(base_url, token_url)
    )


def a4_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595.28, height=841.89)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class Platform:
    sts: FakeSts
    sf1601: FakeSf1601
    base_url: str
    sts_url: str
    replayer: ReceiptReplayer


@dataclass
class LetterDesk:
    """The hub, its HTTP client with a caseworker's and an intake client's keys, the fakes."""

    hub: Hub
    http: TestClient
    caseworker: dict[str, str]
    intake_key: dict[str, str]
    platform: Platform

    def person(self, cpr: str, *, email: str | None = None, registered: bool = False) -> Party:
        """A citizen with a printable address (and Digital Post, if ``registered``)."""
        party = Party(
            municipality_id=self.hub.services.municipality.id,
            kind=PartyKind.PERSON,
            cpr=cpr,
            name="Mette Hansen",
            address_lines=["Testvej 3", "2300 København S"],
            email=email,
        )
        with self.hub.services.uow_factory(party.municipality_id) as uow:
            uow.parties.add(party)
            uow.commit()
        if registered:
            self.platform.sf1601.registered.add(cpr)
        return party

    def case_for(self, cpr: str) -> dict:
        response = self.http.post(
            "/api/cases/",
            json={
                "title": "Særlig støtte",
                "kle_subject": "27.24.00",
                "handlingsfacet": "G01",
                "primary_cpr": cpr,
            },
            headers=self.caseworker,
        )
        assert response.status_code == 201, response.text
        return response.json()

    def send(self, case_id: str, letter: dict, pdf: bytes | None = None):
        """POST a letter: JSON, or with ``pdf`` the letter and the PDF as form data."""
        url = f"/api/cases/{case_id}/letters"
        if pdf is None:
            return self.http.post(url, json=letter, headers=self.caseworker)
        body, content_type = form_data(
            [
                ("letter", None, "application/json", json.dumps(letter).encode()),
                ("file", "afgoerelse.pdf", "application/pdf", pdf),
            ]
        )
        return self.http.post(
            url, content=body, headers=self.caseworker | {"Content-Type": content_type}
        )

    def caseworker_reading_only(self) -> dict[str, str]:
        return Keys(self.hub).client("reader-01", "cases:read")

    def letter(self, letter_id: str) -> dict:
        response = self.http.get(f"/api/letters/{letter_id}", headers=self.caseworker)
        assert response.status_code == 200, response.text
        return response.json()

    def run_jobs(self, *, later: timedelta = timedelta(0)) -> int:
        """Run the due jobs as a worker would, ``later`` from now (to reach retries)."""
        municipality = self.hub.services.municipality
        jobs = OutboxJobs(
            self.hub.container.database().engine, municipality.id, clock=lambda: utcnow() + later
        )
        worker = OutboxWorker(jobs, self.hub.container.job_runner(), RetryPolicy())
        return worker.run_pending()

    def deliver_receipts(self, codes: list[str], *, repeat: int = 1) -> list:
        start = utcnow() - timedelta(minutes=10)
        deliveries = self.platform.replayer.receipts_for(
            self.platform.sf1601.accepted.values(), codes, start
        )
        return self.platform.replayer.replay(
            deliveries,
            lambda body: self.http.post(
                "/plugins/eboks/receipts", content=body, headers={"Content-Type": "text/xml"}
            ),
            repeat=repeat,
        )


def letter_hub(folder: Path, platform: Platform) -> Hub:
    return make_hub(folder, letter_config(platform.base_url, platform.sts_url + "token"))


def desk_for(hub: Hub, http: TestClient, platform: Platform) -> LetterDesk:
    keys = Keys(hub)
    with hub.services.uow_factory(hub.services.municipality.id) as uow:
        uow.caseworkers.add(
            Caseworker(municipality_id=uow.municipality_id, username="hanne", name="Hanne")
        )
        uow.commit()
    return LetterDesk(
        hub,
        http,
        keys.caseworker("hanne", "cases:read,cases:write,documents:read"),
        keys.client("e-boks-gateway", "intake"),
        platform,
    )


def citizen_reply(answers: str, cpr: str, municipality_cvr: str) -> bytes:
    """A MeMo message from the citizen ``cpr`` to the municipality, answering the message
    ``answers`` (its ReplyData), with one PDF."""
    message = build_memo(
        MemoMessage(
            message_uuid=uuid4(),
            label="Svar på afgørelse",
            sender_cvr=municipality_cvr,
            sender_label="Mette Hansen",
            recipient_id=municipality_cvr,
            recipient_type=RecipientType.CVR,
            created_at=utcnow(),
            main=MemoDocument(
                label="Mit svar",
                files=[
                    MemoFile(filename="svar.pdf", mime_type="application/pdf", content=a4_pdf())
                ],
            ),
        )
    )
    header = message.find(f"{{{MEMO_NS}}}MessageHeader")
    header.find(f"{{{MEMO_NS}}}Sender/{{{MEMO_NS}}}senderID").text = cpr
    header.find(f"{{{MEMO_NS}}}Sender/{{{MEMO_NS}}}idType").text = "CPR"
    reply = etree.SubElement(header, f"{{{MEMO_NS}}}ReplyData")
    etree.SubElement(reply, f"{{{MEMO_NS}}}messageUUID").text = answers
    return serialize(message)
