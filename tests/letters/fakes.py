"""A scripted letter channel for the letter service's unit tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from core.models import Party
from ports.integrations import LetterStatus, OpenPart, OutgoingLetter, SendResult
from ports.letters import ChannelUnavailable


@dataclass
class ScriptedChannel:
    """Reaches whom ``reaches`` says; answers sends from ``answers`` (then: sent).

    ``unavailable`` makes :meth:`accepts` fail technically that many times.
    """

    name: str
    reaches: bool = True
    unavailable: int = 0
    answers: list[SendResult] = field(default_factory=list)
    sent: list[UUID] = field(default_factory=list)
    """The message uuid of every send, retries included."""
    read: list[bytes] = field(default_factory=list)
    asked: int = 0

    def accepts(self, recipient: Party) -> bool:
        self.asked += 1
        if self.unavailable:
            self.unavailable -= 1
            raise ChannelUnavailable("PostForespoerg answered HTTP 503")
        return self.reaches

    def send(self, letter: OutgoingLetter, open_part: OpenPart) -> SendResult:
        self.sent.append(letter.message_uuid)
        with open_part(letter.main_document_sha256) as stream:
            self.read.append(stream.read())
        if self.answers:
            return self.answers.pop(0)
        return SendResult(status=LetterStatus.SENT, channel=self.name)


def transport_error(channel: str) -> SendResult:
    return SendResult(
        status=LetterStatus.QUEUED, channel=channel, error_text="HTTP 503", retry=True
    )
