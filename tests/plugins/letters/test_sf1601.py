from __future__ import annotations

import logging
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest
from lxml import etree

from core.errors import InvalidValue
from plugins.eboks.channel import DigitalPostChannel
from plugins.eboks.memo import MEMO_NS, MemoSchema
from plugins.eboks.sf1601 import (
    KombiOutcome,
    KombiValgKode,
    Sf1601Client,
    kombi_request,
)
from plugins.eboks.tokens import TokenEndpointProvider
from ports.integrations import LetterStatus
from ports.letters import ChannelUnavailable
from ports.tokens import AccessToken
from tests.plugins.letters.builders import CPR, CVR_COMPANY, pdf_bytes

PDF = pdf_bytes()


@pytest.fixture
def channel(platform, standards_dir) -> DigitalPostChannel:
    return DigitalPostChannel(client=platform.client(), schema=MemoSchema(standards_dir))


def a_letter(world, **changes):
    party = changes.pop("party", None) or world.person()
    return world.letter(party, world.file(PDF, name="brev.pdf", mime="application/pdf"), **changes)


def test_a_letter_goes_out_as_digital_post_and_the_service_finds_it_valid(world, platform, channel):
    platform.sf1601.registered.add(CPR)
    letter = a_letter(world)
    result = channel.send(letter, world.open_part)
    assert (result.status, result.retry, result.channel) == (LetterStatus.SENT, False, "eboks")
    taken = platform.sf1601.accepted[str(letter.message_uuid)]
    assert (taken.kombi, taken.kanal, taken.recipient_id) == ("Digital Post", "Digital Post", CPR)
    memo = etree.fromstring(taken.memo)
    assert memo.findtext(f".//{{{MEMO_NS}}}caseID") == "27.24.00-G01-5-24"


def test_a_transport_error_is_retried_with_the_same_uuid_and_sent_once(world, platform, channel):
    letter = a_letter(world)
    platform.sf1601.fail_next.append(503)
    first = channel.send(letter, world.open_part)
    assert (first.status, first.retry) == (LetterStatus.QUEUED, True)
    assert platform.sf1601.accepted == {}
    second = channel.send(letter, world.open_part)
    assert second.status is LetterStatus.SENT
    assert list(platform.sf1601.accepted) == [str(letter.message_uuid)]


def test_a_retry_after_a_lost_answer_is_no_second_letter(world, platform, channel):
    letter = a_letter(world)
    assert channel.send(letter, world.open_part).status is LetterStatus.SENT
    assert channel.send(letter, world.open_part).status is LetterStatus.SENT
    assert len(platform.sf1601.accepted) == 1
    assert platform.sf1601.duplicates == 1


def test_a_refused_letter_keeps_fejlkode_and_fejltekst_and_is_not_retried(world, platform, channel):
    request = channel.prepare(a_letter(world), world.open_part)
    request.find(f".//{{{MEMO_NS}}}label").text = "x" * 300  # the schema allows 256
    result = platform.client().send_kombi(request)
    assert result.outcome is KombiOutcome.REJECTED
    assert result.error_code == "V1"
    assert "MeMo is not valid" in result.error_text
    send_result = result.send_result("eboks")
    assert (send_result.status, send_result.retry) == (LetterStatus.FAILED, False)
    assert send_result.error_code == "V1"


def test_a_refused_token_is_forgotten_and_the_retry_gets_a_new_one(world, platform, channel):
    assert channel.send(a_letter(world), world.open_part).status is LetterStatus.SENT
    platform.sts.revoke_all()
    letter = a_letter(world)
    first = channel.send(letter, world.open_part)
    assert (first.status, first.retry) == (LetterStatus.QUEUED, True)
    assert channel.send(letter, world.open_part).status is LetterStatus.SENT
    assert platform.sts.requests.count("http://entityid.kombit.dk/service/kombipostafsend/1") == 2


def test_no_token_is_a_transport_error(world, platform, channel):
    platform.sts.refuse = True
    result = channel.send(a_letter(world), world.open_part)
    assert (result.status, result.retry) == (LetterStatus.QUEUED, True)
    assert platform.sf1601.calls == 0


def test_an_unreachable_service_is_a_transport_error(world, platform, standards_dir):
    tokens = TokenEndpointProvider(platform.sts_url + "token", http=platform.http)
    client = Sf1601Client("http://127.0.0.1:9/", tokens, http=platform.http)
    channel = DigitalPostChannel(client=client, schema=MemoSchema(standards_dir))
    result = channel.send(a_letter(world), world.open_part)
    assert (result.status, result.retry) == (LetterStatus.QUEUED, True)
    assert "ConnectError" in result.error_text


def test_a_letter_that_cannot_be_built_fails_before_anything_is_sent(world, platform, channel):
    letter = a_letter(world)
    world.blobs[letter.main_document_sha256] = b"MZ" + PDF[2:]
    result = channel.send(letter, world.open_part)
    assert (result.status, result.retry) == (LetterStatus.FAILED, False)
    assert result.error_code == "invalid:main.files[0]"
    assert platform.sf1601.calls == 0


