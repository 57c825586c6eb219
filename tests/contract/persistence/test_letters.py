"""Letters and their status history: round trip, order, one receipt id per municipality."""

from __future__ import annotations

import pytest

from core.errors import Conflict, NotAllowed
from core.letters import Letter, LetterEvent, LetterEventSource
from core.models import utcnow
from ports.integrations import LetterStatus

from .conftest import add_municipality


def letter_on(world, municipality, **fields) -> Letter:
    return Letter(
        municipality_id=municipality.id,
        case_id=world.case.id,
        recipient_id=world.person.id,
        document_id=world.document.id,
        main_sha256=world.document.variants[0].parts[0].sha256,
        title="Afgørelse",
        created_by="caseworker:hanne",
        **fields,
    )


def event(letter: Letter, detail: str, **fields) -> LetterEvent:
    return LetterEvent(
        letter_id=letter.id,
        status=fields.pop("status", letter.status),
        source=fields.pop("source", LetterEventSource.HUB),
        detail=detail,
        **fields,
    )


def test_a_letter_and_its_history_round_trip_in_order(open_uow, world, municipality):
    letter = letter_on(world, municipality, notification="Du har post")
    with open_uow() as uow:
        uow.letters.add(letter)
        uow.letters.add_event(event(letter, "queued"))
        uow.commit()
    with open_uow() as uow:
        stored = uow.letters.get(letter.id)
        stored.status, stored.channel = LetterStatus.SENT, "eboks"
        stored.updated_at = utcnow()
        uow.letters.update(stored)
        for detail in ("channel eboks", "sent by eboks"):
            uow.letters.add_event(event(stored, detail))
        uow.letters.add_event(
            event(
                stored,
                "receipt",
                source=LetterEventSource.RECEIPT,
                status=LetterStatus.DELIVERED,
                receipt_id="besked-1",
                status_code="Afleveret Digital Post",
                occurred_at=utcnow(),
            )
        )
        uow.commit()
    with open_uow() as uow:
        found = uow.letters.get_by_message_uuid(letter.message_uuid)
        assert found == stored
        assert uow.letters.list_for_case(world.case.id) == [stored]
        history = uow.letters.events(letter.id)
        assert [e.detail for e in history] == [
            "queued",
            "channel eboks",
            "sent by eboks",
            "receipt",
        ]
        assert uow.letters.event_for_receipt("besked-1") == history[-1]
        assert uow.letters.event_for_receipt("besked-2") is None


def test_a_receipt_id_is_applied_once(uow_factory, open_uow, world, municipality):
    letter = letter_on(world, municipality)
    with open_uow() as uow:
        uow.letters.add(letter)
        uow.commit()
    first, second = open_uow(), open_uow()
    with first, second:
        for uow in (first, second):
            uow.letters.add_event(event(letter, "receipt", receipt_id="besked-7"))
        first.commit()
        with pytest.raises(Conflict):
            second.commit()
    with open_uow() as uow:
        assert [e.receipt_id for e in uow.letters.events(letter.id)] == ["besked-7"]


def test_another_municipalitys_letters_are_out_of_reach(uow_factory, open_uow, world, municipality):
    letter = letter_on(world, municipality)
    with open_uow() as uow:
        uow.letters.add(letter)
        uow.commit()
    neighbour = add_municipality(uow_factory)
    with uow_factory(neighbour.id) as uow:
        assert uow.letters.get(letter.id) is None
        assert uow.letters.get_by_message_uuid(letter.message_uuid) is None
        assert uow.letters.list_for_case(world.case.id) == []
        with pytest.raises(NotAllowed):
            uow.letters.add_event(event(letter, "not mine"))
        with pytest.raises(NotAllowed):
            uow.letters.add(letter)
