"""The metadata of a delivery, the same for the XML envelope and the JSON API.

:class:`DeliveryMetadata` is what ``POST /api/documents`` takes as its JSON
``metadata`` form field, and what the XML parser makes of an envelope; field for
field it mirrors ``schema/intake-1.xsd`` (the document's properties keep their
SF1470 DokumentIndeks names, in lower case). Both paths then share one
translation into :class:`core.intake.IncomingDocument` (:mod:`.translate`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from core.errors import DomainError, InvalidValue
from core.values import CaseNumber, parse_cpr, parse_cvr

IntakeChannel = Literal["scanning", "form", "email", "digital_post_reply", "esdh", "other"]
"""The channels a client system may name (``migration`` and ``caseworker`` are the hub's own)."""

DokumentType = Literal[
    "Faktura",
    "Brev, indgaaende",
    "Brev, udgaaende",
    "Brev",
    "Internt Notat",
    "Eksternt Notat",
    "Rapport",
    "Dagsorden",
    "Plan",
    "Andet",
]
"""SF1470 v6 DokumentIndeks ``Type``."""

Foelsomhed = Literal[
    "IKKE_FORTROLIGE_DATA",
    "FORTROLIGE_PERSONOPLYSNINGER",
    "FOELSOMME_PERSONOPLYSNINGER",
    "VIP_SAGER",
]
"""SF1470 v6 DokumentIndeks ``Foelsomhed``."""

CPR_URN = "urn:oio:cpr-nr:"
CVR_URN = "urn:oio:cvr-nr:"


def _valid_party(urn: str) -> str:
    """Check a party URN's number with :mod:`core.values` (a CPR's date, a CVR's check digit)."""
    if urn.startswith(CPR_URN):
        parse_cpr(urn.removeprefix(CPR_URN))
    else:
        parse_cvr(urn.removeprefix(CVR_URN))
    return urn


PartyUrn = Annotated[
    str,
    StringConstraints(pattern=r"^urn:oio:(cpr-nr:\d{10}|cvr-nr:\d{8})$"),
    AfterValidator(_valid_party),
]
"""A person (``urn:oio:cpr-nr:<CPR>``) or a company (``urn:oio:cvr-nr:<CVR>``)."""
_FILE_CHAR = r"[^/\\\x00-\x1f\x7f-\x9f]"
_FILE_CHAR_NOT_DOT = r"[^/\\\x00-\x1f\x7f-\x9f.]"
FileName = Annotated[
    str, StringConstraints(max_length=255, pattern=rf"^\.*{_FILE_CHAR_NOT_DOT}{_FILE_CHAR}*$")
]
_MIME_CHAR = r"[A-Za-z0-9!#$&^_.+\-]"
MimeType = Annotated[
    str,
    StringConstraints(
        max_length=255,
        pattern=rf"^[A-Za-z0-9]{_MIME_CHAR}{{0,126}}/[A-Za-z0-9]{_MIME_CHAR}{{0,126}}"
        rf'([ \t]*;[ \t]*{_MIME_CHAR}+=({_MIME_CHAR}+|"[^"]*"))*$',
    ),
]
MessageId = Annotated[str, StringConstraints(pattern=r"^[!-~]{1,255}$")]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class SenderMetadata(BaseModel):
    """Who sends: the client system and its own id of this message (the idempotency key)."""

    model_config = _STRICT

    system: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,99}$")]
    message_id: MessageId


class DocumentMetadata(BaseModel):
    """The document's properties under their SF1470 v6 DokumentIndeks names."""

    model_config = _STRICT

    titel: Annotated[
        str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\r\n]*\S[^\r\n]*$")
    ]
    brev_dato: date | None = None
    dokumentnummer: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    foelsomhed: Foelsomhed | None = None
    type: DokumentType | None = None


class CaseMetadata(BaseModel):
    """The target case by its uuid or its case number, and the activity on it when known."""

    model_config = _STRICT

    id: UUID | None = None
    number: CaseNumber | None = None
    activity_id: UUID | None = None

    @model_validator(mode="after")
    def _one_reference(self) -> CaseMetadata:
        if (self.id is None) == (self.number is None):
            raise ValueError("name the case by exactly one of its id and its number")
        return self


class PartMetadata(BaseModel):
    """One file: its name, declared type, the sender's sha256, and where its bytes are."""

    model_config = _STRICT

    file_name: FileName
    mime_type: MimeType
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$")] | None = None
    file: Annotated[str, StringConstraints(min_length=1, max_length=250)] | None = Field(
        default=None,
        description="the multipart part carrying the bytes: a form field name (JSON API) or a "
        "Content-ID (the envelope's cid: reference); None when the envelope had them inline",
    )


class VariantMetadata(BaseModel):
    model_config = _STRICT

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._\-]{0,63}$")]
    parts: list[PartMetadata] = Field(min_length=1, max_length=50)


class DeliveryMetadata(BaseModel):
    """Everything a delivery says about its document; the JSON model of ``/api/documents``."""

    model_config = _STRICT

    sender: SenderMetadata
    channel: IntakeChannel
    document: DocumentMetadata
    parties: list[PartyUrn] = Field(default_factory=list, max_length=50)
    case: CaseMetadata | None = None
    caseworker: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._@\\\-]{1,64}$")] | None = (
        None
    )
    reply_to: MessageId | None = None
    subject: Annotated[str, StringConstraints(min_length=1, max_length=998)] | None = None
    create_case: bool = False
    variants: list[VariantMetadata] = Field(min_length=1, max_length=10)


Loc = tuple[str | int, ...]


def json_field(loc: Loc) -> str:
    """A field of the JSON metadata as a path: ``variants[0].parts[1].sha256``."""
    path = ""
    for step in loc:
        path += f"[{step}]" if isinstance(step, int) else f".{step}" if path else step
    return path or "metadata"


def first_error(error: ValidationError) -> tuple[Loc, str]:
    """The location and message of a validation error's first complaint."""
    detail = error.errors(include_url=False)[0]
    cause = detail.get("ctx", {}).get("error")
    message = cause.message if isinstance(cause, DomainError) else detail["msg"]
    return tuple(detail["loc"]), message.removeprefix("Value error, ")


def parse_metadata_json(data: str | bytes) -> DeliveryMetadata:
    """Read the ``metadata`` form field of ``POST /api/documents``.

    Raises :class:`InvalidValue` naming the first field that is wrong
    (``variants[0].parts[1].mime_type``).
    """
    try:
        return DeliveryMetadata.model_validate_json(data)
    except ValidationError as error:
        loc, message = first_error(error)
        raise InvalidValue(message, field=json_field(loc)) from None
