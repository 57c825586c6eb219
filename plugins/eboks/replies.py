"""Replies to our letters: the placement rule that puts a citizen's answer on the letter's case.

A Digital Post reply is a MeMo message whose ``ReplyData`` names the message it
answers. :func:`replied_message_uuids` reads those uuids from the message, and the
intake of replies puts the one to correlate in ``IncomingDocument.reply_to``.
:class:`LetterReplyRule` then asks the lookup which case the letter with that message
uuid went out on (:class:`ports.letters.LetterCaseLookup`, implemented by the hub's
placement lookup) and places the reply there.
"""

from __future__ import annotations

import logging
from uuid import UUID

from lxml import etree

from core.models import PlacementTarget
from core.rules import PlacementContext, PlacementDecision
from plugins.eboks.memo import MEMO_NS
from ports.letters import LetterCaseLookup

log = logging.getLogger(__name__)


def _uuid(text: str | None) -> UUID | None:
    try:
        return UUID((text or "").strip())
    except ValueError:
        return None


def replied_message_uuids(message: etree._Element) -> list[UUID]:
    """The message uuids a MeMo message's ``ReplyData`` names, in order, without its own."""
    own = _uuid(message.findtext(f"{{{MEMO_NS}}}MessageHeader/{{{MEMO_NS}}}messageUUID"))
    found: list[UUID] = []
    for reply in message.iterfind(f"{{{MEMO_NS}}}MessageHeader/{{{MEMO_NS}}}ReplyData"):
        for name in ("messageUUID", "replyUUID"):
            uuid = _uuid(reply.findtext(f"{{{MEMO_NS}}}{name}"))
            if uuid is not None and uuid != own and uuid not in found:
                found.append(uuid)
    return found


class LetterReplyRule:
    """A document answering one of our letters goes on the case the letter went out on."""

    name = "letter_reply"

    def decide(self, context: PlacementContext) -> PlacementDecision | None:
        message_uuid = _uuid(context.document.reply_to)
        if message_uuid is None:
            return None
        lookup = context.lookup
        if not isinstance(lookup, LetterCaseLookup):
            log.warning("the placement lookup cannot find letters; replies are not correlated")
            return None
        case_id = lookup.case_for_letter_message(message_uuid)
        case = lookup.case_by_id(case_id) if case_id is not None else None
        if case is None:
            return None
        return PlacementDecision(
            target=PlacementTarget.CASE,
            rule=self.name,
            reason=f"a reply to the letter sent on case {case.number}",
            case_id=case.id,
            evidence={"letter_message_uuid": str(message_uuid), "case_number": case.number},
        )
