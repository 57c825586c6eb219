"""MeMo 1.2 messages (Digital Post's message format), built with lxml and checked twice.

:func:`build_memo` enforces what the schema cannot (a version-4 message uuid given by
the caller, label ≤ 256, notification ≤ 150, UTC ``Z`` times, a two-letter language,
clean file names, allowed file types that match their bytes, a total size limit)
and :class:`MemoSchema` validates the result against the official MeMo XSD read
from the standards folder.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from uuid import UUID

from lxml import etree
from pydantic import BaseModel, ConfigDict, Field

from core.errors import InvalidValue, PayloadRejected
from core.values import parse_cpr, parse_cvr, to_utc
from plugins.eboks.filetypes import checked_type, sanitize_filename
from plugins.eboks.xmlsafe import assert_valid, load_schema

MEMO_NS = "https://DigitalPost.dk/MeMo-1"
KLE_NS = "http://kle-online.dk/"
MEMO_VERSION = "1.2"
MEMO_XSD = Path("memo/1.2/Version1.2/MeMo_core.xsd")
MAX_LABEL = 256
MAX_NOTIFICATION = 150
MAX_MESSAGE_BYTES = int(99.5 * 1024 * 1024)
"""Digital Post's limit for a whole message, base64 content included (99.5 MB)."""

_LANGUAGE = re.compile(r"^[a-z]{2}$")
_NSMAP = {"memo": MEMO_NS, "kle": KLE_NS}


class RecipientType(StrEnum):
    CPR = "CPR"
    CVR = "CVR"


class MemoFile(BaseModel):
    """One file of a document: its name as given, its declared type and its bytes."""

    filename: str = Field(min_length=1)
    mime_type: str
    content: bytes = Field(repr=False)
    language: str = "da"


class MemoDocument(BaseModel):
    """The main document or an additional one (an attachment)."""

    label: str | None = None
    files: list[MemoFile] = Field(min_length=1)


class KleData(BaseModel):
    """The case's KLE classification, as MeMo's ``kle:KLEdata`` wants it."""

    subject_key: str
    version: str
    label: str
    activity_facet: str | None = None


class MemoMessage(BaseModel):
    """Everything a Digital Post letter says, before it becomes XML."""

    model_config = ConfigDict(frozen=True)

    message_uuid: UUID = Field(description="generated once per letter; the same on every retry")
    label: str
    notification: str | None = None
    sender_cvr: str
    sender_label: str
    recipient_id: str = Field(repr=False)
    recipient_type: RecipientType
    recipient_label: str | None = None
    case_id: str | None = None
    case_system: str = "sagshub"
    kle: KleData | None = None
    created_at: datetime
    main: MemoDocument
    attachments: list[MemoDocument] = Field(default_factory=list)


def _q(name: str, ns: str = MEMO_NS) -> str:
    return f"{{{ns}}}{name}"


def _add(parent: etree._Element, name: str, text: str | None = None, ns: str = MEMO_NS):
    child = etree.SubElement(parent, _q(name, ns))
    if text is not None:
        child.text = text
    return child


def memo_time(moment: datetime) -> str:
    """A MeMo date-time: UTC, whole seconds, ending in ``Z``."""
    return to_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_text(value: str | None, limit: int, field: str, *, required: bool = False) -> None:
    if value is None or not value.strip():
        if required:
            raise InvalidValue("must not be empty", field=field)
        return
    if len(value) > limit:
        raise InvalidValue(f"at most {limit} characters (has {len(value)})", field=field)


def _check_header(message: MemoMessage) -> None:
    if message.message_uuid.version != 4:
        raise InvalidValue(
            "the message uuid must be a random (version 4) uuid", field="message_uuid"
        )
    _check_text(message.label, MAX_LABEL, "label", required=True)
    _check_text(message.notification, MAX_NOTIFICATION, "notification")
    _check_text(message.sender_label, MAX_LABEL, "sender_label", required=True)
    _check_text(message.recipient_label, MAX_LABEL, "recipient_label")
    parse_cvr(message.sender_cvr)
    if message.recipient_type is RecipientType.CPR:
        parse_cpr(message.recipient_id)
    else:
        parse_cvr(message.recipient_id)
    try:
        to_utc(message.created_at)
    except InvalidValue as exc:
        raise InvalidValue(exc.message, field="created_at") from None


