"""Issue 6, end to end: from the demo municipality (``sagshub demo``), on the real hub
(SQLite, the eboks and print plugins bound to the local fake Serviceplatform), a
caseworker sends letters to a registered citizen (Digital Post) and an unregistered one
(remote print) and sees the receipts on the cases; an e-mail and a Digital Post reply
land on the right cases."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from litestar.testing import TestClient
from lxml import etree

from adapters.cli.main import migrated_hub
from adapters.demo import create_demo
from adapters.settings import load_settings
from core.letters import case_tag
from core.models import CaseStatus, utcnow
from hub import build_hub, create_app
from tests.api.multipart import form_data
from tests.config_files import isolate_environment
from tests.letters.hubs import NO_WORKER, a4_pdf, citizen_reply, plugin_blocks

DISABLED = "[plugins]\nenabled = []\n"


def make_demo(folder: Path, platform) -> tuple[Path, dict[str, str]]:
    """The demo, with its plugins enabled for letters; its config file and API keys."""
    summary = create_demo(folder, migrated_hub)
    config = summary.folder / "sagshub.toml"
    text = config.read_text(encoding="utf-8")
    # what the municipality does to send letters: enable the plugins, bind the port
    for before, after in (
        ("[plugins]\nenabled = []\n", '[plugins]\nenabled = ["eboks", "print"]\n'),
        (
            '[ports]\nnotifier = "none"\n',
            '[ports]\nnotifier = "none"\nletters = ["eboks", "print"]\n',
        ),
    ):
        assert before in text
        text = text.replace(before, after)
    text += "\n" + NO_WORKER + plugin_blocks(platform.base_url, platform.sts_url + "token")
    config.write_text(text, encoding="utf-8")
    return config, {name: key for name, _, key in summary.keys}


@pytest.fixture
def demo(tmp_path, platform, monkeypatch):
    isolate_environment(monkeypatch)
    config, keys = make_demo(tmp_path / "demo", platform)
    hub = build_hub(load_settings(config))
    try:
        with TestClient(create_app(hub)) as http:
            yield hub, http, keys
    finally:
        hub.close()


def children_with_one_open_case(hub):
    """(party, case) of demo children with exactly one open case, and one with several."""
    with hub.services.uow_factory(hub.services.municipality.id) as uow:
        cases = [c for c in uow.cases.list(limit=500).items if c.status is CaseStatus.OPEN]
        by_party: dict = {}
        for case in cases:
            by_party.setdefault(case.primary_party_id, []).append(case)
        single = [(uow.parties.get(p), cs[0]) for p, cs in by_party.items() if len(cs) == 1]
        several = [(uow.parties.get(p), cs) for p, cs in by_party.items() if len(cs) > 1]
    return single, several


def test_letters_receipts_email_and_reply_from_the_demo(demo, platform):
    hub, http, keys = demo
    anne = {"Authorization": f"Bearer {keys['anha']}"}  # the demo caseworker's own key
    gateway = hub.services.clients.issue("mail-gateway", ["intake"]).key
    single, several = children_with_one_open_case(hub)
    (registered, registered_case), (unregistered, unregistered_case) = single[0], single[1]
    platform.sf1601.registered.add(registered.cpr)

    def send(case_id, title):
        body, content_type = form_data(
            [
                ("letter", None, "application/json", json.dumps({"title": title}).encode()),
                ("file", "brev.pdf", "application/pdf", a4_pdf()),
            ]
        )
        response = http.post(
            f"/api/cases/{case_id}/letters",
            content=body,
            headers=anne | {"Content-Type": content_type},
        )
        assert response.status_code == 202, response.text
        return response.json()

    digital = send(registered_case.id, "Afgørelse om støtte")
    printed = send(unregistered_case.id, "Indkaldelse til møde")
    hub.jobs.run_pending()

    by_uuid = platform.sf1601.accepted
    assert by_uuid[digital["message_uuid"]].kanal == "Digital Post"
    assert by_uuid[digital["message_uuid"]].recipient_id == registered.cpr
    assert by_uuid[printed["message_uuid"]].kanal == "Fysisk Post"
    envelope = etree.fromstring(by_uuid[printed["message_uuid"]].forsendelse)
    assert unregistered.address_lines[0] in set(envelope.itertext())  # printed to its address
    assert len(by_uuid) == 2

    # Beskedfordeler reports back; the receipts show on the cases
    replayer = platform.replayer
    start = utcnow() - timedelta(minutes=5)
    deliveries = replayer.receipts_for(
        [by_uuid[digital["message_uuid"]]],
        ["Modtaget Digital Post", "Afleveret Digital Post"],
        start,
    ) + replayer.receipts_for(
        [by_uuid[printed["message_uuid"]]], ["Afsendt", "Modtaget PostDanmark"], start
    )
    for body in deliveries:
        answer = http.post("/plugins/eboks/receipts", content=body)
        assert answer.status_code == 200 and b"<StatusKode>20</StatusKode>" in answer.content

    for case, channel in ((registered_case, "eboks"), (unregistered_case, "print")):
        (letter,) = http.get(f"/api/cases/{case.id}/letters", headers=anne).json()
        assert (letter["status"], letter["channel"]) == ("delivered", channel)
        assert [e["source"] for e in letter["history"]][-2:] == ["receipt", "receipt"]

    # an e-mail whose subject carries the tag of one of a child's several cases
    child, cases = several[0]
    tagged = cases[-1]
    metadata = {
        "sender": {"system": "mail-gateway", "message_id": "<svar-42@example.dk>"},
        "channel": "email",
        "document": {"titel": "Svar fra familien"},
        "parties": [f"urn:oio:cpr-nr:{child.cpr}"],
        "subject": f"SV: Møde {case_tag(tagged.number)}",
        "variants": [
            {
                "name": "arkiv",
                "parts": [{"file_name": "svar.txt", "mime_type": "text/plain", "file": "f1"}],
            }
        ],
    }
    body, content_type = form_data(
        [
            ("metadata", None, "application/json", json.dumps(metadata).encode()),
            ("f1", "svar.txt", "text/plain", b"Vi kommer gerne til modet."),
        ]
    )
    placed = http.post(
        "/api/documents",
        content=body,
        headers={"Authorization": f"Bearer {gateway}", "Content-Type": content_type},
    )
    assert placed.status_code == 201, placed.text
    assert (placed.json()["case_id"], placed.json()["rule"]) == (str(tagged.id), "case_tag")

    # the citizen answers the Digital Post letter
    reply = citizen_reply(digital["message_uuid"], registered.cpr, hub.services.municipality.cvr)
    answered = http.post(
        "/plugins/eboks/replies", content=reply, headers={"Content-Type": "application/xml"}
    )
    assert answered.status_code == 201, answered.text
    assert (answered.json()["case_id"], answered.json()["rule"]) == (
        str(registered_case.id),
        "letter_reply",
    )
    detail = http.get(f"/api/cases/{registered_case.id}", headers=anne).json()
    assert answered.json()["document_id"] in {d["id"] for d in detail["documents"]}
