"""E-mail in (an .eml or .msg filed on a case, within limits) and out (a mailto: link
whose subject carries the case tag)."""

from __future__ import annotations

from email.message import EmailMessage
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from adapters.email.messages import EmailLimits, msg_contents, read_eml, read_msg
from core.errors import InvalidValue, PayloadRejected
from tests.letters.hubs import a4_pdf

EML = {"Content-Type": "message/rfc822"}


def email(subject="Svar på brev", *, attachments=1, html=True) -> bytes:
    message = EmailMessage()
    message["From"] = "Mette Hansen <mette@example.dk>"
    message["To"] = "hanne@kommune.dk"
    message["Subject"] = subject
    message["Date"] = "Mon, 03 Jun 2024 09:15:00 +0200"
    message["Message-ID"] = "<svar-1@example.dk>"
    message.set_content("Tak for brevet.\nVenlig hilsen Mette")
    if html:
        message.add_alternative("<p>Tak for brevet.</p>", subtype="html")
    for i in range(attachments):
        message.add_attachment(
            a4_pdf(), maintype="application", subtype="pdf", filename=f"bilag {i}.pdf"
        )
    return message.as_bytes()


def nested(depth: int) -> bytes:
    inner = EmailMessage()
    inner.set_content("bund")
    for _ in range(depth):
        outer = EmailMessage()
        outer.make_mixed()
        outer.attach(inner)
        inner = outer
    inner["Subject"] = "dyb"
    return inner.as_bytes()


def test_an_eml_is_filed_on_the_case_with_its_bodies_and_attachments(letter_desk):
    desk = letter_desk
    desk.person("0101901234")
    case = desk.case_for("0101901234")
    url = f"/api/cases/{case['id']}/emails"
    mail = email(attachments=2)
    response = desk.http.post(url, content=mail, headers=desk.caseworker | EML)

    assert response.status_code == 201, response.text
    receipt = response.json()
    assert (receipt["case_id"], receipt["rule"]) == (case["id"], "case_reference")
    document = desk.http.get(f"/api/documents/{receipt['document_id']}", headers=desk.caseworker)
    found = document.json()["document"]
    assert found["title"] == "Svar på brev" and found["channel"] == "email"
    variants = {
        v["name"]: [(p["name"], p["mime_type"]) for p in v["parts"]] for v in found["variants"]
    }
    assert variants == {
        "original": [("Svar på brev.eml", "message/rfc822")],
        "arkiv": [
            ("besked.txt", "text/plain"),
            ("besked.html", "text/html"),
            ("bilag 0.pdf", "application/pdf"),
            ("bilag 1.pdf", "application/pdf"),
        ],
    }
    text = next(p for v in found["variants"] if v["name"] == "arkiv" for p in v["parts"])
    with desk.hub.services.blobs.open(text["sha256"]) as stored:
        assert stored.read().decode().startswith("Tak for brevet.")
    again = desk.http.post(url, content=mail, headers=desk.caseworker | EML)
    assert (again.status_code, again.json()["document_id"]) == (200, receipt["document_id"])
    # the same Message-ID with other bytes is another message: refused, not overwritten
    other = desk.http.post(url, content=email(attachments=1), headers=desk.caseworker | EML)
    assert (other.status_code, other.json()["field"]) == (409, "message_id")


def test_an_email_may_go_on_an_activity_of_the_case(letter_desk):
    desk = letter_desk
    desk.person("0101901234")
    case = desk.case_for("0101901234")
    activity = desk.http.post(
        f"/api/cases/{case['id']}/activities",
        json={"title": "Møde", "kind": "moede"},
        headers=desk.caseworker,
    ).json()
    response = desk.http.post(
        f"/api/cases/{case['id']}/emails",
        params={"activity_id": activity["id"]},
        content=email(),
        headers=desk.caseworker | EML,
    )
    assert (response.json()["target"], response.json()["activity_id"]) == (
        "activity",
        activity["id"],
    )


