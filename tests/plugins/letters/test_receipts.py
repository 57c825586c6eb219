from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from lxml import etree

from core.errors import InvalidValue, PayloadRejected
from plugins.eboks.receipt_endpoint import RECEIPTS_PATH, receipt_router
from plugins.eboks.receipts import (
    SAGDOK_NS,
    BeskedfordelerSchemas,
    ReceiptVerdict,
    UnknownStatus,
    judge,
    parse_delivery,
)
from ports.integrations import LetterStatus
from ports.letters import Receipt, ReceiptStatus
from tests.fakes.sf1601.receipts import ReceiptReplayer, post_status
from tests.plugins.letters.memory_receipts import MemoryReceiptStore

T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def schemas(standards_dir) -> BeskedfordelerSchemas:
    return BeskedfordelerSchemas(standards_dir)


@pytest.fixture(scope="module")
def replayer(standards_dir) -> ReceiptReplayer:
    return ReceiptReplayer(standards_dir)


@pytest.mark.parametrize(("wrapped", "as_base64"), [(True, False), (False, False), (True, True)])
def test_a_delivery_is_read_wrapped_or_bare_with_xml_or_base64_data(
    schemas, replayer, wrapped, as_base64
):
    uuid, besked = uuid4(), uuid4()
    status = post_status(uuid, "Afleveret Digital Post", T0, transmission_id="T-1")
    body = replayer.delivery(status, besked_id=besked, wrapped=wrapped, as_base64=as_base64)
    receipt = parse_delivery(body, schemas)
    assert receipt.receipt_id == str(besked)
    assert receipt.message_uuid == uuid
    assert (receipt.status, receipt.status_code) == (
        ReceiptStatus.DELIVERED,
        "Afleveret Digital Post",
    )
    assert (receipt.occurred_at, receipt.channel, receipt.transmission_id) == (
        T0,
        "Digital Post",
        "T-1",
    )


def test_a_failure_keeps_its_code_and_text_without_a_cpr_number(schemas, replayer):
    status = post_status(uuid4(), "Fejlet", T0, fejl=("404", "Modtager 0101901234 ukendt"))
    receipt = parse_delivery(replayer.delivery(status), schemas)
    assert receipt.status is ReceiptStatus.FAILED
    assert (receipt.error_code, receipt.error_text) == ("404", "Modtager 010190-XXXX ukendt")
    assert receipt.status.letter_status is LetterStatus.FAILED


def test_the_published_sample_is_a_valid_envelope_without_a_post_status(schemas, standards_dir):
    sample = (standards_dir / "beskedfordeler/externTestBesked.xml").read_bytes()
    with pytest.raises(InvalidValue) as caught:
        parse_delivery(sample, schemas)
    assert caught.value.field == "Beskeddata"


def test_a_time_without_a_zone_is_danish_time(schemas, replayer):
    status = post_status(uuid4(), "Modtaget Digital Post", datetime(2024, 6, 1, 14, 0))
    receipt = parse_delivery(replayer.delivery(status), schemas)
    assert receipt.occurred_at == T0


def test_an_unknown_status_code_is_not_guessed(schemas, replayer):
    body = replayer.delivery(post_status(uuid4(), "Noget nyt", T0))
    with pytest.raises(UnknownStatus):
        parse_delivery(body, schemas)


def test_an_envelope_that_breaks_the_schema_is_refused(schemas, replayer):
    root = etree.fromstring(replayer.delivery(post_status(uuid4(), "Fejlet", T0), wrapped=False))
    root.remove(root.find("{urn:oio:besked:kuvert:1.0}BeskedVersion"))
    with pytest.raises(InvalidValue) as caught:
        parse_delivery(etree.tostring(root), schemas)
    assert caught.value.field == "delivery"


def test_hostile_xml_is_refused(schemas):
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(PayloadRejected):
        parse_delivery(bomb, schemas)
    with pytest.raises(PayloadRejected):
        parse_delivery(b"<x>" + b"a" * (5 * 1024 * 1024) + b"</x>", schemas)


def receipt(code: str, status: ReceiptStatus, minute: int, rid: str | None = None) -> Receipt:
    return Receipt(
        receipt_id=rid or str(uuid4()),
        message_uuid=uuid4(),
        status=status,
        status_code=code,
        occurred_at=T0 + timedelta(minutes=minute),
    )


PENDING = receipt("Modtaget Digital Post", ReceiptStatus.PENDING, 0)
DELIVERED = receipt("Afleveret Digital Post", ReceiptStatus.DELIVERED, 5)


