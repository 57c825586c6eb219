"""Cases, parties, letters and files for the letter plugins' tests."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID, uuid4

from pypdf import PdfWriter

from core.models import (
    Case,
    CaseParty,
    Document,
    DocumentLink,
    Municipality,
    Part,
    Party,
    PartyKind,
    Variant,
)
from ports.integrations import OutgoingLetter
from ports.snapshots import CaseSnapshot

A4 = (595.28, 841.89)
LETTER = (612, 792)
CPR = "0101901234"
CVR_MUNICIPALITY = "29188386"
CVR_COMPANY = "10150817"


def pdf_bytes(*sizes: tuple[float, float]) -> bytes:
    """A PDF with one blank page of each size (points)."""
    writer = PdfWriter()
    for width, height in sizes or (A4,):
        writer.add_blank_page(width=width, height=height)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@dataclass
class LetterWorld:
    """A municipality with one case, its documents and files in an in-memory blob map."""

    municipality: Municipality = field(
        default_factory=lambda: Municipality(name="Roskilde Kommune", cvr=CVR_MUNICIPALITY)
    )
    blobs: dict[str, bytes] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)

    def person(self, *, name: str = "Mette Hansen", lines: list[str] | None = None) -> Party:
        party = Party(
            municipality_id=self.municipality.id,
            kind=PartyKind.PERSON,
            cpr=CPR,
            name=name,
            address_lines=["Testvej 3", "2300 København S"] if lines is None else lines,
        )
        self.parties.append(party)
        return party

    def company(self, *, name: str = "Firma A/S") -> Party:
        party = Party(
            municipality_id=self.municipality.id,
            kind=PartyKind.COMPANY,
            cvr=CVR_COMPANY,
            name=name,
            address_lines=["Erhvervsvej 1", "4000 Roskilde"],
        )
        self.parties.append(party)
        return party

    def file(self, content: bytes, *, name: str, mime: str, title: str | None = None) -> str:
        sha = hashlib.sha256(content).hexdigest()
        self.blobs[sha] = content
        part = Part(name=name, mime_type=mime, size=len(content), sha256=sha)
        self.documents.append(
            Document(
                municipality_id=self.municipality.id,
                title=title or name,
                sender_system="sagshub",
                message_id=str(uuid4()),
                variants=[Variant(name="arkiv", parts=[part])],
            )
        )
        return sha

    def open_part(self, sha256: str) -> io.BytesIO:
        return io.BytesIO(self.blobs[sha256])

    def snapshot(self) -> CaseSnapshot:
        party = self.parties[0] if self.parties else self.person()
        case = Case(
            municipality_id=self.municipality.id,
            number="27.24.00-G01-5-24",
            title="Underretning",
            kle_subject="27.24.00",
            handlingsfacet="G01",
            parties=[CaseParty(party_id=party.id)],
        )
        return CaseSnapshot(
            municipality=self.municipality,
            case=case,
            caseworker=None,
            parties=self.parties,
            activities=[],
            documents=self.documents,
            links=[DocumentLink(document_id=d.id, case_id=case.id) for d in self.documents],
            journal_notes=[],
            placements=[],
            taken_at=datetime(2024, 6, 1, 10, 0, tzinfo=UTC),
        )

    def letter(
        self,
        recipient: Party,
        main_sha: str,
        *attachments: str,
        message_uuid: UUID | None = None,
        notification: str | None = "Du har fået post fra kommunen",
    ) -> OutgoingLetter:
        return OutgoingLetter(
            letter_id=uuid4(),
            message_uuid=message_uuid or uuid4(),
            case=self.snapshot(),
            recipient=recipient,
            title="Afgørelse om støtte",
            notification=notification,
            main_document_sha256=main_sha,
            attachment_sha256s=list(attachments),
        )
