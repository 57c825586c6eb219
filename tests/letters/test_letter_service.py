"""The letter use cases: recorded and queued together, a channel chosen once, the same
message uuid on every retry, and no guess when a channel cannot answer."""

from __future__ import annotations

from uuid import uuid4

import pytest

from core.errors import InvalidValue, NotFound
from core.intake import CaseReference
from core.letters import LetterChoice, LetterEventSource
from core.models import Party, PartyKind
from core.services.letters import SEND_TASK, LetterNotSentYet, LetterRequest
from ports.integrations import LetterStatus, SendResult
from tests.letters.conftest import PDF
from tests.letters.fakes import transport_error
from tests.unit.builders import incoming


def ask(desk, **fields):
    request = {"case_id": desk.case.id, "document_id": desk.document.id, "title": "Afgørelse"}
    return desk.letters.request(LetterRequest(**(request | fields)), "caseworker:hanne")


def test_a_letter_is_recorded_queued_with_one_job_and_a_fresh_message_uuid(desk):
    first, second = ask(desk), ask(desk)
    assert first.status is LetterStatus.QUEUED and first.channel is None
    assert first.recipient_id == desk.child.id
    assert first.message_uuid != second.message_uuid
    jobs = desk.jobs()
    assert [(j.task, j.payload) for j in jobs] == [
        (SEND_TASK, {"letter_id": str(first.id)}),
        (SEND_TASK, {"letter_id": str(second.id)}),
    ]
    history = desk.letters.history(first.id, "caseworker:hanne")
    assert [(e.status, e.source) for e in history.events] == [
        (LetterStatus.QUEUED, LetterEventSource.HUB)
    ]


def test_a_refused_request_leaves_no_letter_and_no_job(desk):
    other_case = desk.world.case(desk.child)
    with pytest.raises(NotFound) as error:
        ask(desk, case_id=other_case.id)
    assert error.value.field == "document_id"
    with pytest.raises(NotFound) as error:
        ask(desk, recipient_party_id=desk.world.person("0202024321").id)
    assert error.value.field == "recipient"
    with pytest.raises(InvalidValue) as error:
        ask(desk, channel=LetterChoice.LOCAL_PRINT)
    assert error.value.field == "channel"
    with pytest.raises(InvalidValue) as error:
        ask(desk, channel=LetterChoice.EMAIL)
    assert (error.value.field, error.value.message) == (
        "recipient",
        "the recipient has no e-mail address",
    )
    assert desk.stored_letters() == [] and desk.jobs() == []


def test_any_known_party_may_be_named_by_cpr(desk):
    aunt = desk.world.person("0303751234")
    letter = ask(desk, recipient_cpr="0303751234")
    assert letter.recipient_id == aunt.id
    with pytest.raises(NotFound):
        ask(desk, recipient_cpr="0404801234")


def test_auto_sends_by_digital_post_to_a_registered_recipient(desk):
    letter = ask(desk)
    assert desk.letters.deliver(letter.id) is LetterStatus.SENT
    assert desk.eboks.sent == [letter.message_uuid] and desk.eboks.read == [PDF]
    assert desk.print.sent == [] and desk.print.asked == 0
    history = desk.letters.history(letter.id, "x")
    assert history.letter.channel == "eboks"
    assert [e.detail for e in history.events] == [
        "queued (auto)",
        "channel eboks: eboks reaches the recipient",
        "sent by eboks",
    ]


def test_auto_falls_back_to_remote_print_for_an_unregistered_recipient(desk):
    desk.eboks.reaches = False
    letter = ask(desk)
    assert desk.letters.deliver(letter.id) is LetterStatus.SENT
    assert desk.eboks.sent == [] and desk.print.sent == [letter.message_uuid]