def _encoded_size(size: int) -> int:
    return 4 * ((size + 2) // 3)


def _check_size(message: MemoMessage, max_bytes: int) -> None:
    files = [f for doc in (message.main, *message.attachments) for f in doc.files]
    total = sum(_encoded_size(len(f.content)) for f in files)
    if total > max_bytes:
        raise PayloadRejected(
            f"the files take {total} bytes as base64; a message may be at most {max_bytes}",
            field="size",
        )


def _add_file(parent: etree._Element, file: MemoFile, field: str) -> None:
    file_type = checked_type(file.mime_type, file.content, field=field)
    language = file.language.strip().lower()
    if not _LANGUAGE.match(language):
        raise InvalidValue("a language is two letters, like 'da'", field=f"{field}.language")
    node = _add(parent, "File")
    _add(node, "encodingFormat", file_type.mime_type)
    _add(node, "filename", sanitize_filename(file.filename, file_type))
    _add(node, "language", language)
    _add(node, "content", base64.b64encode(file.content).decode("ascii"))


def _add_document(parent: etree._Element, tag: str, doc: MemoDocument, field: str) -> None:
    node = _add(parent, tag)
    if doc.label and doc.label.strip():
        _add(node, "label", doc.label.strip()[:MAX_LABEL])
    for i, file in enumerate(doc.files):
        _add_file(node, file, f"{field}.files[{i}]")


def _add_content_data(header: etree._Element, message: MemoMessage) -> None:
    if message.case_id is None and message.kle is None:
        return
    content = _add(header, "ContentData")
    if message.case_id is not None:
        case = _add(content, "CaseID")
        _add(case, "caseID", message.case_id)
        _add(case, "caseSystem", message.case_system)
    if message.kle is not None:
        kle = _add(content, "KLEdata", ns=KLE_NS)
        _add(kle, "subjectKey", message.kle.subject_key, KLE_NS)
        _add(kle, "version", message.kle.version, KLE_NS)
        if message.kle.activity_facet:
            _add(kle, "activityFacet", message.kle.activity_facet, KLE_NS)
        _add(kle, "label", message.kle.label[:MAX_LABEL], KLE_NS)


def _add_header(root: etree._Element, message: MemoMessage) -> None:
    header = _add(root, "MessageHeader")
    _add(header, "messageType", "DIGITALPOST")
    _add(header, "messageUUID", str(message.message_uuid))
    _add(header, "label", message.label.strip())
    if message.notification and message.notification.strip():
        _add(header, "notification", message.notification.strip())
    sender = _add(header, "Sender")
    _add(sender, "senderID", message.sender_cvr)
    _add(sender, "idType", "CVR")
    _add(sender, "label", message.sender_label.strip())
    recipient = _add(header, "Recipient")
    _add(recipient, "recipientID", message.recipient_id)
    _add(recipient, "idType", message.recipient_type.value)
    if message.recipient_label and message.recipient_label.strip():
        _add(recipient, "label", message.recipient_label.strip())
    _add_content_data(header, message)


def build_memo(message: MemoMessage, *, max_bytes: int = MAX_MESSAGE_BYTES) -> etree._Element:
    """The ``memo:Message`` element for ``message``, after the rules the schema cannot check.

    :raises InvalidValue: a header value breaks a rule (the field is named).
    :raises PayloadRejected: a file's type or the total size is refused.
    """
    _check_header(message)
    _check_size(message, max_bytes)
    root = etree.Element(_q("Message"), nsmap=_NSMAP)
    root.set("memoVersion", MEMO_VERSION)
    _add_header(root, message)
    body = _add(root, "MessageBody")
    _add(body, "createdDateTime", memo_time(message.created_at))
    _add_document(body, "MainDocument", message.main, "main")
    for i, attachment in enumerate(message.attachments):
        _add_document(body, "AdditionalDocument", attachment, f"attachments[{i}]")
    return root


def serialize(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8")


class MemoSchema:
    """The official MeMo 1.2 schema from the standards folder."""

    def __init__(self, standards_dir: Path) -> None:
        self.schema = load_schema((standards_dir / MEMO_XSD).resolve())

    def validate(self, element: etree._Element, *, max_bytes: int = MAX_MESSAGE_BYTES) -> None:
        """Raise :class:`InvalidValue` (field ``memo``) unless ``element`` is a valid message
        no larger than ``max_bytes`` once serialised."""
        assert_valid(self.schema, element, field="memo")
        size = len(serialize(element))
        if size > max_bytes:
            raise PayloadRejected(
                f"the message is {size} bytes; at most {max_bytes} may be sent", field="size"
            )
