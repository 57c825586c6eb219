from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID, uuid1, uuid4

import pytest
from lxml import etree

from core.errors import InvalidValue, PayloadRejected
from plugins.eboks.compose import memo_message_for
from plugins.eboks.memo import (
    KLE_NS,
    MEMO_NS,
    MemoDocument,
    MemoFile,
    MemoMessage,
    MemoSchema,
    RecipientType,
    build_memo,
    serialize,
)
from plugins.eboks.xmlsafe import hardened_parser
from tests.plugins.letters.builders import CPR, CVR_COMPANY, PNG, pdf_bytes

NS = {"memo": MEMO_NS, "kle": KLE_NS}
PDF = pdf_bytes()


@pytest.fixture(scope="module")
def schema(standards_dir) -> MemoSchema:
    return MemoSchema(standards_dir)


def message(**changes) -> MemoMessage:
    values = dict(
        message_uuid=uuid4(),
        label="Afgørelse",
        notification="Du har fået post",
        sender_cvr="29188386",
        sender_label="Roskilde Kommune",
        recipient_id=CPR,
        recipient_type=RecipientType.CPR,
        recipient_label="Mette Hansen",
        case_id="27.24.00-G01-5-24",
        created_at=datetime(2024, 6, 1, 12, 0, tzinfo=UTC),
        main=MemoDocument(
            label="Afgørelse",
            files=[MemoFile(filename="a.pdf", mime_type="application/pdf", content=PDF)],
        ),
    )
    values.update(changes)
    return MemoMessage(**values)


def text(root, path: str) -> str:
    return root.findtext(path, namespaces=NS)


def test_a_built_message_validates_and_has_the_published_sample_shape(schema, standards_dir):
    uuid = uuid4()
    root = build_memo(message(message_uuid=uuid))
    schema.validate(root)
    sample = etree.parse(
        str(standards_dir / "memo/samples/MeMo_Minimum_Example.xml"), hardened_parser()
    ).getroot()

    def shape(el):
        return [etree.QName(c).localname for c in el.iter() if isinstance(c.tag, str)]

    # every element of the minimum sample appears in ours, in the same order
    ours = shape(root)
    positions = [ours.index(name) for name in dict.fromkeys(shape(sample))]
    assert positions == sorted(positions)
    assert root.get("memoVersion") == "1.2"
    assert text(root, "memo:MessageHeader/memo:messageType") == "DIGITALPOST"
    assert text(root, "memo:MessageHeader/memo:messageUUID") == str(uuid)
    assert text(root, "memo:MessageHeader/memo:Sender/memo:senderID") == "29188386"
    assert text(root, "memo:MessageHeader/memo:Recipient/memo:idType") == "CPR"
    assert text(root, "memo:MessageHeader/memo:ContentData/memo:CaseID/memo:caseID") == (
        "27.24.00-G01-5-24"
    )
    assert text(root, "memo:MessageBody/memo:createdDateTime") == "2024-06-01T12:00:00Z"
    content = text(root, "memo:MessageBody/memo:MainDocument/memo:File/memo:content")
    assert base64.b64decode(content) == PDF
    assert serialize(root).startswith(b"<?xml")


def test_the_full_sample_and_the_attachment_sample_are_valid(schema, standards_dir):
    for name in ("MeMo_Full_Example.xml", "MeMo_with_attachment.xml"):
        sample = etree.parse(str(standards_dir / "memo/samples" / name), hardened_parser())
        schema.validate(sample.getroot())


