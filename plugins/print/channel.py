"""The ``print`` (remote print through SF1601, ``Fysisk Post``) and ``local_print`` channels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from core.errors import DomainError, InvalidValue
from core.models import Party, utcnow
from plugins.eboks.channel import refused, send_prepared
from plugins.eboks.letter_parts import letter_files
from plugins.eboks.memo import MAX_MESSAGE_BYTES
from plugins.eboks.sf1601 import KombiValgKode, Sf1601Client, kombi_request
from plugins.print import pdf
from plugins.print.address import address_of
from plugins.print.forsendelse import (
    ForsendelseSchema,
    PrintFile,
    PrintOptions,
    Shipment,
    build_forsendelse,
)
from ports.integrations import LetterStatus, OpenPart, OutgoingLetter, SendResult


def _today() -> date:
    return utcnow().date()


@dataclass
class ForsendelseBuilder:
    """Builds and checks the ForsendelseI of a letter: PDF only, every page A4, an address
    that fits an envelope. Also the print fallback of the ``eboks`` channel."""

    schema: ForsendelseSchema
    options: PrintOptions
    today: Callable[[], date] = _today

    def __call__(self, letter: OutgoingLetter, open_part: OpenPart) -> etree._Element:
        address = address_of(letter.recipient)
        main, attachments = letter_files(letter, open_part, max_bytes=MAX_MESSAGE_BYTES)
        for file in (main, *attachments):
            pdf.check_a4(file.content, field=file.field)
        element = build_forsendelse(
            Shipment(
                afsendelse_id=letter.message_uuid,
                recipient=letter.recipient,
                address=address,
                title=letter.title,
                letter_date=self.today(),
                main=main.content,
                attachments=[PrintFile(name=a.title, content=a.content) for a in attachments],
            ),
            self.options,
        )
        self.schema.validate(element)
        return element


@dataclass
class RemotePrintChannel:
    """Sends letters as physical mail through SF1601 (``KombiValgKode`` ``Fysisk Post``)."""

    client: Sf1601Client
    builder: ForsendelseBuilder
    name: str = "print"

    def accepts(self, recipient: Party) -> bool:
        """Whether the recipient has a postal address that can be printed."""
        try:
            address_of(recipient)
        except InvalidValue:
            return False
        return True

    def prepare(self, letter: OutgoingLetter, open_part: OpenPart) -> etree._Element:
        """The checked ``kombi_request``; a clear error naming the field before anything is sent.

        :raises InvalidValue: / :raises PayloadRejected: the letter cannot be printed as it is.
        """
        return kombi_request(KombiValgKode.FYSISK_POST, forsendelse=self.builder(letter, open_part))

    def send(self, letter: OutgoingLetter, open_part: OpenPart) -> SendResult:
        return send_prepared(self.client, self.name, self.prepare, letter, open_part)


@dataclass
class LocalPrintChannel:
    """The caseworker prints the letter: :meth:`render` gives one PDF to download, and
    :meth:`send` reports the letter sent once it renders (the caseworker posts it)."""

    name: str = "local_print"
    max_bytes: int = field(default=MAX_MESSAGE_BYTES)

    def accepts(self, recipient: Party) -> bool:
        return True

    def render(self, letter: OutgoingLetter, open_part: OpenPart) -> bytes:
        """The main document followed by the attachments, as one PDF.

        :raises PayloadRejected: a file is not a readable PDF.
        """
        main, attachments = letter_files(letter, open_part, max_bytes=self.max_bytes)
        return pdf.merge([(f.content, f.field) for f in (main, *attachments)])

    def send(self, letter: OutgoingLetter, open_part: OpenPart) -> SendResult:
        try:
            self.render(letter, open_part)
        except DomainError as error:
            return refused(self.name, error)
        return SendResult(status=LetterStatus.SENT, channel=self.name)