def test_hostile_emails_are_refused_and_leave_nothing(letter_desk):
    desk = letter_desk
    desk.person("0101901234")
    case = desk.case_for("0101901234")
    url = f"/api/cases/{case['id']}/emails"
    deep = desk.http.post(url, content=nested(12), headers=desk.caseworker | EML)
    assert (deep.status_code, deep.json()["field"]) == (400, "email")
    assert deep.json()["type"] == "urn:sagshub:problem:payload-rejected"
    assert "nested deeper" in deep.json()["detail"]
    many = desk.http.post(
        url, content=email(attachments=51, html=False), headers=desk.caseworker | EML
    )
    assert many.status_code == 400 and "attachments" in many.json()["detail"]
    broken_msg = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert desk.http.post(url, content=broken_msg, headers=desk.caseworker | EML).status_code == 422
    assert desk.http.post(url, content=b"  ", headers=desk.caseworker | EML).status_code == 422
    pdf = desk.http.post(
        url, content=email(), headers=desk.caseworker | {"Content-Type": "application/pdf"}
    )
    assert pdf.status_code == 415
    reader = desk.caseworker_reading_only()
    assert desk.http.post(url, content=email(), headers=reader | EML).status_code == 403
    detail = desk.http.get(f"/api/cases/{case['id']}", headers=desk.caseworker).json()
    assert detail["documents"] == []
    staged = desk.hub.services.blobs.staging
    assert list(staged.iterdir()) == []


def test_the_limits_count_parts_and_size():
    with pytest.raises(PayloadRejected):
        read_eml(email(attachments=3), EmailLimits(max_parts=4))
    with pytest.raises(PayloadRejected):
        read_eml(email(), EmailLimits(max_bytes=100))
    read = read_eml(email(attachments=0, html=False))
    assert (read.subject, read.message_id, read.attachments) == (
        "Svar på brev",
        "<svar-1@example.dk>",
        [],
    )
    assert read.sent_at is not None and read.sent_at.utcoffset() is not None
    with pytest.raises(InvalidValue):
        read_msg(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)


def test_an_outlook_message_is_read_by_its_parts():
    attachment = SimpleNamespace(
        data=b"%PDF-1.7 x",
        longFilename="afgørelse/kopi.pdf",
        shortFilename=None,
        displayName=None,
        mimetype="application/pdf",
    )
    message = SimpleNamespace(
        subject="  Svar\r\n på brev [sag 27.24.00-G01-5-24] ",
        sender="mette@example.dk",
        to="hanne@kommune.dk",
        date=None,
        messageId=" <x@y> ",
        body="Tak",
        htmlBody=b"<p>Tak</p>",
        attachments=[attachment],
    )
    read = msg_contents(message, EmailLimits())
    assert read.subject == "Svar på brev [sag 27.24.00-G01-5-24]"
    assert (read.message_id, read.html, read.text) == ("<x@y>", "<p>Tak</p>", "Tak")
    assert [(a.name, a.mime_type) for a in read.attachments] == [
        ("afgørelse_kopi.pdf", "application/pdf")
    ]
    embedded = SimpleNamespace(**{**vars(attachment), "data": object()})
    with pytest.raises(PayloadRejected):
        msg_contents(SimpleNamespace(**{**vars(message), "attachments": [embedded]}), EmailLimits())
    with pytest.raises(PayloadRejected):
        msg_contents(
            SimpleNamespace(**{**vars(message), "attachments": [attachment] * 3}),
            EmailLimits(max_attachments=2),
        )


def test_mailto_carries_the_case_tag_and_the_primary_partys_address(letter_desk):
    desk = letter_desk
    desk.person("0101901234", email="mette@example.dk")
    case = desk.case_for("0101901234")
    response = desk.http.get(
        f"/api/cases/{case['id']}/mailto",
        params={"subject": "Møde", "body": "Hej Mette"},
        headers=desk.caseworker,
    )
    assert response.status_code == 200, response.text
    link = response.json()
    tag = f"[sag {case['number']}]"
    assert (link["to"], link["subject"], link["body"]) == (
        "mette@example.dk",
        f"Møde {tag}",
        "Hej Mette",
    )
    parts = urlsplit(link["mailto"])
    assert (parts.scheme, parts.path) == ("mailto", "mette@example.dk")
    assert parse_qs(parts.query) == {"subject": [f"Møde {tag}"], "body": ["Hej Mette"]}

    desk.person("0202024321")
    other = desk.case_for("0202024321")
    bare = desk.http.get(f"/api/cases/{other['id']}/mailto", headers=desk.caseworker).json()
    assert bare["to"] is None and bare["mailto"].startswith("mailto:?subject=")
    assert bare["subject"] == f"Særlig støtte [sag {other['number']}]"
