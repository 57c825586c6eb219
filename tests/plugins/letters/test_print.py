from __future__ import annotations

import io
from datetime import date

import pytest
from lxml import etree
from pypdf import PdfReader, PdfWriter

from core.errors import InvalidValue, PayloadRejected
from plugins.eboks.channel import DigitalPostChannel
from plugins.eboks.memo import MemoSchema
from plugins.eboks.xmlsafe import hardened_parser
from plugins.print import pdf
from plugins.print.address import PostalAddress, StructuredAddress, checked_address
from plugins.print.channel import (
    ForsendelseBuilder,
    LocalPrintChannel,
    RemotePrintChannel,
)
from plugins.print.forsendelse import (
    FJERNPRINT,
    Colour,
    ForsendelseSchema,
    PrintOptions,
    Shipment,
    Sides,
    build_forsendelse,
)
from ports.integrations import LetterStatus
from tests.plugins.letters.builders import A4, CPR, CVR_COMPANY, LETTER, PNG, pdf_bytes

NS = {
    "f": FJERNPRINT,
    "dkal": "urn:oio:dkal:1.0.0",
    "adir": "urn:oio:adir:dagpenge:2009.07.01",
    "l": "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2005/05/19/",
    "d5": "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2005/03/15/",
}
RETURN = PostalAddress(name="Roskilde Kommune", lines=["Rådhusbuen 1", "4000 Roskilde"])


@pytest.fixture(scope="module")
def schema(standards_dir) -> ForsendelseSchema:
    return ForsendelseSchema(standards_dir)


def options(**changes) -> PrintOptions:
    return PrintOptions(forsendelse_type=265, return_address=RETURN, **changes)


@pytest.fixture
def builder(schema) -> ForsendelseBuilder:
    return ForsendelseBuilder(schema, options(), today=lambda: date(2024, 6, 1))


def print_letter(world, *attachments, party=None, main=None):
    party = party or world.person()
    main_sha = world.file(main or pdf_bytes(A4, A4), name="brev.pdf", mime="application/pdf")
    return world.letter(party, main_sha, *attachments)


def test_a_letter_to_a_person_becomes_a_valid_forsendelse_without_the_cpr(world, builder):
    attachment = world.file(pdf_bytes(A4), name="b.pdf", mime="application/pdf", title="Bilag")
    letter = print_letter(world, attachment)
    root = builder(letter, world.open_part)
    assert root.findtext("f:AfsendelseIdentifikator", namespaces=NS) == str(letter.message_uuid)
    recipient = root.find("f:ForsendelseModtager", NS)
    assert recipient.findtext(
        "dkal:AfsendelseModtager/adir:CPRnummerIdentifikator", namespaces=NS
    ) == ("0000000000")
    assert CPR.encode() not in etree.tostring(root)
    address = recipient.find("f:ModtagerAdresse", NS)
    assert address.findtext("l:PostalAddressFirstLineText", namespaces=NS) == "Testvej 3"
    assert address.findtext("d5:PostCodeIdentifier", namespaces=NS) == "2300"
    assert root.findtext("f:PrintParametre/f:SimplexDuplexKode", namespaces=NS) == "Duplex"
    assert root.findtext("f:PrintParametre/f:FarveSHKode", namespaces=NS) == "SH"
    assert (
        root.findtext(
            "f:KanalUafhaengigeParametreI/f:ForsendelseAfsender/f:AfsenderAdresse/"
            "l:PostalAddressFirstLineText",
            namespaces=NS,
        )
        == "Rådhusbuen 1"
    )
    assert root.findtext("f:BilagSamling/f:Bilag/f:BilagNavn", namespaces=NS) == "Bilag"


def test_the_forsendelse_follows_the_published_minimal_sample(world, builder, standards_dir):
    sample = etree.parse(
        str(standards_dir / "fjernprint/ForsendelseI_Minimal.xml"), hardened_parser()
    ).getroot()
    ours = [etree.QName(c).localname for c in builder(print_letter(world), world.open_part)]
    theirs = [etree.QName(c).localname for c in sample if etree.QName(c).localname in ours]
    assert [name for name in ours if name in theirs] == theirs


def test_print_options_come_from_config(world, schema):
    custom = ForsendelseBuilder(schema, options(sides=Sides.SIMPLEX, colour=Colour.COLOUR))
    root = custom(print_letter(world), world.open_part)
    assert root.findtext("f:PrintParametre/f:SimplexDuplexKode", namespaces=NS) == "Simplex"
    assert root.findtext("f:PrintParametre/f:FarveSHKode", namespaces=NS) == "Farve"
    assert root.findtext("f:ForsendelseTypeIdentifikator", namespaces=NS) == "265"


def test_a_company_is_named_by_its_cvr(world, builder):
    root = builder(print_letter(world, party=world.company()), world.open_part)
    assert (
        root.findtext(
            "f:ForsendelseModtager/dkal:AfsendelseModtager/adir:CVRnummerIdentifikator",
            namespaces=NS,
        )
        == CVR_COMPANY
    )


def test_a_structured_address_is_valid(world, schema):
    address = PostalAddress(
        name="Mette Hansen",
        structured=StructuredAddress(
            street="Gaden", building="7A", floor="3", suite="th", postcode="9000"
        ),
    )
    shipment = Shipment(
        afsendelse_id=print_letter(world).message_uuid,
        recipient=world.parties[0],
        address=address,
        title="Brev",
        letter_date=date(2024, 6, 1),
        main=pdf_bytes(),
    )
    root = build_forsendelse(shipment, options())
    schema.validate(root)
    assert (
        root.findtext("f:ForsendelseModtager/f:ModtagerAdresse/d5:StreetName", namespaces=NS)
        == "Gaden"
    )


