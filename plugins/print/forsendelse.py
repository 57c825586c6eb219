"""The remote-print shipment ``ForsendelseI`` (``urn:oio:fjernprint:1.0.0``), built with lxml
and validated against the official schema (through ``fjernprint/wrapper_ForsendelseI.xsd``).

The recipient is named by ``0000000000`` when a person (the print service needs no CPR
number; the address decides), or by CVR number when a company.
"""

from __future__ import annotations

import base64
from datetime import date
from enum import StrEnum
from pathlib import Path
from uuid import UUID

from lxml import etree
from pydantic import BaseModel, Field

from core.models import Party, PartyKind
from plugins.eboks.xmlsafe import assert_valid, load_schema
from plugins.print.address import PostalAddress, checked_address

FJERNPRINT = "urn:oio:fjernprint:1.0.0"
DKAL = "urn:oio:dkal:1.0.0"
ADIR = "urn:oio:adir:dagpenge:2009.07.01"
SAGDOK = "urn:oio:sagdok:3.0.0"
ITST = "http://rep.oio.dk/itst.dk/xml/schemas/2006/01/17/"
DKCC_2003 = "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2003/02/13/"
DKCC_2005 = "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2005/03/15/"
DKCC_LINES = "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2005/05/19/"
FORSENDELSE_XSD = Path("fjernprint/wrapper_ForsendelseI.xsd")
UNKNOWN_CPR = "0000000000"
_LINE_TAGS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth")
_NSMAP = {
    "fjernprint": FJERNPRINT,
    "dkal": DKAL,
    "adir": ADIR,
    "sd": SAGDOK,
    "itst": ITST,
    "dkcc": DKCC_2003,
    "dkcc2005": DKCC_2005,
    "dkcc2005-3": DKCC_LINES,
}


class Sides(StrEnum):
    SIMPLEX = "Simplex"
    DUPLEX = "Duplex"


class Colour(StrEnum):
    BLACK_WHITE = "SH"
    COLOUR = "Farve"


class PrintOptions(BaseModel):
    """The municipality's remote-print agreement and choices."""

    forsendelse_type: int = Field(gt=0, description="ForsendelseTypeIdentifikator from KOMBIT")
    sides: Sides = Sides.DUPLEX
    colour: Colour = Colour.BLACK_WHITE
    return_address: PostalAddress
    sender_user: str = Field(
        default="sagshub", min_length=1, description="BrugerNavn: who sends, as the print log shows"
    )


class PrintFile(BaseModel):
    name: str
    content: bytes = Field(repr=False)


class Shipment(BaseModel):
    """One letter to print and post."""

    afsendelse_id: UUID = Field(description="the letter's message uuid; the same on every retry")
    recipient: Party
    address: PostalAddress
    title: str
    letter_date: date
    main: bytes = Field(repr=False)
    attachments: list[PrintFile] = Field(default_factory=list)


def _add(parent: etree._Element, ns: str, name: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        child.text = text
    return child


def _contact(parent: etree._Element, tag: str, address: PostalAddress) -> None:
    node = _add(parent, FJERNPRINT, tag)
    _add(node, ITST, "PersonName", address.name)
    if address.structured is not None:
        parts = address.structured
        if parts.co_name:
            _add(node, FJERNPRINT, "CoNavn", parts.co_name)
        _add(node, DKCC_2005, "StreetName", parts.street)
        _add(node, DKCC_2003, "StreetBuildingIdentifier", parts.building)
        if parts.floor:
            _add(node, DKCC_2003, "FloorIdentifier", parts.floor)
        if parts.suite:
            _add(node, DKCC_2003, "SuiteIdentifier", parts.suite)
        _add(node, DKCC_2005, "PostCodeIdentifier", parts.postcode)
    else:
        for which, line in zip(_LINE_TAGS, address.lines, strict=False):
            _add(node, DKCC_LINES, f"PostalAddress{which}LineText", line)
        if address.postcode:
            _add(node, DKCC_2005, "PostCodeIdentifier", address.postcode)
    _add(node, DKCC_2003, "CountryIdentificationCode", address.country).set(
        "scheme", "iso3166-alpha2"
    )


def build_forsendelse(shipment: Shipment, options: PrintOptions) -> etree._Element:
    """The ``fjernprint:ForsendelseI`` for ``shipment``.

    The addresses are checked first (:func:`~plugins.print.address.checked_address`); the
    PDFs are the caller's to check (:func:`plugins.print.pdf.check_a4`).
    """
    address = checked_address(shipment.address, field="recipient")
    return_address = checked_address(options.return_address, field="return_address")
    root = etree.Element(f"{{{FJERNPRINT}}}ForsendelseI", nsmap=_NSMAP)
    _add(root, FJERNPRINT, "AfsendelseIdentifikator", str(shipment.afsendelse_id))
    _add(root, FJERNPRINT, "ForsendelseTypeIdentifikator", str(options.forsendelse_type))
    modtager = _add(root, FJERNPRINT, "ForsendelseModtager")
    identity = _add(modtager, DKAL, "AfsendelseModtager")
    if shipment.recipient.kind is PartyKind.PERSON:
        _add(identity, ADIR, "CPRnummerIdentifikator", UNKNOWN_CPR)
    else:
        _add(identity, ADIR, "CVRnummerIdentifikator", shipment.recipient.cvr)
    _contact(modtager, "ModtagerAdresse", address)
    _add(root, DKAL, "FilformatNavn", "pdf")
    _add(root, DKAL, "MeddelelseIndholdData", base64.b64encode(shipment.main).decode("ascii"))
    document = _add(root, FJERNPRINT, "DokumentParametre")
    _add(document, SAGDOK, "TitelTekst", shipment.title)
    _add(document, SAGDOK, "BrevDato", shipment.letter_date.isoformat())
    channel = _add(root, FJERNPRINT, "KanalUafhaengigeParametreI")
    _add(channel, FJERNPRINT, "BrugerNavn", options.sender_user)
    sender = _add(channel, FJERNPRINT, "ForsendelseAfsender")
    _contact(sender, "AfsenderAdresse", return_address)
    _add(channel, FJERNPRINT, "PaatrykAfsenderAdresseIndikator", "true")
    _add(channel, FJERNPRINT, "KanalKode", "Fysisk Post")
    printing = _add(root, FJERNPRINT, "PrintParametre")
    _add(printing, FJERNPRINT, "SimplexDuplexKode", options.sides.value)
    _add(printing, FJERNPRINT, "FarveSHKode", options.colour.value)
    if shipment.attachments:
        samling = _add(root, FJERNPRINT, "BilagSamling")
        for index, attachment in enumerate(shipment.attachments, start=1):
            bilag = _add(samling, FJERNPRINT, "Bilag")
            _add(bilag, FJERNPRINT, "BilagNavn", attachment.name[:300])
            _add(bilag, DKAL, "FilformatNavn", "pdf")
            _add(bilag, FJERNPRINT, "BilagSorteringsIndeksIdentifikator", str(index))
            _add(
                bilag,
                DKAL,
                "VedhaeftningIndholdData",
                base64.b64encode(attachment.content).decode(),
            )
    return root


class ForsendelseSchema:
    """The official ForsendelseI schema from the standards folder."""

    def __init__(self, standards_dir: Path) -> None:
        self.schema = load_schema((standards_dir / FORSENDELSE_XSD).resolve())

    def validate(self, element: etree._Element) -> None:
        """Raise :class:`~core.errors.InvalidValue` (field ``forsendelse``) unless valid."""
        assert_valid(self.schema, element, field="forsendelse")
