"""Test data for the archive plugin: real small files, snapshots and an in-memory blob store."""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import BinaryIO
from uuid import uuid4

from PIL import Image, ImageDraw

from core.errors import NotFound
from core.models import (
    Activity,
    Case,
    CaseParty,
    CasePartyRole,
    CaseStatus,
    Caseworker,
    Channel,
    Document,
    DocumentLink,
    JournalNote,
    Municipality,
    Part,
    Party,
    PartyKind,
    Placement,
    PlacementTarget,
    Variant,
)
from ports.snapshots import CaseSnapshot

CPR = "0101901234"


def pdf_bytes(pages: int, label: str = "Side") -> bytes:
    """A real PDF with ``pages`` pages (Pillow's PDF writer), each page numbered."""
    images = [Image.new("RGB", (300, 420), "white") for _ in range(pages)]
    for number, image in enumerate(images, start=1):
        ImageDraw.Draw(image).text((30, 30), f"{label} {number}", fill="black")
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return buffer.getvalue()


def png_bytes(colour: tuple[int, int, int, int] = (200, 30, 30, 160)) -> bytes:
    """A small PNG with transparency."""
    buffer = io.BytesIO()
    Image.new("RGBA", (120, 80), colour).save(buffer, "PNG")
    return buffer.getvalue()


def tiff_bytes(compression: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 120, 200)).save(buffer, "TIFF", compression=compression)
    return buffer.getvalue()


def eml_bytes(*, signed: bool = True) -> bytes:
    """An e-mail: plain and HTML body, an attached PDF (2 pages), an inline PNG, a signature."""
    boundary, alternative = "MIXED", "ALT"
    png = base64.encodebytes(png_bytes()).decode()
    pdf = base64.encodebytes(pdf_bytes(2, "Bilag")).decode()
    signature = (
        f"--{boundary}\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
        "Content-Disposition: attachment; filename=smime.p7s\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\nAAAA\r\n"
        if signed
        else ""
    )
    return (
        "From: Forælder <parent@example.dk>\r\nTo: Sagsbehandler <cw@kommune.dk>\r\n"
        "Subject: Svar på brev\r\nDate: Mon, 01 Jan 2024 10:00:00 +0000\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary={boundary}\r\n\r\n"
        f"--{boundary}\r\nContent-Type: multipart/alternative; boundary={alternative}\r\n\r\n"
        f"--{alternative}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Hej\r\nHer er svaret på jeres brev.\r\n"
        f"--{alternative}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        "<p>Hej</p><p>Her er svaret.</p>\r\n"
        f"--{alternative}--\r\n"
        f"--{boundary}\r\nContent-Type: image/png\r\nContent-Disposition: inline; "
        f"filename=foto.png\r\nContent-Transfer-Encoding: base64\r\n\r\n{png}\r\n"
        f"--{boundary}\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
        f"filename=bilag.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n"
        f"{signature}--{boundary}--\r\n"
    ).encode()


TEXT = ("Journal fra mødet.\n\tPunkt 1: Æbler og øl.\n" * 30).encode("cp1252")


@dataclass
class Blobs:
    """The blob store's ``open`` over bytes kept in memory; counts every open."""

    data: dict[str, bytes] = field(default_factory=dict)
    opened: int = 0

    def part(self, name: str, mime_type: str, content: bytes) -> Part:
        sha256 = hashlib.sha256(content).hexdigest()
        self.data[sha256] = content
        return Part(name=name, mime_type=mime_type, size=len(content), sha256=sha256)

    def open(self, sha256: str) -> BinaryIO:
        self.opened += 1
        if sha256 not in self.data:
            raise NotFound(f"no blob {sha256}")
        return io.BytesIO(self.data[sha256])


MUNICIPALITY = Municipality(name="Roskilde Kommune", cvr="29188386", code="265")