def test_a_letter_on_a_case_becomes_a_message_with_case_kle_and_attachments(world, schema):
    party = world.person()
    main = world.file(PDF, name="afgørelse.pdf", mime="application/pdf", title="Afgørelse")
    extra = world.file(PNG, name="bilag?.png", mime="image/png", title="Bilag 1")
    letter = world.letter(party, main, extra)
    msg = memo_message_for(letter, world.open_part, kle_labels={"27.24.00": "Underretninger"})
    root = build_memo(msg)
    schema.validate(root)
    assert msg.message_uuid == letter.message_uuid
    kle = "memo:MessageHeader/memo:ContentData/kle:KLEdata/"
    assert text(root, kle + "kle:subjectKey") == "27.24.00"
    assert text(root, kle + "kle:activityFacet") == "G01"
    assert text(root, kle + "kle:label") == "Underretninger"
    extra_doc = root.find("memo:MessageBody/memo:AdditionalDocument", NS)
    assert text(extra_doc, "memo:label") == "Bilag 1"
    assert text(extra_doc, "memo:File/memo:filename") == "bilag_.png"
    assert text(root, "memo:MessageHeader/memo:Recipient/memo:label") == "Mette Hansen"


def test_a_company_recipient_is_addressed_by_cvr(world, schema):
    company = world.company()
    letter = world.letter(company, world.file(PDF, name="a.pdf", mime="application/pdf"))
    root = build_memo(memo_message_for(letter, world.open_part))
    schema.validate(root)
    recipient = root.find("memo:MessageHeader/memo:Recipient", NS)
    assert (text(recipient, "memo:recipientID"), text(recipient, "memo:idType")) == (
        CVR_COMPANY,
        "CVR",
    )


def test_the_same_letter_built_twice_carries_the_same_uuid(world):
    party = world.person()
    letter = world.letter(party, world.file(PDF, name="a.pdf", mime="application/pdf"))
    first = build_memo(memo_message_for(letter, world.open_part))
    again = build_memo(memo_message_for(letter, world.open_part))
    path = "memo:MessageHeader/memo:messageUUID"
    assert text(first, path) == text(again, path) == str(letter.message_uuid)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"message_uuid": uuid1()}, "message_uuid"),
        ({"message_uuid": UUID(int=0)}, "message_uuid"),
        ({"label": "x" * 257}, "label"),
        ({"label": "  "}, "label"),
        ({"notification": "x" * 151}, "notification"),
        ({"created_at": datetime(2024, 6, 1, 12, 0)}, "created_at"),
        ({"recipient_id": "3213901234"}, "cpr"),
        ({"sender_cvr": "12345678"}, "cvr"),
    ],
)
def test_rules_the_schema_cannot_check_are_enforced(changes, field):
    with pytest.raises(InvalidValue) as caught:
        build_memo(message(**changes))
    assert caught.value.field == field


def test_limits_are_inclusive(schema):
    root = build_memo(message(label="x" * 256, notification="y" * 150))
    schema.validate(root)


def test_a_time_in_another_zone_is_written_in_utc_with_z():
    cet = timezone(timedelta(hours=2))
    root = build_memo(message(created_at=datetime(2024, 6, 1, 14, 0, 30, 999, tzinfo=cet)))
    assert text(root, "memo:MessageBody/memo:createdDateTime") == "2024-06-01T12:00:30Z"


@pytest.mark.parametrize("language", ["dan", "d", "da-DK", "1a"])
def test_a_language_must_be_two_letters(language):
    main = MemoDocument(
        files=[
            MemoFile(filename="a.pdf", mime_type="application/pdf", content=PDF, language=language)
        ]
    )
    with pytest.raises(InvalidValue) as caught:
        build_memo(message(main=main))
    assert caught.value.field == "main.files[0].language"


@pytest.mark.parametrize(
    ("mime", "content"),
    [
        ("application/pdf", PNG),
        ("image/png", PDF),
        ("application/x-msdownload", b"MZ\x90\x00"),
        ("text/plain", b"hello\x00world"),
        ("text/plain", b"\xff\xfe\x00broken"),
    ],
)
def test_a_file_whose_type_is_not_allowed_or_lies_is_refused(mime, content):
    attachment = MemoDocument(files=[MemoFile(filename="x", mime_type=mime, content=content)])
    with pytest.raises(PayloadRejected) as caught:
        build_memo(message(attachments=[attachment]))
    assert caught.value.field == "attachments[0].files[0]"


