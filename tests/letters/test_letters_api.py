"""Letters over HTTP on a real hub (SQLite) with the eboks and print plugins against the
local fake Serviceplatform: 202 and status history, the channel rule, retries with the
same message uuid, receipts onto the case."""

from __future__ import annotations

import io
from datetime import timedelta
from uuid import UUID

from litestar.testing import TestClient
from pypdf import PdfReader

from hub import create_app
from tests.api.conftest import make_hub
from tests.config_files import isolate_environment
from tests.letters.hubs import NO_WORKER, a4_pdf, desk_for

CPR_REGISTERED = "0101901234"
CPR_UNREGISTERED = "0202024321"


def test_a_letter_to_a_registered_citizen_goes_by_digital_post_and_its_receipts_show(
    letter_desk,
):
    desk = letter_desk
    desk.person(CPR_REGISTERED, registered=True)
    case = desk.case_for(CPR_REGISTERED)
    response = desk.send(case["id"], {"title": "Afgørelse om støtte"}, pdf=a4_pdf())

    assert response.status_code == 202, response.text
    letter = response.json()
    assert response.headers["location"] == f"/api/letters/{letter['id']}"
    assert (letter["status"], letter["channel"], letter["requested"]) == ("queued", None, "auto")
    assert [e["detail"] for e in letter["history"]] == ["queued (auto)"]
    assert desk.platform.sf1601.accepted == {}  # queued, not sent in the request

    assert desk.run_jobs() == 1
    sent = desk.letter(letter["id"])
    assert (sent["status"], sent["channel"]) == ("sent", "eboks")
    (accepted,) = desk.platform.sf1601.accepted.values()
    assert UUID(accepted.message_uuid) == UUID(letter["message_uuid"])
    assert (accepted.kanal, accepted.recipient_id) == ("Digital Post", CPR_REGISTERED)

    answers = desk.deliver_receipts(["Modtaget Digital Post", "Afleveret Digital Post"])
    assert [a.status_code for a in answers] == [200, 200]
    delivered = desk.letter(letter["id"])
    assert delivered["status"] == "delivered"
    receipts = [e for e in delivered["history"] if e["source"] == "receipt"]
    assert [(e["status_code"], e["status"]) for e in receipts] == [
        ("Modtaget Digital Post", "sent"),
        ("Afleveret Digital Post", "delivered"),
    ]
    on_case = desk.http.get(f"/api/cases/{case['id']}/letters", headers=desk.caseworker).json()
    assert [(item["id"], item["status"]) for item in on_case] == [(letter["id"], "delivered")]
    # the uploaded PDF was filed on the case, and the letter names it
    detail = desk.http.get(f"/api/cases/{case['id']}", headers=desk.caseworker).json()
    assert letter["document_id"] in {d["id"] for d in detail["documents"]}


def test_an_unregistered_citizen_gets_remote_print(letter_desk):
    desk = letter_desk
    desk.person(CPR_UNREGISTERED)
    case = desk.case_for(CPR_UNREGISTERED)
    letter = desk.send(case["id"], {"title": "Indkaldelse"}, pdf=a4_pdf()).json()
    desk.run_jobs()
    assert desk.letter(letter["id"])["channel"] == "print"
    (accepted,) = desk.platform.sf1601.accepted.values()
    assert (accepted.kombi, accepted.kanal) == ("Fysisk Post", "Fysisk Post")
    assert accepted.forsendelse is not None and accepted.memo is None
    assert UUID(accepted.message_uuid) == UUID(letter["message_uuid"])


def test_a_lost_answer_is_retried_with_the_same_uuid_and_one_letter_exists(letter_desk):
    desk = letter_desk
    desk.person(CPR_REGISTERED, registered=True)
    case = desk.case_for(CPR_REGISTERED)
    letter = desk.send(case["id"], {"title": "Afgørelse"}, pdf=a4_pdf()).json()
    desk.platform.sf1601.lose_answers = 1

    assert desk.run_jobs() == 1
    waiting = desk.letter(letter["id"])
    assert (waiting["status"], waiting["channel"]) == ("queued", "eboks")
    assert "same message uuid" in waiting["history"][-1]["detail"]
    assert desk.run_jobs() == 0  # the retry waits for its backoff

    assert desk.run_jobs(later=timedelta(hours=2)) == 1
    assert desk.letter(letter["id"])["status"] == "sent"
    sf1601 = desk.platform.sf1601
    assert list(sf1601.accepted) == [letter["message_uuid"]]
    assert sf1601.duplicates == 1  # the second send carried the same uuid, and was dropped


