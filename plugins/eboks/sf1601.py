"""Serviceplatformen SF1601 (KombiPostAfsend and PostForespoerg) over HTTPS with httpx.

A letter goes out as a ``kombi_request``: the ``KombiValgKode`` (``Digital Post``,
``Fysisk Post`` or ``Automatisk Valg``), the MeMo message and/or the remote-print
``ForsendelseI`` (in ``fjernprint:ForsendelseISamling``). Each call carries the
``x-TransaktionsId`` / ``x-TransaktionsTid`` headers and a token from the
:class:`~ports.tokens.TokenProvider`.

The answer is mapped to one of three outcomes:

- accepted: Serviceplatformen took the letter (a receipt says later whether it arrived);
- rejected: it refused the letter; ``FejlKode``/``FejlTekst`` are kept, no retry;
- transport error: the outcome is unknown (network, timeout, token, 401/403/408/429, 5xx,
  an unreadable answer); retry later with the *same* message uuid, which Digital Post
  uses to drop a duplicate.

The exact answer XML of KombiPostAfsend is not in the published schemas we hold, so
it is read by local names (``Result``, ``TransmissionID``, ``FejlKode``/``FejlId``,
``FejlTekst``) wherever they sit.
"""

from __future__ import annotations

import json
import logging
from enum import StrEnum
from uuid import UUID, uuid4

import httpx
from lxml import etree
from pydantic import BaseModel

from core.errors import InvalidValue, PayloadRejected
from core.models import Party, PartyKind, utcnow
from plugins.eboks.memo import MEMO_NS, memo_time
from plugins.eboks.privacy import scrub_cpr, scrub_logger
from plugins.eboks.xmlsafe import local_texts, parse_untrusted
from ports.integrations import LetterStatus, SendResult
from ports.letters import ChannelUnavailable
from ports.tokens import TokenProvider, TokenUnavailable

log = logging.getLogger(__name__)

FJERNPRINT_NS = "urn:oio:fjernprint:1.0.0"
KOMBI_AUDIENCE = "http://entityid.kombit.dk/service/kombipostafsend/1"
POSTFORESPOERG_AUDIENCE = "http://entityid.kombit.dk/service/postforespoerg/1"
KOMBI_PATH = "service/KombiPostAfsend_1/kombi"
POSTFORESPOERG_PATH = "service/PostForespoerg_1/digitalpost"
RETRYABLE_STATUS = frozenset({401, 403, 408, 425, 429})
MAX_ANSWER_BYTES = 1024 * 1024
MAX_ERROR_TEXT = 1000


class KombiValgKode(StrEnum):
    DIGITAL_POST = "Digital Post"
    FYSISK_POST = "Fysisk Post"
    AUTOMATISK_VALG = "Automatisk Valg"


