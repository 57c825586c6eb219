"""Letters from a case, e-mail out and e-mail in.

- ``POST /api/cases/{id}/letters`` (``cases:write``): a document on the case, or an
  uploaded PDF (``multipart/form-data``: the field ``letter`` as JSON, then ``file``),
  to a party, by a channel; answered 202 with the letter, recorded and queued.
- ``GET /api/letters/{id}``, ``GET /api/cases/{id}/letters`` (``cases:read``): the
  letters with their status history (receipts included).
- ``GET /api/cases/{id}/mailto`` (``cases:read``): a ``mailto:`` link whose subject
  carries the case tag.
- ``POST /api/cases/{id}/emails`` (``cases:write``): an ``.eml`` or Outlook ``.msg``
  filed on the case (or one of its activities) as a document.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar
from uuid import UUID, uuid4

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import FromPath, FromQuery, QueryParameter
from pydantic import ValidationError

from adapters.api.auth import Caller, require_scope
from adapters.api.dependencies import CallerDep, LettersDep, ReceptionDep
from adapters.api.intake import receipt_response, unsupported
from adapters.api.letter_schemas import LetterIn, LetterOut, MailtoOut, letter_url
from adapters.api.multipart import MultipartReader, StreamedPart, split_header
from adapters.api.openapi import BINARY, form, streamed_body
from adapters.api.schemas import ReceiptOut
from adapters.email.filing import email_document, staging_for
from adapters.email.messages import EML_TYPE, MSG_TYPE, EmailLimits, safe_name
from adapters.intake.limits import IntakeLimits
from adapters.intake.staging import DeliveryStaging
from core.errors import InvalidValue, PayloadRejected
from core.intake import CaseReference, IncomingDocument, IncomingVariant, StagedPart
from core.letters import LetterChoice
from core.models import Channel
from core.services.letters import LetterService
from ports.blobs import BlobStore
from ports.clients import Scope

LETTER_JSON = Schema(type=OpenAPIType.OBJECT, description="a LetterIn")
READ = {"caller": require_scope(Scope.CASES_READ)}
WRITE = {"caller": require_scope(Scope.CASES_WRITE)}
EMAIL_LIMITS = EmailLimits()
MAX_LETTER_JSON = 64 * 1024
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
"""An uploaded letter: Digital Post takes at most 99.5 MB per message."""
UPLOAD_SENDER = "letters"
EMAIL_TYPES = (EML_TYPE, MSG_TYPE, "application/octet-stream")


def _letter_in(data: bytes) -> LetterIn:
    try:
        return LetterIn.model_validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(step) for step in first["loc"]) or "letter"
        raise InvalidValue(first["msg"].removeprefix("Value error, "), field=field) from None


async def _stage_pdf(part: StreamedPart, staging: DeliveryStaging, title: str) -> StagedPart:
    blob = await staging.astage(part.chunks(), field="file")
    if not blob.head.startswith(b"%PDF-"):
        raise InvalidValue("a letter is uploaded as a PDF", field="file")
    return blob.as_part(safe_name(title, "brev")[:250] + ".pdf", "application/pdf")


async def _upload(
    request: Request, boundary: str, case_id: UUID, staging: DeliveryStaging
) -> tuple[LetterIn, IncomingDocument]:
    """The ``letter`` field and the uploaded ``file``, as a document to file on the case."""
    letter: LetterIn | None = None
    pdf: StagedPart | None = None
    async for part in MultipartReader(request.stream(), boundary).parts():
        if part.form_name == "letter" and letter is None:
            letter = _letter_in(await part.read(MAX_LETTER_JSON, field="letter"))
        elif part.form_name == "file" and pdf is None and letter is not None:
            pdf = await _stage_pdf(part, staging, letter.title)
        else:
            raise InvalidValue(f"unexpected part {part.form_name!r}", field="body")
    if letter is None or pdf is None:
        raise InvalidValue("send the field 'letter' (JSON), then 'file' (PDF)", field="body")
    document = IncomingDocument(
        sender_system=UPLOAD_SENDER,
        message_id=f"upload:{uuid4()}",
        title=letter.title,
        doc_type="Brev, udgaaende",
        channel=Channel.CASEWORKER,
        case=CaseReference(case_id=case_id),
        variants=[IncomingVariant(name="arkiv", parts=[pdf])],
    )
    return letter, document


def _answer(letters: LetterService, letter_id: UUID, caller: Caller) -> LetterOut:
    found = letters.history(letter_id, caller.name)
    mailto = None
    if found.letter.requested is LetterChoice.EMAIL:
        mailto = letters.mailto(
            found.letter.case_id,
            caller.name,
            party_id=found.letter.recipient_id,
            subject=found.letter.title,
            body=found.letter.notification,
        )
    return LetterOut.of(found, mailto)


class LetterController(Controller):
    tags: ClassVar[list[str]] = ["letters"]

    @post(
        "/api/cases/{case_id:uuid}/letters",
        operation_id="sendLetter",
        summary="Send a document from the case to a party (recorded and queued: 202)",
        dependencies=WRITE,
        status_code=202,
        request_max_body_size=MAX_UPLOAD_BYTES + MAX_LETTER_JSON,
        responses={202: ResponseSpec(LetterOut, description="recorded and queued")},
        operation_class=streamed_body(
            "a LetterIn as JSON, or the fields 'letter' (JSON) and 'file' (PDF)",
            {
                "application/json": LETTER_JSON,
                "multipart/form-data": form({"letter": BINARY, "file": BINARY}),
            },
        ),
    )
    async def send_letter(
        self,
        request: Request,
        caller: CallerDep,
        letters: LettersDep,
        reception: ReceptionDep,
        case_id: FromPath[UUID],
    ) -> Response[Any]:
        media, params = split_header(request.headers.get("content-type"))
        if media == "application/json":
            body = await request.body()
            if len(body) > MAX_LETTER_JSON:
                raise PayloadRejected("the letter's JSON is too large", field="body")
            wanted = _letter_in(body).request(case_id)
            letter = await anyio.to_thread.run_sync(letters.request, wanted, caller.name)
        elif media == "multipart/form-data":
            letter = await self._with_upload(
                request, params, caller, letters, reception.blobs, case_id
            )
        else:
            return unsupported(media, ("application/json", "multipart/form-data"))
        answer = await anyio.to_thread.run_sync(_answer, letters, letter.id, caller)
        return Response(answer, status_code=202, headers={"Location": letter_url(letter.id)})

    @staticmethod
    async def _with_upload(
        request: Request,
        params: dict[str, str],
        caller: Caller,
        letters: LetterService,
        blobs: BlobStore,
        case_id: UUID,
    ) -> Any:
        limits = IntakeLimits(max_part_bytes=MAX_UPLOAD_BYTES, max_document_bytes=MAX_UPLOAD_BYTES)
        with DeliveryStaging(blobs, limits) as staging:
            wanted, document = await _upload(request, params.get("boundary", ""), case_id, staging)
            return await anyio.to_thread.run_sync(
                lambda: letters.request(wanted.request(case_id), caller.name, upload=document)
            )

    @get(
        "/api/letters/{letter_id:uuid}",
        operation_id="getLetter",
        summary="A letter with its status history (receipts included)",
        dependencies=READ,
        sync_to_thread=True,
    )
    def get_letter(
        self, caller: CallerDep, letters: LettersDep, letter_id: FromPath[UUID]
    ) -> LetterOut:
        return _answer(letters, letter_id, caller)

    @get(
        "/api/letters/{letter_id:uuid}/pdf",
        operation_id="printLetter",
        summary="A locally printed letter as one PDF, for the caseworker to print and post",
        dependencies=READ,
        sync_to_thread=True,
        media_type="application/pdf",
    )
    def print_letter(
        self, caller: CallerDep, letters: LettersDep, letter_id: FromPath[UUID]
    ) -> Response[bytes]:
        pdf = letters.printable(letter_id, caller.name)
        return Response(
            pdf, media_type="application/pdf", headers={"X-Content-Type-Options": "nosniff"}
        )

    @get(
        "/api/cases/{case_id:uuid}/letters",
        operation_id="listLetters",
        summary="The case's letters, oldest first, with their status histories",
        dependencies=READ,
        sync_to_thread=True,
    )
    def case_letters(
        self, caller: CallerDep, letters: LettersDep, case_id: FromPath[UUID]
    ) -> list[LetterOut]:
        return [LetterOut.of(found) for found in letters.for_case(case_id, caller.name)]

    @get(
        "/api/cases/{case_id:uuid}/mailto",
        operation_id="mailtoLink",
        summary="A mailto: link whose subject carries the case tag",
        dependencies=READ,
        sync_to_thread=True,
    )
    def mailto(
        self,
        caller: CallerDep,
        letters: LettersDep,
        case_id: FromPath[UUID],
        subject: Annotated[str | None, QueryParameter(max_length=500)] = None,
        text: Annotated[
            str | None,
            QueryParameter(name="body", max_length=10_000, description="the mail's body"),
        ] = None,
    ) -> MailtoOut:
        return MailtoOut.of(letters.mailto(case_id, caller.name, subject=subject, body=text))

    @post(
        "/api/cases/{case_id:uuid}/emails",
        operation_id="fileEmail",
        summary="File an e-mail (.eml or Outlook .msg) on the case, or one of its activities",
        dependencies=WRITE,
        request_max_body_size=EMAIL_LIMITS.max_bytes,
        operation_class=streamed_body("the e-mail file", dict.fromkeys(EMAIL_TYPES, BINARY)),
    )
    async def file_email(
        self,
        request: Request,
        caller: CallerDep,
        reception: ReceptionDep,
        case_id: FromPath[UUID],
        activity_id: FromQuery[UUID | None] = None,
    ) -> Response[ReceiptOut]:
        media, _ = split_header(request.headers.get("content-type"))
        if media not in EMAIL_TYPES:
            return unsupported(media, EMAIL_TYPES)
        data = await request.body()

        def file() -> Any:
            with staging_for(reception.blobs, EMAIL_LIMITS) as staging:
                incoming = email_document(data, case_id, activity_id, staging)
                return reception.intake.file(incoming)

        return receipt_response(await anyio.to_thread.run_sync(file))
