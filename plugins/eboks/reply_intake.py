"""A citizen's Digital Post reply, taken in: the MeMo message becomes a document for intake.

The reply is validated against the MeMo schema, its files are staged in the blob
store, and :class:`core.intake.IncomingDocument` carries ``reply_to`` from the
message's ``ReplyData`` (the message uuid of our letter), so
:class:`plugins.eboks.replies.LetterReplyRule` places it on the letter's case. The
sender's CPR or CVR goes along, so a reply that answers no letter of ours is still
placed by the party. The message itself is kept as the ``original`` variant.

:func:`reply_router` mounts ``POST /plugins/eboks/replies``; like the receipt endpoint
it is reached by the Digital Post infrastructure, whose certificate is checked in
front of the hub, so it opts out of the hub's API keys.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import Any

import anyio.to_thread
from litestar import Request, Response, Router, post
from lxml import etree

from core.errors import InvalidValue
from core.intake import IncomingDocument, IncomingVariant, StagedPart
from core.models import Channel
from plugins.eboks.memo import MAX_MESSAGE_BYTES, MEMO_NS, MemoSchema
from plugins.eboks.replies import replied_message_uuids
from plugins.eboks.xmlsafe import parse_untrusted
from ports.blobs import BlobStore

REPLIES_PATH = "/plugins/eboks/replies"
SENDER_SYSTEM = "digital-post"
Stage = Callable[[bytes, str, str], StagedPart]
"""Stages bytes with a file name and a mime type."""


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def _text(node: etree._Element | None, path: str) -> str | None:
    """The text at ``path`` (MeMo names separated by ``/``), stripped; None when empty."""
    if node is None:
        return None
    value = node.findtext("/".join(f"{{{MEMO_NS}}}{step}" for step in path.split("/")))
    return value.strip() if value and value.strip() else None


def _file_name(name: str) -> str:
    return _UNSAFE.sub("_", name).strip(" .")[:255] or "fil"


def _files(message: etree._Element) -> list[tuple[str, str, bytes]]:
    """(file name, mime type, bytes) of every file of the main and additional documents."""
    found = []
    body = f"{{{MEMO_NS}}}MessageBody"
    for tag in ("MainDocument", "AdditionalDocument"):
        for document in message.iterfind(f"{body}/{{{MEMO_NS}}}{tag}"):
            for file in document.iterfind(f"{{{MEMO_NS}}}File"):
                name = _text(file, "filename") or "fil"
                mime = (_text(file, "encodingFormat") or "application/octet-stream").lower()
                try:
                    content = base64.b64decode(_text(file, "content") or "", validate=True)
                except (binascii.Error, ValueError):
                    raise InvalidValue(
                        f"the file {name!r} is not valid base64", field="memo.content"
                    ) from None
                found.append((_file_name(name), mime, content))
    return found


def reply_document(memo_xml: bytes, schema: MemoSchema, stage: Stage) -> IncomingDocument:
    """The document a MeMo reply makes; its files are staged with ``stage``.

    :raises InvalidValue: / :raises PayloadRejected: not a valid MeMo message.
    """
    message = parse_untrusted(memo_xml, field="memo", max_bytes=MAX_MESSAGE_BYTES)
    schema.validate(message)
    header = f"{{{MEMO_NS}}}MessageHeader"
    head = message.find(header)
    own_uuid = _text(head, "messageUUID")
    sender_id = _text(head, "Sender/senderID")
    id_type = (_text(head, "Sender/idType") or "").upper()
    replied = replied_message_uuids(message)
    files = _files(message)
    if not files:
        raise InvalidValue("the reply has no files", field="memo.MessageBody")
    parts = [stage(content, name, mime) for name, mime, content in files]
    original = stage(memo_xml, f"digital-post-{own_uuid}.xml", "application/xml")
    return IncomingDocument(
        sender_system=SENDER_SYSTEM,
        message_id=str(own_uuid),
        title=(_text(head, "label") or "Svar via Digital Post")[:500],
        doc_type="Brev, indgaaende",
        channel=Channel.DIGITAL_POST_REPLY,
        cprs=[sender_id] if id_type == "CPR" and sender_id else [],
        cvrs=[sender_id] if id_type == "CVR" and sender_id else [],
        reply_to=str(replied[0]) if replied else None,
        variants=[
            IncomingVariant(name="arkiv", parts=parts),
            IncomingVariant(name="original", parts=[original]),
        ],
    )


def blob_stage(blobs: BlobStore, tokens: list[str]) -> Stage:
    """Stages into ``blobs``, noting each token so a failed reply can discard them."""

    def stage(content: bytes, name: str, mime: str) -> StagedPart:
        writer = blobs.writer(max_bytes=MAX_MESSAGE_BYTES)
        try:
            writer.write(content)
            blob = writer.finish()
        except BaseException:
            writer.abort()
            raise
        tokens.append(blob.token)
        return blob.as_part(name, mime)

    return stage


def take_reply(memo_xml: bytes, services: Any) -> Any:
    """Receive one reply through the hub's intake; the intake's receipt."""
    tokens: list[str] = []
    try:
        schema = MemoSchema(services.standards_dir)
        incoming = reply_document(memo_xml, schema, blob_stage(services.blobs, tokens))
    except BaseException:
        for token in tokens:
            services.blobs.discard(token)
        raise
    return services.intake.receive(incoming)


def reply_router(services_of: Callable[[], Any], *, path: str = REPLIES_PATH) -> Router:
    """``POST`` a MeMo reply (``application/xml``); 201 with where it landed."""

    @post(
        "/",
        status_code=201,
        request_max_body_size=MAX_MESSAGE_BYTES,
        summary="Receive a citizen's Digital Post reply (a MeMo message)",
    )
    async def receive_reply(request: Request) -> Response[dict[str, Any]]:
        body = await request.body()
        receipt = await anyio.to_thread.run_sync(take_reply, body, services_of())
        return Response(
            receipt.model_dump(mode="json"), status_code=200 if receipt.duplicate else 201
        )

    return Router(path=path, route_handlers=[receive_reply], opt={"exclude_from_auth": True})
