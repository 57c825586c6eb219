"""A rich case and document, built from the core's models, for the export tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

from core.models import (
    Activity,
    Case,
    CaseParty,
    CasePartyRole,
    CaseStatus,
    Caseworker,
    Document,
    DocumentLink,
    JournalNote,
    Municipality,
    Part,
    Party,
    PartyKind,
    Variant,
)
from ports.snapshots import CaseSnapshot, DocumentSnapshot

T0 = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
CHILD_CPR = "0101150123"
SHA_A = "a" * 64
SHA_B = "b" * 64


def municipality() -> Municipality:
    return Municipality(name="Roskilde Kommune", cvr="29188386", code="265")


def document(municipality_id: UUID, *, title: str = "Underretning fra skolen") -> Document:
    return Document(
        municipality_id=municipality_id,
        title=title,
        letter_date=date(2024, 2, 28),
        document_number="U-2024-17",
        doc_type="Brev, indgaaende",
        sender_system="skole-esdh",
        message_id=f"msg-{uuid4()}",
        variants=[
            Variant(
                name="arkiv",
                parts=[
                    Part(
                        name="underretning.pdf",
                        mime_type="application/pdf",
                        size=2048,
                        sha256=SHA_A,
                    ),
                ],
            ),
            Variant(
                name="produktion",
                parts=[
                    Part(
                        name="underretning.docx",
                        size=4096,
                        sha256=SHA_B,
                        mime_type="application/vnd.openxmlformats-officedocument"
                        ".wordprocessingml.document",
                    ),
                ],
            ),
        ],
        received_at=T0 + timedelta(days=1),
    )


def rich_case(*, closed: bool = True, long_title: bool = True) -> CaseSnapshot:
    """A closed case with a caseworker, a child and a parent, an activity with a document,
    a loose document, and a journal note with non-ASCII text."""
    m = municipality()
    child = Party(municipality_id=m.id, kind=PartyKind.PERSON, cpr=CHILD_CPR, name="Ida Barn")
    mother = Party(municipality_id=m.id, kind=PartyKind.PERSON, cpr="0202851234", name="Mor Barn")
    school = Party(municipality_id=m.id, kind=PartyKind.COMPANY, cvr="29188386")
    worker = Caseworker(municipality_id=m.id, username="abc", name="Anne Bech")
    title = "Børnefaglig undersøgelse " + ("x" * 300 if long_title else "")
    case = Case(
        municipality_id=m.id,
        number="27.24.00-G01-5-24",
        title=title,
        kle_subject="27.24.00",
        handlingsfacet="G01",
        status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
        caseworker_id=worker.id,
        parties=[
            CaseParty(party_id=child.id, role=CasePartyRole.PRIMARY),
            CaseParty(party_id=mother.id, role=CasePartyRole.OTHER),
            CaseParty(party_id=school.id, role=CasePartyRole.OTHER),
        ],
        created_at=T0,
        updated_at=T0 + timedelta(days=5),
        closed_at=T0 + timedelta(days=5) if closed else None,
    )
    activity = Activity(
        municipality_id=m.id,
        case_id=case.id,
        title="Møde med familien",
        kind="møde",
        created_at=T0 + timedelta(hours=2),
    )
    on_activity = document(m.id)
    loose = document(m.id, title="Skolens udtalelse " + "y" * 300)
    links = [
        DocumentLink(
            document_id=on_activity.id,
            case_id=case.id,
            activity_id=activity.id,
            linked_at=T0 + timedelta(days=1, minutes=1),
        ),
        DocumentLink(document_id=loose.id, case_id=case.id, linked_at=T0 + timedelta(days=2)),
    ]
    note = JournalNote(
        municipality_id=m.id,
        case_id=case.id,
        activity_id=activity.id,
        author_id=worker.id,
        title="Samtale med mor",
        text="Mor fortæller om skolegang; æøå <&> er ok.",
        created_at=T0 + timedelta(days=3),
    )
    return CaseSnapshot(
        municipality=m,
        case=case,
        caseworker=worker,
        parties=[child, mother, school],
        activities=[activity],
        documents=[on_activity, loose],
        links=links,
        journal_notes=[note],
        placements=[],
        taken_at=T0 + timedelta(days=6),
    )


def document_snapshot(case: CaseSnapshot) -> DocumentSnapshot:
    doc = case.documents[0]
    return DocumentSnapshot(
        municipality=case.municipality,
        document=doc.model_copy(update={"party_ids": [case.parties[0].id]}),
        links=[link for link in case.links if link.document_id == doc.id],
        parties=[case.parties[0]],
    )
