"""Sample snapshots and file bytes for the contract suites.

Built from the domain models only, so a vendor's tests need nothing but ``core`` and
``ports``. Every call makes new ids, so cases and documents never collide between tests.
"""

from __future__ import annotations

import hashlib
import io
import itertools
from datetime import date
from typing import BinaryIO

from core.models import (
    Case,
    CaseParty,
    CasePartyRole,
    CaseStatus,
    Caseworker,
    Document,
    DocumentLink,
    Municipality,
    Part,
    Party,
    PartyKind,
    Variant,
    utcnow,
)
from ports.snapshots import CaseSnapshot, DocumentSnapshot

CHILD_CPR = "0101150123"
MOTHER_CPR = "0202851234"
SCHOOL_CVR = "29189129"
CASEWORKER = "hanne"
_sequence = itertools.count(1)


def municipality() -> Municipality:
    return Municipality(name="Roskilde Kommune", cvr="29188386", code="265")


class SampleParts:
    """File bytes by sha256, with ``open`` shaped like :data:`ports.integrations.OpenPart`."""

    def __init__(self) -> None:
        self._bytes: dict[str, bytes] = {}

    def add(self, data: bytes, *, name: str = "brev.pdf", mime_type: str = "application/pdf"):
        sha256 = hashlib.sha256(data).hexdigest()
        self._bytes[sha256] = data
        return Part(name=name, mime_type=mime_type, size=len(data), sha256=sha256)

    def open(self, sha256: str) -> BinaryIO:
        return io.BytesIO(self._bytes[sha256])


def case_snapshot(
    *,
    title: str = "Underretning om Ida",
    cpr: str = CHILD_CPR,
    status: CaseStatus = CaseStatus.OPEN,
    other_parties: bool = False,
    documents: int = 0,
    of: Municipality | None = None,
) -> CaseSnapshot:
    """An open child-welfare case about ``cpr`` with a caseworker.

    ``other_parties`` adds a parent (CPR) and a school (CVR); ``documents`` links that
    many documents (metadata only: a case exporter never reads files).
    """
    m = of or municipality()
    child = Party(municipality_id=m.id, kind=PartyKind.PERSON, cpr=cpr, name="Ida Hansen")
    parties = [child]
    if other_parties:
        parties += [
            Party(municipality_id=m.id, kind=PartyKind.PERSON, cpr=MOTHER_CPR, name="Mor Hansen"),
            Party(municipality_id=m.id, kind=PartyKind.COMPANY, cvr=SCHOOL_CVR, name="Skolen"),
        ]
    worker = Caseworker(municipality_id=m.id, username=CASEWORKER, name="Hanne Sagsbehandler")
    case = Case(
        municipality_id=m.id,
        number=f"27.24.00-G01-{next(_sequence)}-24",
        title=title,
        kle_subject="27.24.00",
        handlingsfacet="G01",
        status=status,
        caseworker_id=worker.id,
        parties=[CaseParty(party_id=child.id, role=CasePartyRole.PRIMARY)]
        + [CaseParty(party_id=p.id, role=CasePartyRole.OTHER) for p in parties[1:]],
        closed_at=utcnow() if status is CaseStatus.CLOSED else None,
    )
    docs = [
        _document(m, f"Dokument {i + 1}", SampleParts().add(f"doc {i}".encode()), [child.id])
        for i in range(documents)
    ]
    return CaseSnapshot(
        municipality=m,
        case=case,
        caseworker=worker,
        parties=parties,
        activities=[],
        documents=docs,
        links=[DocumentLink(document_id=d.id, case_id=case.id) for d in docs],
        journal_notes=[],
        placements=[],
        taken_at=utcnow(),
    )


def _document(m: Municipality, title: str, part: Part, party_ids: list) -> Document:
    return Document(
        municipality_id=m.id,
        title=title,
        letter_date=date(2024, 2, 28),
        sender_system="sagshub",
        message_id=f"sample-{next(_sequence)}",
        party_ids=party_ids,
        variants=[Variant(name="arkiv", parts=[part])],
    )


def document_snapshot(
    case: CaseSnapshot,
    parts: SampleParts,
    *,
    title: str = "Underretning fra skolen",
    content: bytes = b"%PDF-1.7 underretning",
    file_name: str = "underretning.pdf",
    mime_type: str = "application/pdf",
) -> DocumentSnapshot:
    """A one-file document on ``case``, its bytes held by ``parts``."""
    part = parts.add(content, name=file_name, mime_type=mime_type)
    primary = [p for p in case.parties if p.id == case.case.primary_party_id]
    document = _document(case.municipality, title, part, [p.id for p in primary])
    return DocumentSnapshot(
        municipality=case.municipality,
        document=document,
        links=[DocumentLink(document_id=document.id, case_id=case.case.id)],
        parties=primary,
    )
