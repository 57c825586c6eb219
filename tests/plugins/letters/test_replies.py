from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID, uuid4

import pytest
from lxml import etree

from core.intake import IncomingDocument, IncomingVariant, StagedPart
from core.models import Case, CaseParty, Municipality, Party, PartyKind, PlacementTarget
from core.placement import PlacementEngine, seed_chain
from core.rules import PlacementContext, PlacementPolicy
from plugins.eboks.memo import MEMO_NS
from plugins.eboks.replies import LetterReplyRule, replied_message_uuids
from plugins.eboks.xmlsafe import hardened_parser
from tests.plugins.letters.builders import CPR

TOWN = Municipality(name="Roskilde Kommune", cvr="29188386")
CHILD = Party(municipality_id=TOWN.id, kind=PartyKind.PERSON, cpr=CPR, name="Emil")


def case(number: str) -> Case:
    return Case(
        municipality_id=TOWN.id,
        number=number,
        title="Sag",
        kle_subject="27.24.00",
        handlingsfacet="G01",
        parties=[CaseParty(party_id=CHILD.id)],
    )


LETTER_CASE, OTHER_CASE = case("27.24.00-G01-5-24"), case("27.24.00-G01-6-24")


@dataclass
class Lookup:
    """A placement lookup that also knows which case each letter went out on."""

    letters: dict[UUID, UUID] = field(default_factory=dict)
    cases: tuple[Case, ...] = (LETTER_CASE, OTHER_CASE)

    def case_by_id(self, case_id):
        return next((c for c in self.cases if c.id == case_id), None)

    def case_by_number(self, number):
        return next((c for c in self.cases if c.number == number), None)

    def activity(self, activity_id):
        return None

    def party_by_cpr(self, cpr):
        return CHILD if cpr == CHILD.cpr else None

    def open_cases_for_party(self, party_id):
        return list(self.cases) if party_id == CHILD.id else []

    def caseworker(self, username):
        return None

    def case_for_letter_message(self, message_uuid):
        return self.letters.get(message_uuid)


class PlainLookup(Lookup):
    case_for_letter_message = None


def reply(reply_to: str | None) -> IncomingDocument:
    part = StagedPart(
        name="svar.pdf", mime_type="application/pdf", size=1, sha256="a" * 64, staging_token="t"
    )
    return IncomingDocument(
        sender_system="digital_post",
        message_id=str(uuid4()),
        title="Svar",
        cprs=[CPR],
        reply_to=reply_to,
        variants=[IncomingVariant(name="arkiv", parts=[part])],
    )


def place(document: IncomingDocument, lookup) -> object:
    engine = PlacementEngine(seed_chain([LetterReplyRule()]))
    return engine.decide(
        PlacementContext(document=document, lookup=lookup, policy=PlacementPolicy())
    )


def test_a_reply_lands_on_the_case_the_letter_went_out_on_before_the_cpr_guess():
    letter_uuid = uuid4()
    decision = place(reply(str(letter_uuid)), Lookup(letters={letter_uuid: LETTER_CASE.id}))
    assert (decision.rule, decision.target, decision.case_id) == (
        "letter_reply",
        PlacementTarget.CASE,
        LETTER_CASE.id,
    )
    assert decision.evidence == {
        "letter_message_uuid": str(letter_uuid),
        "case_number": "27.24.00-G01-5-24",
    }


@pytest.mark.parametrize("reply_to", [None, "not-a-uuid", str(uuid4())])
def test_without_a_known_letter_the_next_rules_decide(reply_to):
    decision = place(reply(reply_to), Lookup())
    assert decision.rule != "letter_reply"


def test_a_letter_whose_case_is_gone_is_no_correlation():
    letter_uuid = uuid4()
    decision = place(reply(str(letter_uuid)), Lookup(letters={letter_uuid: uuid4()}))
    assert decision.rule != "letter_reply"


def test_a_lookup_that_cannot_find_letters_passes_the_document_on():
    letter_uuid = uuid4()
    lookup = PlainLookup(letters={letter_uuid: LETTER_CASE.id})
    assert (
        LetterReplyRule().decide(
            PlacementContext(
                document=reply(str(letter_uuid)), lookup=lookup, policy=PlacementPolicy()
            )
        )
        is None
    )


def test_the_replied_uuids_are_read_from_replydata_without_the_message_own(standards_dir):
    sample = etree.parse(
        str(standards_dir / "memo/samples/MeMo_Full_Example.xml"), hardened_parser()
    ).getroot()
    assert replied_message_uuids(sample) == [UUID("8C2EA15D-61FB-4BA9-9366-42F8B194C657")]


def test_a_citizens_reply_names_our_letter():
    ours, theirs = uuid4(), uuid4()
    xml = f"""<memo:Message xmlns:memo="{MEMO_NS}" memoVersion="1.2"><memo:MessageHeader>
      <memo:messageType>DIGITALPOST</memo:messageType><memo:messageUUID>{theirs}</memo:messageUUID>
      <memo:ReplyData><memo:messageUUID>{ours}</memo:messageUUID></memo:ReplyData>
      <memo:ReplyData><memo:messageUUID>{theirs}</memo:messageUUID>
        <memo:replyUUID>{ours}</memo:replyUUID></memo:ReplyData>
    </memo:MessageHeader></memo:Message>"""
    assert replied_message_uuids(etree.fromstring(xml)) == [ours]