class KombiOutcome(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    TRANSPORT_ERROR = "transport_error"


class KombiResult(BaseModel):
    """What became of one KombiPostAfsend call."""

    outcome: KombiOutcome
    transaction_id: UUID
    http_status: int | None = None
    transmission_id: str | None = None
    error_code: str | None = None
    error_text: str | None = None

    def send_result(self, channel: str) -> SendResult:
        """The port's view: sent, failed (rejected), or still queued with ``retry``."""
        status = {
            KombiOutcome.ACCEPTED: LetterStatus.SENT,
            KombiOutcome.REJECTED: LetterStatus.FAILED,
            KombiOutcome.TRANSPORT_ERROR: LetterStatus.QUEUED,
        }[self.outcome]
        return SendResult(
            status=status,
            channel=channel,
            error_code=self.error_code,
            error_text=self.error_text,
            retry=self.outcome is KombiOutcome.TRANSPORT_ERROR,
        )


def kombi_request(
    choice: KombiValgKode,
    *,
    memo: etree._Element | None = None,
    forsendelse: etree._Element | None = None,
) -> etree._Element:
    """The ``kombi_request`` document for ``choice``.

    Digital Post needs the MeMo message only, Fysisk Post the ForsendelseI only, and
    Automatisk Valg both (the ForsendelseI is the print fallback).
    """
    needs = {
        KombiValgKode.DIGITAL_POST: (True, False),
        KombiValgKode.FYSISK_POST: (False, True),
        KombiValgKode.AUTOMATISK_VALG: (True, True),
    }[choice]
    if needs != (memo is not None, forsendelse is not None):
        raise InvalidValue(
            f"{choice.value} needs {'a MeMo message' if needs[0] else 'no MeMo message'} and "
            f"{'a ForsendelseI' if needs[1] else 'no ForsendelseI'}",
            field="kombi_request",
        )
    root = etree.Element("kombi_request", nsmap={"memo": MEMO_NS, "fjernprint": FJERNPRINT_NS})
    etree.SubElement(root, "KombiValgKode").text = choice.value
    if memo is not None:
        root.append(memo)
    if forsendelse is not None:
        samling = etree.SubElement(root, f"{{{FJERNPRINT_NS}}}ForsendelseISamling")
        samling.append(forsendelse)
    return root


def _clip(text: str | None) -> str | None:
    return scrub_cpr(text.strip())[:MAX_ERROR_TEXT] if text and text.strip() else None


def _answer_fields(response: httpx.Response) -> dict[str, str] | None:
    """The answer's fields by local name, or None when it is not XML."""
    try:
        root = parse_untrusted(response.content, field="answer", max_bytes=MAX_ANSWER_BYTES)
    except PayloadRejected:
        return None
    return local_texts(root)


class Sf1601Client:
    """Calls SF1601 for one municipality.

    :param base_url: Serviceplatformen's root, e.g. ``https://prod.serviceplatformen.dk/``.
    :param http: the client to use (certificate, timeouts and proxies are set on it).
    """

    def __init__(self, base_url: str, tokens: TokenProvider, *, http: httpx.Client) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.tokens = tokens
        self.http = http
        scrub_logger("httpx")
        scrub_logger("httpcore")

    def _headers(self, audience: str, transaction_id: UUID) -> dict[str, str]:
        token = self.tokens.access_token(audience)
        return {
            "Authorization": token.authorization,
            "x-TransaktionsId": str(transaction_id),
            "x-TransaktionsTid": memo_time(utcnow()),
        }

    def send_kombi(self, request: etree._Element) -> KombiResult:
        """POST ``request`` to KombiPostAfsend and map the answer (never raises for transport)."""
        transaction_id = uuid4()
        body = etree.tostring(request, xml_declaration=True, encoding="UTF-8")
        try:
            headers = self._headers(KOMBI_AUDIENCE, transaction_id)
            headers["Content-Type"] = "application/xml"
            headers["Accept"] = "application/xml"
            response = self.http.post(self.base_url + KOMBI_PATH, content=body, headers=headers)
        except (httpx.HTTPError, TokenUnavailable) as exc:
            log.warning("SF1601 kombi %s: transport error %s", transaction_id, type(exc).__name__)
            return KombiResult(
                outcome=KombiOutcome.TRANSPORT_ERROR,
                transaction_id=transaction_id,
                error_text=_clip(f"{type(exc).__name__}: {exc}"),
            )
        result = self._map(response, transaction_id)
        if response.status_code == 401:
            self.tokens.forget(KOMBI_AUDIENCE)
        log.info(
            "SF1601 kombi %s: HTTP %s, %s", transaction_id, response.status_code, result.outcome
        )
        return result

    @staticmethod
    def _map(response: httpx.Response, transaction_id: UUID) -> KombiResult:
        status = response.status_code
        fields = _answer_fields(response)
        base = {"transaction_id": transaction_id, "http_status": status}
        code = (fields or {}).get("fejlkode") or (fields or {}).get("fejlid")
        text = _clip((fields or {}).get("fejltekst")) or (
            None if fields is not None else _clip(response.text)
        )
        if status in RETRYABLE_STATUS or status >= 500:
            return KombiResult(
                outcome=KombiOutcome.TRANSPORT_ERROR, error_code=code, error_text=text, **base
            )
        if 200 <= status < 300:
            result = (fields or {}).get("result", "").lower()
            if fields is None or result not in ("true", "false"):
                return KombiResult(
                    outcome=KombiOutcome.TRANSPORT_ERROR,
                    error_text="Serviceplatformen's answer could not be read",
                    **base,
                )
            if result == "true":
                transmission = fields.get("transmissionid")
                return KombiResult(
                    outcome=KombiOutcome.ACCEPTED, transmission_id=transmission, **base
                )
        return KombiResult(
            outcome=KombiOutcome.REJECTED,
            error_code=code or f"HTTP {status}",
            error_text=text,
            **base,
        )

    def is_registered(self, recipient: Party) -> bool:
        """Whether the recipient receives Digital Post (PostForespoerg).

        :raises ChannelUnavailable: the answer is unknown (network, token, an error status
            or an answer that is not ``{"result": true|false}``): ask again later.
        """
        transaction_id = uuid4()
        person = recipient.kind is PartyKind.PERSON
        params = {"cprNumber": recipient.cpr} if person else {"cvrNumber": recipient.cvr}
        try:
            headers = self._headers(POSTFORESPOERG_AUDIENCE, transaction_id)
            response = self.http.get(
                self.base_url + POSTFORESPOERG_PATH, params=params, headers=headers
            )
        except (httpx.HTTPError, TokenUnavailable) as exc:
            raise ChannelUnavailable(
                f"PostForespoerg {transaction_id} failed: {type(exc).__name__}"
            ) from None
        if response.status_code == 401:
            self.tokens.forget(POSTFORESPOERG_AUDIENCE)
        if response.status_code != 200:
            raise ChannelUnavailable(
                f"PostForespoerg {transaction_id} answered HTTP {response.status_code}"
            )
        try:
            answer = json.loads(response.content[:MAX_ANSWER_BYTES])
        except ValueError:
            answer = None
        result = answer.get("result") if isinstance(answer, dict) else None
        if not isinstance(result, bool):
            raise ChannelUnavailable(f"PostForespoerg {transaction_id} gave no true/false result")
        return result
