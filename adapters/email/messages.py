"""Reading an e-mail (``.eml`` with the stdlib, Outlook ``.msg`` with extract-msg) within limits.

An e-mail from outside is hostile: its size is checked before it is parsed, and
the parsed message's MIME tree is walked with an explicit stack, refusing more
parts, deeper nesting or more attachments than :class:`EmailLimits` allow. What
comes out is a :class:`ReadEmail`: the headers a caseworker needs, the bodies, and
the attachments with their bytes.
"""

from __future__ import annotations

import re
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.errors import InvalidValue, PayloadRejected

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EML_TYPE = "message/rfc822"
MSG_TYPE = "application/vnd.ms-outlook"
_MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
_UNSAFE_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
MiB = 1024 * 1024


class EmailLimits(BaseModel):
    """What one e-mail may be."""

    model_config = ConfigDict(frozen=True)

    max_bytes: int = Field(default=50 * MiB, gt=0, description="the whole file")
    max_parts: int = Field(default=200, gt=0, description="MIME parts, all levels")
    max_depth: int = Field(default=8, gt=0, description="nesting of multiparts and messages")
    max_attachments: int = Field(default=50, ge=0)


class Attachment(BaseModel):
    name: str
    mime_type: str
    content: bytes = Field(repr=False)


class ReadEmail(BaseModel):
    """An e-mail as the hub keeps it."""

    subject: str
    sender: str | None = None
    to: str | None = None
    sent_at: datetime | None = None
    message_id: str | None = None
    text: str | None = None
    html: str | None = None
    attachments: list[Attachment] = Field(default_factory=list)


def is_msg(data: bytes) -> bool:
    """Whether the bytes are an OLE2 compound file (Outlook's ``.msg``)."""
    return data.startswith(OLE2_MAGIC)


def safe_name(name: str | None, fallback: str) -> str:
    """A file name without path separators, control or reserved characters, ≤ 255 chars."""
    cleaned = _UNSAFE_NAME.sub("_", (name or "").strip()).strip(". ")
    return (cleaned or fallback)[:255]


def mime_or_default(value: str | None) -> str:
    value = (value or "").strip().lower()
    return value if _MIME.match(value) else "application/octet-stream"


def _checked_size(data: bytes, limits: EmailLimits) -> None:
    if len(data) > limits.max_bytes:
        raise PayloadRejected(f"the e-mail is larger than {limits.max_bytes} bytes", field="email")
    if not data.strip():
        raise InvalidValue("the e-mail is empty", field="email")


def _date(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        moment = value if isinstance(value, datetime) else parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else None


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, IndexError):  # a malformed header the policy cannot fold
        return None
    text = " ".join(str(value).split()) if value is not None else ""
    return text[:1000] or None


def read_eml(data: bytes, limits: EmailLimits | None = None) -> ReadEmail:
    """An ``.eml`` (RFC 5322) message: headers, the text and HTML bodies, the attachments."""
    limits = limits or EmailLimits()
    _checked_size(data, limits)
    message = BytesParser(policy=policy.default).parsebytes(data)
    if not isinstance(message, EmailMessage) or not (message.keys() or message.get_payload()):
        raise InvalidValue("not an e-mail message", field="email")
    _check_tree(message, limits)
    text = html = None
    body = message.get_body(preferencelist=("plain",))
    if body is not None:
        text = _text_of(body)
    body = message.get_body(preferencelist=("html",))
    if body is not None:
        html = _text_of(body)
    attachments = [
        Attachment(
            name=safe_name(part.get_filename(), f"bilag-{i}"),
            mime_type=mime_or_default(part.get_content_type()),
            content=part.get_payload(decode=True) or b"",
        )
        for i, part in enumerate(message.iter_attachments(), start=1)
    ]
    if len(attachments) > limits.max_attachments:
        raise PayloadRejected(
            f"the e-mail has more than {limits.max_attachments} attachments", field="email"
        )
    return ReadEmail(
        subject=_header(message, "subject") or "",
        sender=_header(message, "from"),
        to=_header(message, "to"),
        sent_at=_date(_header(message, "date")),
        message_id=_header(message, "message-id"),
        text=text,
        html=html,
        attachments=attachments,
    )


def _text_of(part: EmailMessage) -> str | None:
    try:
        return part.get_content()
    except (LookupError, ValueError):  # an unknown charset: keep the bytes as Latin-1
        payload = part.get_payload(decode=True) or b""
        return payload.decode("latin-1")


def _check_tree(message: EmailMessage, limits: EmailLimits) -> None:
    """Refuse a MIME tree with too many parts or nested too deep (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(message, 1)]
    seen = 0
    while stack:
        part, depth = stack.pop()
        seen += 1
        if seen > limits.max_parts:
            raise PayloadRejected(
                f"the e-mail has more than {limits.max_parts} MIME parts", field="email"
            )
        if depth > limits.max_depth:
            raise PayloadRejected(
                f"the e-mail's MIME parts are nested deeper than {limits.max_depth}", field="email"
            )
        if part.is_multipart():
            stack.extend((child, depth + 1) for child in part.get_payload())


def read_msg(data: bytes, limits: EmailLimits | None = None) -> ReadEmail:
    """An Outlook ``.msg`` (OLE2 compound file), read with extract-msg."""
    import extract_msg

    limits = limits or EmailLimits()
    _checked_size(data, limits)
    try:
        message = extract_msg.openMsg(data, delayAttachments=False)
    except Exception as error:  # the library raises many kinds for a broken file
        reason = type(error).__name__
        raise InvalidValue(f"not a readable Outlook message ({reason})", field="email") from None
    try:
        return msg_contents(message, limits)
    finally:
        message.close()


def msg_contents(message: Any, limits: EmailLimits) -> ReadEmail:
    """What an opened extract-msg message holds. An attached message (a ``.msg`` in the
    ``.msg``) is kept as it is, as one more attachment, not opened."""
    attachments = list(getattr(message, "attachments", []) or [])
    if len(attachments) > limits.max_attachments:
        raise PayloadRejected(
            f"the e-mail has more than {limits.max_attachments} attachments", field="email"
        )
    read = []
    for i, attachment in enumerate(attachments, start=1):
        content = attachment.data
        if not isinstance(content, bytes):
            raise PayloadRejected(
                "an attachment is an embedded message; attach it as a file", field="email"
            )
        name = attachment.longFilename or attachment.shortFilename or attachment.displayName
        read.append(
            Attachment(
                name=safe_name(name, f"bilag-{i}"),
                mime_type=mime_or_default(getattr(attachment, "mimetype", None)),
                content=content,
            )
        )
    html = message.htmlBody
    return ReadEmail(
        subject=" ".join((message.subject or "").split())[:1000],
        sender=message.sender,
        to=message.to,
        sent_at=_date(message.date),
        message_id=(message.messageId or "").strip() or None,
        text=message.body,
        html=html.decode("utf-8", "replace") if isinstance(html, bytes) else html,
        attachments=read,
    )