@pytest.mark.parametrize(
    ("incoming", "latest", "seen", "verdict"),
    [
        (PENDING, None, False, ReceiptVerdict.APPLY),
        (DELIVERED, PENDING, False, ReceiptVerdict.APPLY),
        (PENDING, None, True, ReceiptVerdict.DUPLICATE),
        (
            PENDING.model_copy(update={"receipt_id": "other"}),
            PENDING,
            False,
            ReceiptVerdict.DUPLICATE,
        ),
        (PENDING, DELIVERED, False, ReceiptVerdict.OUT_OF_ORDER),
        (
            receipt("Modtaget Digital Post", ReceiptStatus.PENDING, 9),
            DELIVERED,
            False,
            ReceiptVerdict.OUT_OF_ORDER,
        ),
        (
            receipt("Afleveret Digital Post", ReceiptStatus.DELIVERED, 0),
            PENDING,
            False,
            ReceiptVerdict.APPLY,
        ),
        (receipt("Fejlet", ReceiptStatus.FAILED, 9), DELIVERED, False, ReceiptVerdict.APPLY),
        (receipt("Fejlet", ReceiptStatus.FAILED, 1), DELIVERED, False, ReceiptVerdict.OUT_OF_ORDER),
    ],
)
def test_judge(incoming, latest, seen, verdict):
    assert judge(incoming, latest, seen_before=seen) is verdict


@pytest.fixture
def endpoint(schemas):
    store = MemoryReceiptStore()
    app = Litestar(route_handlers=[receipt_router(lambda: store, lambda: schemas)])
    with TestClient(app) as client:
        yield store, lambda body: client.post(RECEIPTS_PATH, content=body)


def retur(response) -> tuple[int, str]:
    root = etree.fromstring(response.content)
    code = root.findtext(f".//{{{SAGDOK_NS}}}StatusKode")
    return int(code), root.findtext(f".//{{{SAGDOK_NS}}}FejlbeskedTekst")


def test_receipts_move_the_letter_and_repeats_change_nothing(endpoint, replayer):
    store, post = endpoint
    uuid = uuid4()
    store.letters[uuid] = LetterStatus.SENT
    deliveries = [
        replayer.delivery(post_status(uuid, code, T0 + timedelta(minutes=i)))
        for i, code in enumerate(["Modtaget Digital Post", "Afleveret Digital Post"])
    ]
    answers = ReceiptReplayer.replay(deliveries, post)
    assert [retur(a) for a in answers] == [(20, "OK (apply)"), (20, "OK (apply)")]
    assert store.letters[uuid] is LetterStatus.DELIVERED
    again = ReceiptReplayer.replay(deliveries, post, repeat=2, reverse=True)
    assert {a.status_code for a in again} == {200}
    assert [retur(a)[1] for a in again] == ["OK (duplicate)"] * 4
    assert len(store.applied) == 2


def test_a_late_pending_receipt_does_not_undo_delivery(endpoint, replayer):
    store, post = endpoint
    uuid = uuid4()
    store.letters[uuid] = LetterStatus.SENT
    late = replayer.delivery(post_status(uuid, "Modtaget Digital Post", T0))
    final = replayer.delivery(
        post_status(uuid, "Afleveret Digital Post", T0 + timedelta(minutes=1))
    )
    answers = ReceiptReplayer.replay([late, final], post, reverse=True)
    assert [retur(a)[1] for a in answers] == ["OK (apply)", "OK (out_of_order)"]
    assert store.letters[uuid] is LetterStatus.DELIVERED


def test_a_receipt_for_a_letter_this_hub_did_not_send_is_taken_and_ignored(endpoint, replayer):
    store, post = endpoint
    answer = post(replayer.delivery(post_status(uuid4(), "Fejlet", T0)))
    assert (answer.status_code, retur(answer)) == (200, (20, "OK (unknown_letter)"))
    assert store.applied == []


def test_an_invalid_delivery_is_answered_40(endpoint):
    _, post = endpoint
    answer = post(b"<not-a-delivery/>")
    assert answer.status_code == 400
    assert retur(answer)[0] == 40


def test_an_unknown_status_is_taken_but_not_applied(endpoint, replayer):
    store, post = endpoint
    uuid = uuid4()
    store.letters[uuid] = LetterStatus.SENT
    answer = post(replayer.delivery(post_status(uuid, "Noget nyt", T0)))
    assert retur(answer)[0] == 20
    assert store.letters[uuid] is LetterStatus.SENT


def test_a_store_failure_is_answered_50_so_it_is_delivered_again(endpoint, replayer):
    store, post = endpoint
    uuid = uuid4()
    store.letters[uuid] = LetterStatus.SENT
    store.broken = True
    body = replayer.delivery(post_status(uuid, "Afleveret Digital Post", T0))
    answer = post(body)
    assert (answer.status_code, retur(answer)[0]) == (500, 50)
    store.broken = False
    assert retur(post(body)) == (20, "OK (apply)")
    assert store.letters[uuid] is LetterStatus.DELIVERED


def test_the_answer_is_a_valid_modtag_besked_output(endpoint, replayer, standards_dir):
    from plugins.eboks.xmlsafe import load_schema

    _, post = endpoint
    schema = load_schema(
        (standards_dir / "beskedfordeler/xsd/AnvendersystemOperationer.xsd").resolve()
    )
    answer = post(replayer.delivery(post_status(uuid4(), "Fejlet", T0)))
    assert schema.validate(etree.fromstring(answer.content)), schema.error_log