def test_postforespoerg_answers_whether_a_person_or_company_is_registered(world, platform, channel):
    person, company = world.person(), world.company()
    assert channel.accepts(person) is False
    assert channel.accepts(company) is False
    platform.sf1601.registered.update({CPR, CVR_COMPANY})
    assert channel.accepts(person) is True
    assert channel.accepts(company) is True


@pytest.mark.parametrize("status", [500, 503, 429, 400])
def test_a_failed_lookup_raises_instead_of_guessing(world, platform, channel, status):
    platform.sf1601.fail_next.append(status)
    with pytest.raises(ChannelUnavailable):
        channel.accepts(world.person())


def test_no_cpr_number_reaches_the_log(world, platform, channel, caplog):
    caplog.set_level(logging.DEBUG)
    channel.accepts(world.person())
    channel.send(a_letter(world), world.open_part)
    assert caplog.records, "httpx and the client log their requests"
    assert all(CPR not in record.getMessage() for record in caplog.records)
    assert any("010190-XXXX" in record.getMessage() for record in caplog.records)


# The answer mapping, against answers the fake does not give.


class StaticTokens:
    """A token provider that always has the same token."""

    def __init__(self) -> None:
        self.forgotten: list[str] = []

    def access_token(self, audience: str) -> AccessToken:
        return AccessToken(
            token_type="Holder-of-key", access_token="t", expires_at=datetime.now(UTC)
        )

    def forget(self, audience: str) -> None:
        self.forgotten.append(audience)


def mapped(response: httpx.Response):
    http = httpx.Client(transport=httpx.MockTransport(lambda request: response))
    client = Sf1601Client("https://sp.example/", StaticTokens(), http=http)
    memo = etree.Element(f"{{{MEMO_NS}}}Message")
    return client.send_kombi(kombi_request(KombiValgKode.DIGITAL_POST, memo=memo))


@pytest.mark.parametrize(
    ("response", "outcome", "code"),
    [
        (
            httpx.Response(
                200, text="<r><Result>true</Result><TransmissionID>T1</TransmissionID></r>"
            ),
            KombiOutcome.ACCEPTED,
            None,
        ),
        (
            httpx.Response(200, text="<r><Result>false</Result><FejlId>42</FejlId></r>"),
            KombiOutcome.REJECTED,
            "42",
        ),
        (httpx.Response(400, text="Bad request"), KombiOutcome.REJECTED, "HTTP 400"),
        (httpx.Response(200, text="OK"), KombiOutcome.TRANSPORT_ERROR, None),
        (httpx.Response(200, text="<r/>"), KombiOutcome.TRANSPORT_ERROR, None),
        (httpx.Response(429, text=""), KombiOutcome.TRANSPORT_ERROR, None),
        (
            httpx.Response(502, text="<x><FejlKode>G</FejlKode></x>"),
            KombiOutcome.TRANSPORT_ERROR,
            "G",
        ),
    ],
)
def test_answers_are_mapped(response, outcome, code):
    result = mapped(response)
    assert (result.outcome, result.error_code) == (outcome, code)
    assert isinstance(result.transaction_id, UUID)


def test_an_accepted_answer_keeps_the_transmission_id():
    result = mapped(
        httpx.Response(200, text="<r><Result>true</Result><TransmissionID>T1</TransmissionID></r>")
    )
    assert result.transmission_id == "T1"


def test_a_cpr_number_in_an_error_text_is_masked():
    result = mapped(
        httpx.Response(
            400, text=f"<f><FejlKode>7</FejlKode><FejlTekst>ukendt {CPR}</FejlTekst></f>"
        )
    )
    assert result.error_text == "ukendt 010190-XXXX"


def test_a_hostile_answer_is_not_parsed_for_entities():
    bomb = '<!DOCTYPE r [<!ENTITY x "yy">]><r><Result>true</Result><FejlTekst>&x;</FejlTekst></r>'
    result = mapped(httpx.Response(200, text=bomb))
    assert result.outcome is KombiOutcome.TRANSPORT_ERROR


@pytest.mark.parametrize(
    ("choice", "memo", "forsendelse"),
    [
        (KombiValgKode.DIGITAL_POST, False, True),
        (KombiValgKode.FYSISK_POST, True, False),
        (KombiValgKode.AUTOMATISK_VALG, True, False),
    ],
)
def test_a_kombi_request_needs_the_parts_its_choice_names(choice, memo, forsendelse):
    parts = {
        "memo": etree.Element("m") if memo else None,
        "forsendelse": etree.Element("f") if forsendelse else None,
    }
    with pytest.raises(InvalidValue) as caught:
        kombi_request(choice, **parts)
    assert caught.value.field == "kombi_request"