@pytest.mark.parametrize(
    ("lines", "name", "field"),
    [
        ([], "Mette Hansen", "recipient.address_lines"),
        (["  "], "Mette Hansen", "recipient.address_lines"),
        (["Testvej 3", "x" * 35], "Mette Hansen", "recipient.address_lines[1]"),
        (["Testvej 3", "", "2300 København S"], "Mette Hansen", "recipient.address_lines[1]"),
        (["Testvej 3"], "", "recipient.name"),
    ],
)
def test_a_missing_or_malformed_address_fails_before_anything_is_sent(
    world, builder, platform, lines, name, field
):
    party = world.person(name=name, lines=lines)
    letter = print_letter(world, party=party)
    with pytest.raises(InvalidValue) as caught:
        builder(letter, world.open_part)
    assert caught.value.field == field
    channel = RemotePrintChannel(client=platform.client(), builder=builder)
    assert channel.accepts(party) is False
    result = channel.send(letter, world.open_part)
    assert (result.status, result.error_code) == (LetterStatus.FAILED, f"invalid:{field}")
    assert platform.sf1601.calls == 0


def test_more_than_six_lines_or_a_bad_house_number_is_refused():
    with pytest.raises(InvalidValue):
        checked_address(PostalAddress(name="A", lines=["x"] * 7), field="recipient")
    structured = StructuredAddress(street="Gaden", building="07", postcode="9000")
    with pytest.raises(InvalidValue) as caught:
        checked_address(PostalAddress(name="A", structured=structured), field="recipient")
    assert caught.value.field == "recipient.building"


def test_only_pdf_can_be_printed(world, builder):
    party = world.person()
    letter = world.letter(party, world.file(PNG, name="a.png", mime="image/png"))
    with pytest.raises(PayloadRejected) as caught:
        builder(letter, world.open_part)
    assert caught.value.field == "main_document"


def test_every_page_must_be_a4(world, builder):
    attachment = world.file(pdf_bytes(A4, LETTER), name="b.pdf", mime="application/pdf")
    with pytest.raises(PayloadRejected) as caught:
        builder(print_letter(world, attachment), world.open_part)
    assert caught.value.field == "attachments[0]"
    assert "page 2" in caught.value.message


@pytest.mark.parametrize(
    ("size", "ok"),
    [((595, 842), True), ((842, 595), True), ((595.28, 841.89), True), ((590, 842), False)],
)
def test_a4_allows_rounding_and_either_orientation(size, ok):
    content = pdf_bytes(size)
    if ok:
        assert pdf.check_a4(content, field="f") == 1
    else:
        with pytest.raises(PayloadRejected):
            pdf.check_a4(content, field="f")


def test_an_encrypted_or_broken_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    for content in (out.getvalue(), b"%PDF-1.7 not really"):
        with pytest.raises(PayloadRejected):
            pdf.check_a4(content, field="f")


def test_remote_print_goes_out_as_fysisk_post_and_the_service_finds_it_valid(
    world, builder, platform
):
    channel = RemotePrintChannel(client=platform.client(), builder=builder)
    letter = print_letter(world)
    assert channel.accepts(letter.recipient) is True
    result = channel.send(letter, world.open_part)
    assert (result.status, result.channel) == (LetterStatus.SENT, "print")
    taken = platform.sf1601.accepted[str(letter.message_uuid)]
    assert (taken.kombi, taken.kanal, taken.memo) == ("Fysisk Post", "Fysisk Post", None)


@pytest.mark.parametrize(("registered", "kanal"), [(True, "Digital Post"), (False, "Fysisk Post")])
def test_digital_post_with_print_fallback_uses_automatisk_valg(
    world, builder, platform, standards_dir, registered, kanal
):
    channel = DigitalPostChannel(
        client=platform.client(), schema=MemoSchema(standards_dir), print_fallback=builder
    )
    if registered:
        platform.sf1601.registered.add(CPR)
    letter = print_letter(world)
    assert channel.send(letter, world.open_part).status is LetterStatus.SENT
    taken = platform.sf1601.accepted[str(letter.message_uuid)]
    assert (taken.kombi, taken.kanal) == ("Automatisk Valg", kanal)
    assert taken.memo is not None and taken.forsendelse is not None


def test_local_print_renders_one_pdf_of_all_the_letters_files(world):
    attachment = world.file(pdf_bytes(A4, A4, A4), name="b.pdf", mime="application/pdf")
    letter = print_letter(world, attachment)
    channel = LocalPrintChannel()
    rendered = channel.render(letter, world.open_part)
    assert len(PdfReader(io.BytesIO(rendered)).pages) == 5
    assert channel.accepts(letter.recipient) is True
    result = channel.send(letter, world.open_part)
    assert (result.status, result.channel, result.retry) == (
        LetterStatus.SENT,
        "local_print",
        False,
    )


def test_local_print_refuses_what_is_not_pdf(world):
    party = world.person()
    letter = world.letter(party, world.file(PNG, name="a.png", mime="image/png"))
    result = LocalPrintChannel().send(letter, world.open_part)
    assert (result.status, result.error_code) == (LetterStatus.FAILED, "invalid:main_document")
