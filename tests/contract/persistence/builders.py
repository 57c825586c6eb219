"""Valid domain objects with every field set, unique where the schema needs it."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from core.models import (
    Activity,
    Case,
    CaseParty,
    CasePartyRole,
    Caseworker,
    Channel,
    Document,
    Municipality,
    Part,
    Party,
    PartyKind,
    Variant,
)
from core.values import format_case_number

_serials = itertools.count(1000)
_random = random.Random()
BASE_TIME = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    """A fixed, timezone-aware moment: ``minutes`` after BASE_TIME."""
    return BASE_TIME + timedelta(minutes=minutes)


def new_cpr() -> str:
    return f"0103{_random.randint(0, 99):02d}{next(_serials) % 10000:04d}"


def new_cvr() -> str:
    weights = (2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [_random.randint(1, 9), *(_random.randint(0, 9) for _ in range(6))]
        check = -sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def municipality() -> Municipality:
    return Municipality(name="Testkommune", cvr=new_cvr(), code=f"{_random.randint(100, 999)}")


def person(municipality_id: UUID, **fields: object) -> Party:
    values = {
        "cpr": new_cpr(),
        "name": "Anna Jensen",
        "address_lines": ["Algade 1", "4000 Roskilde"],
    }
    return Party(municipality_id=municipality_id, kind=PartyKind.PERSON, **values | fields)


def company(municipality_id: UUID) -> Party:
    return Party(
        municipality_id=municipality_id,
        kind=PartyKind.COMPANY,
        cvr=new_cvr(),
        name="Firma ApS",
        address_lines=["Havnevej 2"],
    )


def caseworker(municipality_id: UUID, username: str | None = None) -> Caseworker:
    return Caseworker(
        municipality_id=municipality_id,
        username=username or f"sb{next(_serials)}",
        name="Sara Sagsbehandler",
        email="sara@example.dk",
        active=False,
    )


def case(
    municipality_id: UUID,
    *parties: Party,
    sequence: int | None = None,
    created: int = 0,
    **fields: object,
) -> Case:
    number = format_case_number("27.24.00", "G01", sequence or next(_serials), 2024)
    values = {
        "number": number,
        "title": "Underretning",
        "kle_subject": "27.24.00",
        "handlingsfacet": "G01",
        "created_at": at(created),
        "updated_at": at(created + 1),
        "parties": [CaseParty(party_id=p.id, role=CasePartyRole.PRIMARY) for p in parties],
    }
    return Case(municipality_id=municipality_id, **values | fields)


def activity(case: Case, created: int = 0) -> Activity:
    return Activity(
        municipality_id=case.municipality_id,
        case_id=case.id,
        title="Møde",
        kind="møde",
        created_at=at(created),
    )


def part(sha256: str | None = None, name: str = "brev.pdf") -> Part:
    return Part(
        name=name,
        mime_type="application/pdf",
        size=5_000_000_000,
        sha256=sha256 or f"{_random.getrandbits(256):064x}",
    )


def document(
    municipality_id: UUID,
    *parties: Party,
    channel: Channel = Channel.SCANNING,
    variants: list[Variant] | None = None,
) -> Document:
    return Document(
        municipality_id=municipality_id,
        title="Brev fra skolen",
        letter_date=date(2024, 2, 29),
        document_number="D-17",
        doc_type="Brev, indgaaende",
        sensitivity="fortrolig",
        channel=channel,
        sender_system="scanning",
        message_id=f"msg-{next(_serials)}",
        party_ids=[p.id for p in parties],
        received_at=at(5),
        variants=variants or [Variant(name="arkiv", parts=[part()])],
    )
