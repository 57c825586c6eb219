"""A citizen's Digital Post reply arrives at the eboks plugin's endpoint and lands on the
case of the letter it answers (reply_to from MeMo ReplyData)."""

from __future__ import annotations

from uuid import uuid4

from tests.letters.hubs import a4_pdf, citizen_reply

CPR = "0101901234"
XML = {"Content-Type": "application/xml"}


def test_a_reply_to_our_letter_lands_on_the_letters_case(letter_desk):
    desk = letter_desk
    desk.person(CPR, registered=True)
    case = desk.case_for(CPR)
    desk.case_for(CPR)  # a second open case: the CPR alone would not place it
    letter = desk.send(case["id"], {"title": "Afgørelse"}, pdf=a4_pdf()).json()
    desk.run_jobs()
    cvr = desk.hub.services.municipality.cvr
    reply = citizen_reply(letter["message_uuid"], CPR, cvr)

    response = desk.http.post("/plugins/eboks/replies", content=reply, headers=XML)
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert (receipt["target"], receipt["case_id"], receipt["rule"]) == (
        "case",
        case["id"],
        "letter_reply",
    )
    again = desk.http.post("/plugins/eboks/replies", content=reply, headers=XML)
    assert (again.status_code, again.json()["document_id"]) == (200, receipt["document_id"])
    document = desk.http.get(
        f"/api/documents/{receipt['document_id']}", headers=desk.caseworker
    ).json()["document"]
    assert document["channel"] == "digital_post_reply"
    assert [v["name"] for v in document["variants"]] == ["arkiv", "original"]


def test_a_reply_to_no_letter_of_ours_is_placed_by_the_party(letter_desk):
    desk = letter_desk
    desk.person(CPR)
    case = desk.case_for(CPR)
    reply = citizen_reply(str(uuid4()), CPR, desk.hub.services.municipality.cvr)
    receipt = desk.http.post("/plugins/eboks/replies", content=reply, headers=XML).json()
    assert (receipt["case_id"], receipt["rule"]) == (case["id"], "party_cpr")


def test_an_invalid_reply_is_refused_and_leaves_nothing(letter_desk):
    desk = letter_desk
    bad = b'<memo:Message xmlns:memo="https://DigitalPost.dk/MeMo-1" memoVersion="1.2"/>'
    response = desk.http.post("/plugins/eboks/replies", content=bad, headers=XML)
    assert (response.status_code, response.json()["field"]) == (422, "memo")
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    assert desk.http.post("/plugins/eboks/replies", content=doctype, headers=XML).status_code == 400
    assert list(desk.hub.services.blobs.staging.iterdir()) == []