def test_a_failed_registration_check_is_retried_later_never_guessed(desk):
    desk.eboks.unavailable = 1
    desk.eboks.reaches = False
    letter = ask(desk)
    with pytest.raises(LetterNotSentYet):
        desk.letters.deliver(letter.id)
    assert desk.print.asked == 0 and desk.print.sent == []
    waiting = desk.letters.history(letter.id, "x")
    assert waiting.letter.status is LetterStatus.QUEUED and waiting.letter.channel is None
    assert "asked again later" in waiting.events[-1].detail
    assert desk.letters.deliver(letter.id) is LetterStatus.SENT
    assert desk.print.sent == [letter.message_uuid]


def test_a_transport_error_is_retried_with_the_same_channel_and_message_uuid(desk):
    desk.eboks.answers = [transport_error("eboks"), transport_error("eboks")]
    letter = ask(desk)
    for _ in range(2):
        with pytest.raises(LetterNotSentYet):
            desk.letters.deliver(letter.id)
    desk.eboks.reaches = False  # the registration changed meanwhile: the choice stands
    assert desk.letters.deliver(letter.id) is LetterStatus.SENT
    assert desk.eboks.sent == [letter.message_uuid] * 3 and desk.print.sent == []
    assert desk.eboks.asked == 1


def test_a_repeated_job_does_not_send_again(desk):
    letter = ask(desk)
    desk.letters.deliver(letter.id)
    assert desk.letters.deliver(letter.id) is LetterStatus.SENT
    assert desk.eboks.sent == [letter.message_uuid]


def test_a_rejected_letter_fails_with_the_services_error(desk):
    desk.eboks.answers = [
        SendResult(
            status=LetterStatus.FAILED, channel="eboks", error_code="V1", error_text="not valid"
        )
    ]
    letter = ask(desk, channel=LetterChoice.DIGITAL_POST)
    assert desk.letters.deliver(letter.id) is LetterStatus.FAILED
    stored = desk.letters.history(letter.id, "x").letter
    assert (stored.error_code, stored.error_text) == ("V1", "not valid")
    assert desk.eboks.asked == 0  # asked for explicitly: no registration check


def test_no_channel_reaching_the_recipient_fails_the_letter(desk):
    desk.eboks.reaches = desk.print.reaches = False
    letter = ask(desk)
    assert desk.letters.deliver(letter.id) is LetterStatus.FAILED
    assert desk.letters.history(letter.id, "x").letter.error_code == "unreachable"


def test_email_is_handed_to_the_mail_client_and_not_queued(desk):
    mother = Party(
        municipality_id=desk.world.id,
        kind=PartyKind.PERSON,
        cpr="0505701234",
        name="Mor",
        email="mor@example.dk",
    )
    desk.world.add(parties=mother)
    letter = ask(desk, channel=LetterChoice.EMAIL, recipient_cpr="0505701234")
    assert (letter.status, letter.channel) == (LetterStatus.SENT, "email")
    assert desk.jobs() == []
    assert desk.letters.history(letter.id, "x").events[-1].detail == (
        "handed to the caseworker's mail client"
    )


def test_letters_unknown_to_the_hub_are_not_found(desk):
    with pytest.raises(NotFound):
        desk.letters.deliver(uuid4())


def test_an_uploaded_document_is_filed_with_the_letter_or_not_at_all(desk):
    def upload():
        return incoming(desk.blobs, b"%PDF-1.7 brev", case=CaseReference(case_id=desk.case.id))

    stranger = desk.world.person("0707071234")
    with pytest.raises(NotFound):
        desk.letters.request(
            LetterRequest(case_id=desk.case.id, title="x", recipient_party_id=stranger.id),
            "x",
            upload=upload(),
        )
    with desk.uow_factory(desk.world.id) as uow:
        assert len(uow.documents.links_for_case(desk.case.id)) == 1  # only the first one
    letter = desk.letters.request(
        LetterRequest(case_id=desk.case.id, title="Brev"), "x", upload=upload()
    )
    with desk.uow_factory(desk.world.id) as uow:
        linked = {link.document_id for link in uow.documents.links_for_case(desk.case.id)}
    assert letter.document_id in linked and len(linked) == 2
    with pytest.raises(InvalidValue) as error:
        desk.letters.request(LetterRequest(case_id=desk.case.id, title="x"), "x")
    assert error.value.field == "document_id"