def test_a_failed_registration_check_waits_instead_of_guessing(letter_desk):
    desk = letter_desk
    desk.person(CPR_REGISTERED, registered=True)
    case = desk.case_for(CPR_REGISTERED)
    letter = desk.send(case["id"], {"title": "Afgørelse"}, pdf=a4_pdf()).json()
    desk.platform.sf1601.fail_next = [503]  # PostForespoerg answers 503

    desk.run_jobs()
    waiting = desk.letter(letter["id"])
    assert (waiting["status"], waiting["channel"]) == ("queued", None)
    assert desk.platform.sf1601.accepted == {}
    desk.run_jobs(later=timedelta(hours=2))
    assert desk.letter(letter["id"])["channel"] == "eboks"


def test_a_document_on_the_case_can_be_sent_to_any_known_party(letter_desk):
    desk = letter_desk
    desk.person(CPR_REGISTERED)
    desk.person(CPR_UNREGISTERED, registered=True)
    case = desk.case_for(CPR_REGISTERED)
    first = desk.send(case["id"], {"title": "Afgørelse"}, pdf=a4_pdf()).json()
    response = desk.send(
        case["id"],
        {
            "title": "Kopi til forælder",
            "document_id": first["document_id"],
            "recipient_cpr": CPR_UNREGISTERED,
            "channel": "digital_post",
        },
    )
    assert response.status_code == 202, response.text
    desk.run_jobs()
    kanaler = {a.recipient_id: a.kanal for a in desk.platform.sf1601.accepted.values()}
    assert kanaler[CPR_UNREGISTERED] == "Digital Post"


def test_bad_letters_are_refused_as_problems_and_leave_nothing(letter_desk):
    desk = letter_desk
    desk.person(CPR_REGISTERED)
    case = desk.case_for(CPR_REGISTERED)
    url = f"/api/cases/{case['id']}/letters"
    local = desk.send(case["id"], {"title": "x", "channel": "local_print"}, pdf=a4_pdf())
    assert local.status_code == 422
    assert (local.json()["field"], local.headers["content-type"]) == (
        "channel",
        "application/problem+json",
    )
    not_pdf = desk.send(case["id"], {"title": "x"}, pdf=b"PK\x03\x04 a zip")
    assert (not_pdf.status_code, not_pdf.json()["field"]) == (422, "file")
    no_document = desk.send(case["id"], {"title": "x"})
    assert (no_document.status_code, no_document.json()["field"]) == (422, "document_id")
    long_title = desk.send(case["id"], {"title": "x" * 300}, pdf=a4_pdf())
    assert (long_title.status_code, long_title.json()["field"]) == (422, "title")
    text = desk.http.post(url, content=b"hello", headers=desk.caseworker)
    assert text.status_code == 415
    reader = desk.http.post(url, json={"title": "x"}, headers=desk.intake_key)
    assert reader.status_code == 403
    assert desk.http.get(url, headers=desk.caseworker).json() == []
    detail = desk.http.get(f"/api/cases/{case['id']}", headers=desk.caseworker).json()
    assert detail["documents"] == []


def test_the_receipt_endpoint_needs_no_api_key_but_the_letters_do(letter_desk):
    desk = letter_desk
    assert desk.http.get("/api/letters/00000000-0000-4000-8000-000000000000").status_code == 401
    answer = desk.http.post("/plugins/eboks/receipts", content=b"<x/>")
    assert answer.status_code == 400 and b"StandardRetur" in answer.content


def test_a_locally_printed_letter_is_sent_and_downloaded_as_one_pdf(
    tmp_path, platform, monkeypatch
):
    isolate_environment(monkeypatch)
    hub = make_hub(
        tmp_path,
        '[plugins]\nenabled = ["print"]\n\n[ports]\nletters = ["local_print"]\n\n' + NO_WORKER,
    )
    try:
        with TestClient(create_app(hub)) as http:
            desk = desk_for(hub, http, platform)
            desk.person(CPR_REGISTERED)
            case = desk.case_for(CPR_REGISTERED)
            letter = desk.send(
                case["id"], {"title": "Brev", "channel": "local_print"}, pdf=a4_pdf()
            ).json()
            url = f"/api/letters/{letter['id']}/pdf"
            assert http.get(url, headers=desk.caseworker).status_code == 404  # not sent yet
            desk.run_jobs()
            assert desk.letter(letter["id"])["status"] == "sent"
            pdf = http.get(url, headers=desk.caseworker)
            assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
            assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1
            assert platform.sf1601.calls == 0
    finally:
        hub.close()
