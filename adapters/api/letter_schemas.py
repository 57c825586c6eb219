"""The request and response bodies of letters, e-mail out and e-mail in."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from adapters.api.schemas import Links, case_url, document_url
from core.letters import MAX_NOTIFICATION, MAX_TITLE, LetterChoice, LetterEventSource
from core.services.letters import LetterHistory, LetterRequest, Mailto
from core.values import Cpr, Cvr
from ports.integrations import LetterStatus


def letter_url(letter_id: UUID) -> str:
    return f"/api/letters/{letter_id}"


class LetterIn(BaseModel):
    """A letter to send from the case. Without ``document_id``, the request is
    ``multipart/form-data`` with this as the field ``letter`` and the PDF as ``file``."""

    model_config = ConfigDict(extra="forbid")

    document_id: UUID | None = Field(default=None, description="a document on the case")
    recipient_party_id: UUID | None = Field(
        default=None, description="a party of the case; default: the case's primary party"
    )
    recipient_cpr: Cpr | None = Field(default=None, description="or any known party by CPR")
    recipient_cvr: Cvr | None = Field(default=None, description="or any known party by CVR")
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    notification: str | None = Field(default=None, max_length=MAX_NOTIFICATION)
    channel: LetterChoice = LetterChoice.AUTO

    def request(self, case_id: UUID) -> LetterRequest:
        return LetterRequest(case_id=case_id, **self.model_dump())


class LetterEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    status: LetterStatus
    source: LetterEventSource
    detail: str
    channel: str | None
    at: datetime
    receipt_id: str | None
    status_code: str | None
    occurred_at: datetime | None
    error_code: str | None
    error_text: str | None


class MailtoOut(BaseModel):
    """A link for the caseworker's own mail client; the subject carries the case tag."""

    mailto: str = Field(description="the link: mailto:<to>?subject=…&body=…")
    to: str | None
    subject: str
    body: str | None

    @classmethod
    def of(cls, mailto: Mailto) -> MailtoOut:
        return cls(mailto=mailto.link, to=mailto.to, subject=mailto.subject, body=mailto.body)


class LetterOut(BaseModel):
    """A letter and its status history (queued → sent → delivered, or failed)."""

    id: UUID
    case_id: UUID
    document_id: UUID
    recipient_id: UUID
    title: str
    requested: LetterChoice
    channel: str | None = Field(description="the channel chosen (kept for every retry)")
    status: LetterStatus
    message_uuid: UUID = Field(description="the same on every send, retries included")
    error_code: str | None
    error_text: str | None
    created_at: datetime
    history: list[LetterEventOut]
    mailto: MailtoOut | None = Field(
        default=None, description="for channel email: the link that sends it"
    )
    links: Links

    @classmethod
    def of(cls, found: LetterHistory, mailto: Mailto | None = None) -> LetterOut:
        letter = found.letter
        return cls(
            **letter.model_dump(
                include={
                    "id",
                    "case_id",
                    "document_id",
                    "recipient_id",
                    "title",
                    "requested",
                    "channel",
                    "status",
                    "message_uuid",
                    "error_code",
                    "error_text",
                    "created_at",
                }
            ),
            history=[LetterEventOut.model_validate(e) for e in found.events],
            mailto=MailtoOut.of(mailto) if mailto else None,
            links={
                "self": letter_url(letter.id),
                "case": case_url(letter.case_id),
                "document": document_url(letter.document_id),
            },
        )
