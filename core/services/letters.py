"""The letter use cases: send a document from a case, deliver it by a channel, show its history.

:meth:`LetterService.request` records the letter and queues its delivery in one
transaction, so a letter exists if and only if its job does. The job
(:meth:`LetterService.deliver`) chooses the channel once and keeps it, sends with the
letter's message uuid (the same on every retry, so the receiving service can drop
a repeat), and records the outcome. A channel that cannot answer now, or a transport
error, raises :class:`LetterNotSentYet`: the job queue tries again later. Nothing is
guessed: ``auto`` asks the channels in the municipality's order whether they reach
the recipient, and a channel that cannot tell stops the choice until it can.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from uuid import UUID

from pydantic import BaseModel, Field, model_validator

from core.errors import InvalidValue, NotFound
from core.intake import IncomingDocument
from core.letters import (
    MAX_NOTIFICATION,
    MAX_TITLE,
    Letter,
    LetterChoice,
    LetterEvent,
    LetterEventSource,
    case_tag,
    mailto_link,
)
from core.models import Case, Document, Party, utcnow
from core.placement import filing_engine
from core.rules import PlacementPolicy
from core.services.intake_plan import plan_intake
from core.services.loading import require_case
from core.services.records import audit
from core.services.snapshots import case_snapshot
from core.services.transaction import TransactionalService
from core.values import Cpr, Cvr
from ports.integrations import (
    LetterChannel,
    LetterStatus,
    OpenPart,
    OutgoingLetter,
    SendResult,
)
from ports.letters import ChannelUnavailable, LetterRenderer
from ports.persistence import UnitOfWork

SEND_TASK = "letters.send"
"""The job that delivers a letter; its payload is ``{"letter_id": "<uuid>"}``."""
HUB_ACTOR = "hub:letters"
EMAIL_CHANNEL = "email"
PDF = "application/pdf"
_FILING = filing_engine()


class LetterNotSentYet(Exception):
    """The letter could not go out now (a channel is unavailable, a transport error);
    the job is tried again later, with the same message uuid."""


class LetterRequest(BaseModel):
    """What a caseworker asks for: which document, to whom, how."""

    case_id: UUID
    document_id: UUID | None = Field(
        default=None, description="the main document, on the case; None with an upload"
    )
    recipient_party_id: UUID | None = Field(
        default=None, description="a party of the case; default: the case's primary party"
    )
    recipient_cpr: Cpr | None = None
    recipient_cvr: Cvr | None = None
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    notification: str | None = Field(default=None, max_length=MAX_NOTIFICATION)
    channel: LetterChoice = LetterChoice.AUTO

    @model_validator(mode="after")
    def _one_recipient(self) -> LetterRequest:
        given = [self.recipient_party_id, self.recipient_cpr, self.recipient_cvr]
        if sum(value is not None for value in given) > 1:
            raise InvalidValue(
                "name the recipient once: by party id, CPR or CVR number", field="recipient"
            )
        return self


class Mailto(BaseModel):
    """A ``mailto:`` link for the caseworker's own mail client, with its parts."""

    to: str | None
    subject: str
    body: str | None = None
    link: str


class LetterHistory(BaseModel):
    letter: Letter
    events: list[LetterEvent]


def main_part_sha256(document: Document) -> str:
    """The file a letter sends: the document's first PDF, else its first file."""
    parts = [part for variant in document.variants for part in variant.parts]
    return next((p.sha256 for p in parts if p.mime_type == PDF), parts[0].sha256)


def _event(letter: Letter, source: LetterEventSource, detail: str, **fields: object) -> LetterEvent:
    return LetterEvent(
        letter_id=letter.id, status=letter.status, source=source, detail=detail, **fields
    )