def test_plain_text_in_utf8_is_allowed(schema):
    attachment = MemoDocument(
        files=[MemoFile(filename="note", mime_type="text/plain", content="Kære Ø\n".encode())]
    )
    root = build_memo(message(attachments=[attachment]))
    schema.validate(root)
    assert text(root, "memo:MessageBody/memo:AdditionalDocument/memo:File/memo:filename") == (
        "note.txt"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ('a<b>c:d"e/f\\g|h?i*j.pdf', "a_b_c_d_e_f_g_h_i_j.pdf"),
        ("brev\x00\x1f\u200b\u202e.pdf", "brev.pdf"),
        ("to\u00a0\u2003mellemrum.pdf", "to mellemrum.pdf"),
        ("...", "dokument.pdf"),
        ("brev.docx", "brev.docx.pdf"),
    ],
)
def test_file_names_are_sanitised(name, expected, schema):
    main = MemoDocument(files=[MemoFile(filename=name, mime_type="application/pdf", content=PDF)])
    root = build_memo(message(main=main))
    schema.validate(root)
    assert text(root, "memo:MessageBody/memo:MainDocument/memo:File/memo:filename") == expected


def test_a_long_file_name_keeps_its_extension_within_256():
    main = MemoDocument(
        files=[MemoFile(filename="x" * 400 + ".pdf", mime_type="application/pdf", content=PDF)]
    )
    name = text(
        build_memo(message(main=main)), "memo:MessageBody/memo:MainDocument/memo:File/memo:filename"
    )
    assert len(name) == 256 and name.endswith(".pdf")


def test_the_total_size_is_limited_before_anything_is_encoded():
    big = MemoDocument(files=[MemoFile(filename="a.pdf", mime_type="application/pdf", content=PDF)])
    limit = 4 * ((len(PDF) + 2) // 3) * 2  # room for two copies as base64
    build_memo(message(attachments=[big]), max_bytes=limit)
    with pytest.raises(PayloadRejected) as caught:
        build_memo(message(attachments=[big, big]), max_bytes=limit)
    assert caught.value.field == "size"


def test_the_serialised_size_is_checked_by_the_validator(schema):
    root = build_memo(message())
    size = len(serialize(root))
    schema.validate(root, max_bytes=size)
    with pytest.raises(PayloadRejected):
        schema.validate(root, max_bytes=size - 1)


def test_the_schema_catches_what_the_builder_did_not_make(schema):
    root = build_memo(message())
    root.find("memo:MessageHeader/memo:messageType", NS).text = "LETTER"
    with pytest.raises(InvalidValue) as caught:
        schema.validate(root)
    assert caught.value.field == "memo"
    assert "messageType" in caught.value.message


def test_a_missing_file_on_the_case_names_the_field(world):
    party = world.person()
    main = world.file(PDF, name="a.pdf", mime="application/pdf")
    letter = world.letter(party, main, "0" * 64)
    with pytest.raises(InvalidValue) as caught:
        memo_message_for(letter, world.open_part)
    assert caught.value.field == "attachments[0]"


def test_a_stored_file_of_another_size_than_recorded_is_refused(world):
    party = world.person()
    main = world.file(PDF, name="a.pdf", mime="application/pdf")
    world.blobs[main] = PDF + b"tail"
    with pytest.raises(PayloadRejected) as caught:
        memo_message_for(world.letter(party, main), world.open_part)
    assert caught.value.field == "main_document"


def test_the_letters_files_together_are_limited(world):
    party = world.person()
    main = world.file(PDF, name="a.pdf", mime="application/pdf")
    extra = world.file(PDF + b" ", name="b.pdf", mime="application/pdf")
    letter = world.letter(party, main, extra)
    memo_message_for(letter, world.open_part, max_bytes=2 * len(PDF) + 1)
    with pytest.raises(PayloadRejected) as caught:
        memo_message_for(letter, world.open_part, max_bytes=2 * len(PDF))
    assert caught.value.field == "attachments[0]"
    assert "together" in caught.value.message
