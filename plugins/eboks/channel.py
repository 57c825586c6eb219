"""The ``eboks`` letter channel: Digital Post through SF1601.

:meth:`DigitalPostChannel.prepare` builds and checks everything before anything is
sent, so a letter that can never go out fails with a clear error naming the field.
:meth:`~DigitalPostChannel.send` turns such an error into a failed
:class:`~ports.integrations.SendResult`; a transport error becomes ``retry=True``
with the letter's message uuid unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lxml import etree

from core.errors import DomainError
from core.models import Party
from plugins.eboks.compose import memo_message_for
from plugins.eboks.memo import MemoSchema, build_memo
from plugins.eboks.sf1601 import KombiValgKode, Sf1601Client, kombi_request
from ports.integrations import LetterStatus, OpenPart, OutgoingLetter, SendResult

PrintFallback = Callable[[OutgoingLetter, OpenPart], etree._Element]
"""Builds the remote-print ``ForsendelseI`` sent along with ``Automatisk Valg``."""


def refused(channel: str, error: DomainError) -> SendResult:
    """The result for a letter that was refused before it was sent."""
    return SendResult(
        status=LetterStatus.FAILED,
        channel=channel,
        error_code=f"invalid:{error.field}" if error.field else "invalid",
        error_text=str(error),
    )


def send_prepared(
    client: Sf1601Client,
    channel: str,
    prepare: Callable[[OutgoingLetter, OpenPart], etree._Element],
    letter: OutgoingLetter,
    open_part: OpenPart,
) -> SendResult:
    """Prepare the ``kombi_request`` and send it; a letter refused while preparing fails
    without a call to SF1601."""
    try:
        request = prepare(letter, open_part)
    except DomainError as error:
        return refused(channel, error)
    return client.send_kombi(request).send_result(channel)


@dataclass
class DigitalPostChannel:
    """Sends letters as MeMo messages (``Digital Post``, or ``Automatisk Valg`` with a
    print fallback when one is given)."""

    client: Sf1601Client
    schema: MemoSchema
    print_fallback: PrintFallback | None = None
    case_system: str = "sagshub"
    kle_version: str = "KLE"
    kle_labels: Mapping[str, str] = field(default_factory=dict)
    name: str = "eboks"

    def accepts(self, recipient: Party) -> bool:
        """Whether the recipient is registered for Digital Post.

        :raises ports.letters.ChannelUnavailable: the lookup failed technically; ask again later.
        """
        return self.client.is_registered(recipient)

    def prepare(self, letter: OutgoingLetter, open_part: OpenPart) -> etree._Element:
        """The checked ``kombi_request`` for ``letter``.

        :raises InvalidValue: / :raises PayloadRejected: the letter cannot be sent as it is.
        """
        message = memo_message_for(
            letter,
            open_part,
            case_system=self.case_system,
            kle_version=self.kle_version,
            kle_labels=self.kle_labels,
        )
        memo = build_memo(message)
        self.schema.validate(memo)
        if self.print_fallback is None:
            return kombi_request(KombiValgKode.DIGITAL_POST, memo=memo)
        forsendelse = self.print_fallback(letter, open_part)
        return kombi_request(KombiValgKode.AUTOMATISK_VALG, memo=memo, forsendelse=forsendelse)

    def send(self, letter: OutgoingLetter, open_part: OpenPart) -> SendResult:
        return send_prepared(self.client, self.name, self.prepare, letter, open_part)