class LetterService(TransactionalService):
    """Letters of one municipality, sent through its bound letter channels.

    :param channels: the ``letters`` adapters in the municipality's order.
    :param kinds: which adapter serves each explicit choice
        (``digital_post`` → ``eboks`` …); ``auto`` uses them all, in order.
    :param open_part: reads a stored file by sha256.
    """

    def __init__(
        self,
        uow_factory: Callable,
        municipality_id: UUID,
        channels: Sequence[LetterChannel],
        kinds: Mapping[LetterChoice, str],
        open_part: OpenPart,
    ) -> None:
        super().__init__(uow_factory, municipality_id)
        self._channels = {channel.name: channel for channel in channels}
        self._kinds = dict(kinds)
        self._open_part = open_part

    # -- asking for a letter ------------------------------------------------------------

    def request(
        self, request: LetterRequest, actor: str, upload: IncomingDocument | None = None
    ) -> Letter:
        """Record the letter and queue its delivery (one transaction).

        With ``upload`` (a PDF the caseworker brought, staged, naming the case), the
        document is filed on the case in the same transaction, with the intake's own plan,
        and sent: either both are stored or neither. ``email`` is not queued: the
        caseworker's own mail client sends it, so the letter is recorded as sent by them.
        """
        if (request.document_id is None) == (upload is None):
            raise InvalidValue("name the document, or upload one (not both)", field="document_id")
        self._check_available(request.channel)

        def work(uow: UnitOfWork) -> Letter:
            case = require_case(uow, request.case_id)
            if upload is not None:
                document = self._file(uow, case, upload)
            else:
                document = self._document_on(uow, case, request.document_id)
            recipient = self._recipient(uow, case, request)
            if request.channel is LetterChoice.EMAIL and not recipient.email:
                raise InvalidValue("the recipient has no e-mail address", field="recipient")
            letter = Letter(
                municipality_id=uow.municipality_id,
                case_id=case.id,
                recipient_id=recipient.id,
                document_id=document.id,
                main_sha256=main_part_sha256(document),
                title=request.title,
                notification=request.notification,
                requested=request.channel,
                created_by=actor,
            )
            uow.letters.add(letter)
            uow.letters.add_event(
                _event(letter, LetterEventSource.HUB, f"queued ({request.channel.value})")
            )
            if request.channel is LetterChoice.EMAIL:
                self._handed_to_mail_client(uow, letter)
            else:
                uow.jobs.enqueue(
                    SEND_TASK, {"letter_id": str(letter.id)}, dedupe_key=f"letter:{letter.id}"
                )
            audit(uow, actor, "send_letter", "case", case.id)
            return letter

        return self._run(work)

    def _check_available(self, choice: LetterChoice) -> None:
        if choice is LetterChoice.EMAIL:
            return
        if choice is LetterChoice.AUTO:
            if not self._channels:
                raise InvalidValue(
                    "no letter channel is configured ([ports] letters)", field="channel"
                )
            return
        name = self._kinds.get(choice)
        if name not in self._channels:
            raise InvalidValue(
                f"{choice.value} is not configured here (letter channels: "
                f"{', '.join(self._channels) or 'none'})",
                field="channel",
            )

    @staticmethod
    def _file(uow: UnitOfWork, case: Case, upload: IncomingDocument) -> Document:
        if upload.case is None or upload.case.case_id != case.id:
            raise InvalidValue("the upload must name the letter's case", field="case")
        plan = plan_intake(uow, upload, _FILING, PlacementPolicy())
        plan.write(uow)
        return plan.document

    @staticmethod
    def _document_on(uow: UnitOfWork, case: Case, document_id: UUID) -> Document:
        on_case = any(
            link.document_id == document_id for link in uow.documents.links_for_case(case.id)
        )
        document = uow.documents.get(document_id) if on_case else None
        if document is None:
            raise NotFound(f"no document {document_id} on case {case.number}", field="document_id")
        return document

    @staticmethod
    def _recipient(uow: UnitOfWork, case: Case, request: LetterRequest) -> Party:
        if request.recipient_cpr is not None or request.recipient_cvr is not None:
            party = (
                uow.parties.get_by_cpr(request.recipient_cpr)
                if request.recipient_cpr is not None
                else uow.parties.get_by_cvr(request.recipient_cvr or "")
            )
            if party is None:
                raise NotFound("no party has that number", field="recipient")
            return party
        party_id = request.recipient_party_id or case.primary_party_id
        if party_id is None:
            raise InvalidValue(
                "the case has no primary party; name the recipient", field="recipient"
            )
        if party_id not in {p.party_id for p in case.parties}:
            raise NotFound(f"party {party_id} is not on case {case.number}", field="recipient")
        party = uow.parties.get(party_id)
        if party is None:
            raise NotFound(f"no party {party_id}", field="recipient")
        return party

    @staticmethod
    def _handed_to_mail_client(uow: UnitOfWork, letter: Letter) -> None:
        letter.channel = EMAIL_CHANNEL
        letter.status = LetterStatus.SENT
        uow.letters.update(letter)
        uow.letters.add_event(
            _event(
                letter,
                LetterEventSource.HUB,
                "handed to the caseworker's mail client",
                channel=EMAIL_CHANNEL,
            )
        )

    # -- delivering it (the job) --------------------------------------------------------

    def deliver(self, letter_id: UUID) -> LetterStatus:
        """Send a queued letter; a letter no longer queued is left alone (a repeated job).

        :raises LetterNotSentYet: try again later (the letter stays queued).
        """
        prepared = self._run(lambda uow: self._prepare(uow, letter_id))
        if prepared is None:
            return self._run(lambda uow: self._letter(uow, letter_id).status)
        outgoing, recipient = prepared
        channel = self._channel_for(letter_id, recipient)
        if channel is None:
            return self._run(lambda uow: self._record_unreachable(uow, letter_id))
        result = channel.send(outgoing, self._open_part)
        status = self._run(lambda uow: self._record_result(uow, letter_id, result))
        if result.retry:
            raise LetterNotSentYet(f"letter {letter_id}: {result.error_text or 'transport error'}")
        return status

    @staticmethod
    def _letter(uow: UnitOfWork, letter_id: UUID) -> Letter:
        letter = uow.letters.get(letter_id)
        if letter is None:
            raise NotFound(f"no letter {letter_id}", field="letter_id")
        return letter

    def _prepare(self, uow: UnitOfWork, letter_id: UUID) -> tuple[OutgoingLetter, Party] | None:
        letter = self._letter(uow, letter_id)
        if letter.status is not LetterStatus.QUEUED:
            return None
        audit(uow, HUB_ACTOR, "send_letter", "case", letter.case_id)
        return self._outgoing(uow, letter)

    @staticmethod
    def _outgoing(uow: UnitOfWork, letter: Letter) -> tuple[OutgoingLetter, Party]:
        snapshot = case_snapshot(uow, require_case(uow, letter.case_id))
        recipient = uow.parties.get(letter.recipient_id)
        if recipient is None:
            raise NotFound(f"no party {letter.recipient_id}", field="recipient")
        outgoing = OutgoingLetter(
            letter_id=letter.id,
            message_uuid=letter.message_uuid,
            case=snapshot,
            recipient=recipient,
            title=letter.title,
            notification=letter.notification,
            main_document_sha256=letter.main_sha256,
        )
        return outgoing, recipient

    def _channel_for(self, letter_id: UUID, recipient: Party) -> LetterChannel | None:
        """The letter's channel: the one chosen before (kept for every retry), else the one
        asked for, else (``auto``) the first in order that reaches the recipient."""
        letter = self._run(lambda uow: self._letter(uow, letter_id))
        if letter.channel is not None:
            return self._bound(letter.channel)
        if letter.requested is not LetterChoice.AUTO:
            name = self._kinds[letter.requested]
            self._run(
                lambda uow: self._choose(uow, letter_id, name, f"{letter.requested} was asked for")
            )
            return self._bound(name)
        for channel in self._channels.values():
            try:
                reaches = channel.accepts(recipient)
            except ChannelUnavailable as error:
                self._run(
                    lambda uow, e=error, c=channel: self._note_unavailable(uow, letter_id, c, e)
                )
                raise LetterNotSentYet(f"letter {letter_id}: {error}") from None
            if reaches:
                self._run(
                    lambda uow, c=channel: self._choose(
                        uow, letter_id, c.name, f"{c.name} reaches the recipient"
                    )
                )
                return channel
        return None

    def _bound(self, name: str) -> LetterChannel:
        channel = self._channels.get(name)
        if channel is None:
            raise InvalidValue(
                f"the letter channel {name!r} is no longer configured", field="channel"
            )
        return channel

    def _choose(self, uow: UnitOfWork, letter_id: UUID, name: str, why: str) -> None:
        letter = self._letter(uow, letter_id)
        if letter.channel is not None:
            return
        letter.channel = name
        letter.updated_at = utcnow()
        uow.letters.update(letter)
        uow.letters.add_event(
            _event(letter, LetterEventSource.HUB, f"channel {name}: {why}", channel=name)
        )

    def _note_unavailable(
        self, uow: UnitOfWork, letter_id: UUID, channel: LetterChannel, error: Exception
    ) -> None:
        letter = self._letter(uow, letter_id)
        detail = f"{channel.name} could not tell whether it reaches the recipient ({error}); "
        uow.letters.add_event(
            _event(
                letter,
                LetterEventSource.CHANNEL,
                detail + "asked again later",
                channel=channel.name,
            )
        )

    def _record_unreachable(self, uow: UnitOfWork, letter_id: UUID) -> LetterStatus:
        letter = self._letter(uow, letter_id)
        detail = f"no letter channel reaches the recipient (tried {', '.join(self._channels)})"
        return self._finish(uow, letter, LetterStatus.FAILED, detail, error_code="unreachable")

    def _record_result(self, uow: UnitOfWork, letter_id: UUID, result: SendResult) -> LetterStatus:
        letter = self._letter(uow, letter_id)
        if result.retry:
            uow.letters.add_event(
                _event(
                    letter,
                    LetterEventSource.CHANNEL,
                    f"not sent ({result.error_text or 'transport error'}); "
                    "tried again later with the same message uuid",
                    channel=result.channel,
                    error_code=result.error_code,
                    error_text=result.error_text,
                )
            )
            return letter.status
        detail = "sent" if result.status is LetterStatus.SENT else "refused"
        return self._finish(
            uow,
            letter,
            result.status,
            f"{detail} by {result.channel}",
            channel=result.channel,
            error_code=result.error_code,
            error_text=result.error_text,
        )

    @staticmethod
    def _finish(
        uow: UnitOfWork, letter: Letter, status: LetterStatus, detail: str, **fields: str | None
    ) -> LetterStatus:
        """Move a queued letter to ``status``. A receipt that came first wins: a letter it
        already moved on keeps its status, and this answer is only noted."""
        if letter.status is LetterStatus.QUEUED:
            letter.status = status
            letter.error_code = fields.get("error_code")
            letter.error_text = fields.get("error_text")
            letter.updated_at = utcnow()
            uow.letters.update(letter)
        uow.letters.add_event(_event(letter, LetterEventSource.CHANNEL, detail, **fields))
        return letter.status

    # -- e-mail out -----------------------------------------------------------------------

    def mailto(
        self,
        case_id: UUID,
        actor: str,
        *,
        party_id: UUID | None = None,
        subject: str | None = None,
        body: str | None = None,
    ) -> Mailto:
        """A ``mailto:`` whose subject carries the case tag, so a reply finds the case.

        The recipient is the party (default: the case's primary party) if it has an
        e-mail address, else empty for the caseworker to fill in. Audited as a read.
        """

        def work(uow: UnitOfWork) -> Mailto:
            case = require_case(uow, case_id)
            audit(uow, actor, "mailto", "case", case.id)
            who = party_id or case.primary_party_id
            party = uow.parties.get(who) if who is not None else None
            to = party.email if party is not None else None
            tagged = f"{subject or case.title} {case_tag(case.number)}"
            return Mailto(to=to, subject=tagged, body=body, link=mailto_link(to, tagged, body))

        return self._run(work)

    # -- reading ------------------------------------------------------------------------

    def history(self, letter_id: UUID, actor: str) -> LetterHistory:
        """The letter and its status history (audited as a read of the case)."""

        def work(uow: UnitOfWork) -> LetterHistory:
            letter = self._letter(uow, letter_id)
            audit(uow, actor, "read", "case", letter.case_id)
            return LetterHistory(letter=letter, events=uow.letters.events(letter.id))

        return self._run(work)

    def printable(self, letter_id: UUID, actor: str) -> bytes:
        """The letter as one PDF, for a letter whose channel a person prints (local print).

        Audited as a download of the case's data.
        """

        def work(uow: UnitOfWork) -> tuple[OutgoingLetter, LetterRenderer]:
            letter = self._letter(uow, letter_id)
            channel = self._channels.get(letter.channel or "")
            if not isinstance(channel, LetterRenderer):
                raise NotFound(
                    "only a letter sent by a channel a person prints has a PDF", field="letter_id"
                )
            audit(uow, actor, "download", "case", letter.case_id)
            return self._outgoing(uow, letter)[0], channel

        outgoing, renderer = self._run(work)
        return renderer.render(outgoing, self._open_part)

    def for_case(self, case_id: UUID, actor: str) -> list[LetterHistory]:
        """The case's letters with their histories, oldest first (audited)."""

        def work(uow: UnitOfWork) -> list[LetterHistory]:
            case = require_case(uow, case_id)
            audit(uow, actor, "read", "case", case.id)
            return [
                LetterHistory(letter=letter, events=uow.letters.events(letter.id))
                for letter in uow.letters.list_for_case(case.id)
            ]

        return self._run(work)
