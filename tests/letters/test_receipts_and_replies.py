"""Receipts back onto letters (the hub's ReceiptStore), replies and e-mails correlated to
their case (the lookup the reply rule needs, the case-tag rule), and filing on a case."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from core.correlation import CaseTagRule
from core.errors import InvalidValue
from core.intake import CaseReference
from core.letters import LetterEventSource, case_numbers_tagged, case_tag, mailto_link
from core.models import CaseStatus, Channel, PlacementTarget
from core.placement import seed_chain
from core.rules import PlacementPolicy
from core.services.intake import IntakeService
from core.services.letters import LetterRequest
from core.services.lookup import UowPlacementLookup
from plugins.eboks.receipts import ReceiptHandler, ReceiptVerdict
from plugins.eboks.replies import LetterReplyRule
from ports.integrations import LetterStatus
from ports.letters import LetterCaseLookup, Receipt, ReceiptStatus
from tests.unit.builders import incoming


def sent_letter(desk):
    letter = desk.letters.request(
        LetterRequest(case_id=desk.case.id, document_id=desk.document.id, title="Afgørelse"),
        "caseworker:hanne",
    )
    desk.letters.deliver(letter.id)
    return letter


def receipt(letter, status, code, minute, receipt_id=None):
    return Receipt(
        receipt_id=receipt_id or str(uuid4()),
        message_uuid=letter.message_uuid,
        status=status,
        status_code=code,
        occurred_at=datetime(2024, 6, 1, 10, minute, tzinfo=UTC),
        channel="Digital Post",
    )


def test_receipts_move_the_letter_and_join_its_history_once(desk):
    letter = sent_letter(desk)
    handler = ReceiptHandler(desk.receipts)
    delivered = receipt(letter, ReceiptStatus.DELIVERED, "Leveret", 5)
    assert handler.handle(receipt(letter, ReceiptStatus.PENDING, "Modtaget", 1)) is (
        ReceiptVerdict.APPLY
    )
    assert handler.handle(delivered) is ReceiptVerdict.APPLY
    assert handler.handle(delivered) is ReceiptVerdict.DUPLICATE
    assert handler.handle(receipt(letter, ReceiptStatus.PENDING, "Modtaget", 2)) is (
        ReceiptVerdict.OUT_OF_ORDER
    )
    history = desk.letters.history(letter.id, "x")
    assert history.letter.status is LetterStatus.DELIVERED
    receipts = [e for e in history.events if e.source is LetterEventSource.RECEIPT]
    assert [(e.status_code, e.status) for e in receipts] == [
        ("Modtaget", LetterStatus.SENT),
        ("Leveret", LetterStatus.DELIVERED),
    ]
    assert desk.receipts.latest_receipt(letter.message_uuid) == delivered


def test_applying_the_same_receipt_twice_records_it_once(desk):
    letter = sent_letter(desk)
    failed = receipt(letter, ReceiptStatus.FAILED, "Fejlet", 3)
    failed = failed.model_copy(update={"error_code": "E12", "error_text": "ukendt modtager"})
    assert desk.receipts.apply_receipt(failed) is True
    assert desk.receipts.apply_receipt(failed) is True
    assert desk.receipts.has_receipt(failed.receipt_id)
    history = desk.letters.history(letter.id, "x")
    assert sum(e.receipt_id == failed.receipt_id for e in history.events) == 1
    assert (history.letter.status, history.letter.error_code) == (LetterStatus.FAILED, "E12")


def test_a_receipt_for_an_unknown_letter_is_not_applied(desk):
    stranger = Receipt(
        receipt_id="r-1",
        message_uuid=uuid4(),
        status=ReceiptStatus.DELIVERED,
        status_code="Leveret",
        occurred_at=datetime(2024, 6, 1, tzinfo=UTC),
    )
    assert desk.receipts.apply_receipt(stranger) is False
    assert desk.receipts.latest_receipt(stranger.message_uuid) is None
    assert not desk.receipts.has_receipt("r-1")


def test_a_receipt_before_the_send_result_keeps_the_letter_delivered(desk):
    letter = desk.letters.request(
        LetterRequest(case_id=desk.case.id, document_id=desk.document.id, title="Afgørelse"),
        "x",
    )
    desk.receipts.apply_receipt(receipt(letter, ReceiptStatus.DELIVERED, "Leveret", 1))
    assert desk.letters.deliver(letter.id) is LetterStatus.DELIVERED
    assert desk.eboks.sent == []  # no longer queued: a receipt says it went out


def test_the_lookup_finds_the_case_a_letter_went_out_on(desk):
    letter = sent_letter(desk)
    with desk.uow_factory(desk.world.id) as uow:
        lookup = UowPlacementLookup(uow)
        assert isinstance(lookup, LetterCaseLookup)
        assert lookup.case_for_letter_message(letter.message_uuid) == desk.case.id
        assert lookup.case_for_letter_message(uuid4()) is None


def test_a_digital_post_reply_lands_on_the_letters_case(desk):
    letter = sent_letter(desk)
    other_case = desk.world.case(desk.child)  # the CPR alone would not decide: two cases
    intake = IntakeService(
        desk.uow_factory,
        desk.blobs,
        desk.world.id,
        seed_chain([LetterReplyRule()]),
        PlacementPolicy(),
    )
    answer = intake.receive(
        incoming(
            desk.blobs,
            b"%PDF-1.7 svar",
            channel=Channel.DIGITAL_POST_REPLY,
            cprs=[desk.child.cpr],
            reply_to=str(letter.message_uuid),
        )
    )
    assert (answer.target, answer.case_id, answer.rule) == (
        PlacementTarget.CASE,
        desk.case.id,
        "letter_reply",
    )
    assert answer.case_id != other_case.id


def test_case_tags_are_written_and_read_back():
    assert case_tag("27.24.00-G01-5-24") == "[sag 27.24.00-G01-5-24]"
    subject = "SV: Møde [SAG 27.24.00-g01-5-24] og [sag 27.24.00-G01-5-24], [sag 1-2]"
    assert case_numbers_tagged(subject) == ["27.24.00-G01-5-24"]
    assert mailto_link("a.b@example.dk", "Møde [sag 27.24.00-G01-5-24]", "Hej\nmed venlig") == (
        "mailto:a.b@example.dk?subject=M%C3%B8de%20%5Bsag%2027.24.00-G01-5-24%5D"
        "&body=Hej%0Amed%20venlig"
    )
    assert mailto_link(None, "x") == "mailto:?subject=x"


def test_an_email_with_a_case_tag_lands_on_that_case(desk):
    closed = desk.world.case(desk.child, status=CaseStatus.CLOSED)
    intake = IntakeService(
        desk.uow_factory, desk.blobs, desk.world.id, seed_chain([CaseTagRule()]), PlacementPolicy()
    )

    def email(subject):
        return intake.receive(
            incoming(desk.blobs, channel=Channel.EMAIL, cprs=[desk.child.cpr], subject_hint=subject)
        )

    tagged = email(f"Re: Afgørelse {case_tag(closed.number)}")
    assert (tagged.case_id, tagged.rule) == (closed.id, "case_tag")
    assert "closed" in tagged.reason
    unknown = email("Re: [sag 27.24.00-G01-999-99]")
    assert unknown.rule == "party_cpr"  # the tag names no case: the next rules decide
    both = email(f"{case_tag(closed.number)} {case_tag(desk.case.number)}")
    assert both.rule != "case_tag"


def test_filing_puts_the_document_on_the_named_case_whatever_it_says(desk):
    other_case = desk.world.case(desk.world.person("0606061234"))
    receipt_ = desk.intake.file(
        incoming(
            desk.blobs,
            channel=Channel.EMAIL,
            cprs=[desk.child.cpr],
            subject_hint=case_tag(desk.case.number),
            case=CaseReference(case_id=other_case.id),
        )
    )
    assert (receipt_.case_id, receipt_.rule) == (other_case.id, "case_reference")
    with pytest.raises(InvalidValue) as error:
        desk.intake.file(incoming(desk.blobs))
    assert error.value.field == "case"
    assert desk.blobs.staged_tokens == frozenset()