def document(blobs: Blobs, title: str, *files: tuple[str, str, bytes], **extra) -> Document:
    return Document(
        municipality_id=MUNICIPALITY.id,
        title=title,
        sender_system=extra.pop("sender_system", "ESDH"),
        message_id=str(uuid4()),
        channel=extra.pop("channel", Channel.ESDH),
        letter_date=extra.pop("letter_date", date(2023, 5, 1)),
        variants=[Variant(name="arkiv", parts=[blobs.part(*f) for f in files])],
        **extra,
    )


def standard_documents(blobs: Blobs, label: str) -> list[Document]:
    """One of each kind the converter handles without LibreOffice."""
    return [
        document(blobs, f"Brev {label}", ("brev.pdf", "application/pdf", pdf_bytes(2))),
        document(blobs, f"Foto {label}", ("foto.png", "image/png", png_bytes())),
        document(blobs, f"Notat {label}", ("notat.txt", "text/plain", TEXT)),
        document(blobs, f"Mail {label}", ("svar.eml", "message/rfc822", eml_bytes())),
    ]


def snapshot(
    number: int,
    documents: list[Document],
    *,
    shared: list[Document] = (),
    closed_at: datetime | None = datetime(2023, 12, 1, tzinfo=UTC),
) -> CaseSnapshot:
    """A closed case with a child (CPR), a company, an activity, a note and a placement."""
    municipality_id = MUNICIPALITY.id
    child = Party(municipality_id=municipality_id, kind=PartyKind.PERSON, cpr=CPR, name="Barn")
    school = Party(
        municipality_id=municipality_id, kind=PartyKind.COMPANY, cvr="29188386", name="Skole"
    )
    case = Case(
        municipality_id=municipality_id,
        number=f"27.24.00-G01-{number}-23",
        title=f"Sag om barn {number}",
        kle_subject="27.24.00",
        handlingsfacet="G01",
        status=CaseStatus.CLOSED if closed_at else CaseStatus.OPEN,
        created_at=datetime(2023, 1, number, tzinfo=UTC),
        closed_at=closed_at,
        parties=[
            CaseParty(party_id=child.id),
            CaseParty(party_id=school.id, role=CasePartyRole.OTHER),
        ],
    )
    worker = Caseworker(municipality_id=municipality_id, username="kbh", name="Karen B. Hansen")
    meeting = Activity(municipality_id=municipality_id, case_id=case.id, title="Børnesamtale")
    all_documents = [*documents, *shared]
    links = [
        DocumentLink(document_id=d.id, case_id=case.id, activity_id=meeting.id if i == 0 else None)
        for i, d in enumerate(all_documents)
    ]
    note = JournalNote(
        municipality_id=municipality_id,
        case_id=case.id,
        activity_id=meeting.id,
        author_id=worker.id,
        title="Samtale",
        text="Barnet fortalte om skolen.\nAlt vel.",
    )
    placements = [
        Placement(
            municipality_id=municipality_id,
            document_id=placed.id,
            target=PlacementTarget.CASE,
            case_id=case.id,
            rule="case_reference",
            reason="sagsnummeret stod i forsendelsen",
            evidence={"case_number": case.number, "cpr": CPR},
        )
        for placed in all_documents[:1]
    ]
    return CaseSnapshot(
        municipality=MUNICIPALITY,
        case=case,
        caseworker=worker,
        parties=[child, school],
        activities=[meeting],
        documents=all_documents,
        links=links,
        journal_notes=[note],
        placements=placements,
        taken_at=datetime(2024, 1, 1, tzinfo=UTC),
    )


def two_cases(blobs: Blobs) -> list[CaseSnapshot]:
    """Two cases of four documents each, plus one document on both: nine documents."""
    decision = ("afgoerelse.pdf", "application/pdf", pdf_bytes(3))
    shared = document(blobs, "Fælles afgørelse", decision)
    return [
        snapshot(1, standard_documents(blobs, "A"), shared=[shared]),
        snapshot(2, standard_documents(blobs, "B"), shared=[shared]),
    ]
