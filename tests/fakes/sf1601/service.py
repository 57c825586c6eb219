"""A fake SF1601: KombiPostAfsend and PostForespoerg, checking what it receives.

Every ``kombi_request`` is checked like the real service would: a valid token for
the service, the transaction headers, a known ``KombiValgKode`` with the parts it
needs, and the MeMo message and the ForsendelseI validated against the official
schemas from the standards folder. A repeated message uuid is answered as accepted
but recorded once (Digital Post drops duplicates by uuid).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID, uuid4

from litestar import Litestar, Request, Response, get, post
from lxml import etree

from plugins.eboks.xmlsafe import load_schema, parse_untrusted

MEMO_NS = "https://DigitalPost.dk/MeMo-1"
FJERNPRINT_NS = "urn:oio:fjernprint:1.0.0"
KOMBI_AUDIENCE = "http://entityid.kombit.dk/service/kombipostafsend/1"
POSTFORESPOERG_AUDIENCE = "http://entityid.kombit.dk/service/postforespoerg/1"
CHOICES = {
    "Digital Post": (True, False),
    "Fysisk Post": (False, True),
    "Automatisk Valg": (True, True),
}
_Z_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


class Refusal(Exception):
    def __init__(self, code: str, text: str, status: int = 400) -> None:
        super().__init__(text)
        self.code, self.text, self.status = code, text, status


@dataclass
class Accepted:
    """One letter the fake took, with the channel it went by."""

    message_uuid: str
    kanal: str
    kombi: str
    transmission_id: str
    recipient_id: str | None
    memo: bytes | None
    forsendelse: bytes | None


@dataclass
class FakeSf1601:
    standards_dir: Path
    sts: object
    registered: set[str] = field(default_factory=set)
    fail_next: list[int] = field(default_factory=list)
    accepted: dict[str, Accepted] = field(default_factory=dict)
    calls: int = 0
    duplicates: int = 0
    refusals: list[tuple[str, str]] = field(default_factory=list)
    lookups: int = 0

    def reset(self) -> None:
        """Forget everything, as a fresh service would."""
        self.registered.clear()
        self.fail_next.clear()
        self.accepted.clear()
        self.refusals.clear()
        self.calls = self.duplicates = self.lookups = 0

    def _check_headers(self, request: Request, audience: str) -> None:
        if not self.sts.is_valid(request.headers.get("authorization"), audience):
            raise Refusal("AUTH", "missing or invalid token", status=401)
        try:
            UUID(request.headers.get("x-transaktionsid", ""))
        except ValueError:
            raise Refusal("H1", "x-TransaktionsId is not a uuid") from None
        if not _Z_TIME.match(request.headers.get("x-transaktionstid", "")):
            raise Refusal("H2", "x-TransaktionsTid is not a UTC time ending in Z")

    def _validate(self, element: etree._Element, schema: Path, what: str) -> bytes:
        xsd = load_schema((self.standards_dir / schema).resolve())
        if not xsd.validate(element):
            raise Refusal("V1", f"{what} is not valid: {xsd.error_log.last_error.message}")
        return etree.tostring(element)

    def _take(self, body: bytes) -> Accepted:
        root = parse_untrusted(body, field="kombi_request")
        if root.tag != "kombi_request" or len(root) == 0 or root[0].tag != "KombiValgKode":
            raise Refusal("S1", "not a kombi_request starting with KombiValgKode")
        choice = (root[0].text or "").strip()
        if choice not in CHOICES:
            raise Refusal("S2", f"unknown KombiValgKode {choice!r}")
        memo = root.find(f"{{{MEMO_NS}}}Message")
        samling = root.find(f"{{{FJERNPRINT_NS}}}ForsendelseISamling")
        forsendelse = samling[0] if samling is not None and len(samling) == 1 else None
        if CHOICES[choice] != (memo is not None, forsendelse is not None):
            raise Refusal("S3", f"{choice} with the wrong parts")
        memo_xml = forsendelse_xml = recipient = None
        if memo is not None:
            memo_xml = self._validate(memo, Path("memo/1.2/Version1.2/MeMo_core.xsd"), "MeMo")
            uuid = memo.findtext(f".//{{{MEMO_NS}}}messageUUID")
            recipient = memo.findtext(f".//{{{MEMO_NS}}}recipientID")
        if forsendelse is not None:
            forsendelse_xml = self._validate(
                forsendelse, Path("fjernprint/wrapper_ForsendelseI.xsd"), "ForsendelseI"
            )
            if memo is None:
                uuid = forsendelse.findtext(f"{{{FJERNPRINT_NS}}}AfsendelseIdentifikator")
        digital = choice == "Digital Post" or (
            choice == "Automatisk Valg" and recipient in self.registered
        )
        return Accepted(
            message_uuid=uuid,
            kanal="Digital Post" if digital else "Fysisk Post",
            kombi=choice,
            transmission_id=str(uuid4()),
            recipient_id=recipient,
            memo=memo_xml,
            forsendelse=forsendelse_xml,
        )

    def app(self) -> Litestar:
        @post("/service/KombiPostAfsend_1/kombi", status_code=200)
        async def kombi(request: Request) -> Response:
            self.calls += 1
            if self.fail_next:
                return Response(b"<Fejl>busy</Fejl>", status_code=self.fail_next.pop(0))
            try:
                self._check_headers(request, KOMBI_AUDIENCE)
                letter = self._take(await request.body())
            except Refusal as refusal:
                self.refusals.append((refusal.code, refusal.text))
                return _xml(
                    f"<Fejl><Result>false</Result><FejlKode>{refusal.code}</FejlKode>"
                    f"<FejlTekst>{_escape(refusal.text)}</FejlTekst></Fejl>",
                    refusal.status,
                )
            known = self.accepted.setdefault(letter.message_uuid, letter)
            if known is not letter:
                self.duplicates += 1
            return _xml(
                "<KombiPostAfsendResponse><Result>true</Result>"
                f"<TransmissionID>{known.transmission_id}</TransmissionID>"
                "</KombiPostAfsendResponse>",
                200,
            )

        @get("/service/PostForespoerg_1/digitalpost")
        async def postforespoerg(request: Request) -> Response:
            self.lookups += 1
            if self.fail_next:
                return Response({"error": "busy"}, status_code=self.fail_next.pop(0))
            try:
                self._check_headers(request, POSTFORESPOERG_AUDIENCE)
            except Refusal as refusal:
                return Response({"error": refusal.text}, status_code=refusal.status)
            ident = request.query_params.get("cprNumber") or request.query_params.get("cvrNumber")
            if not ident:
                return Response({"error": "cprNumber or cvrNumber is required"}, status_code=400)
            return Response({"result": ident in self.registered})

        return Litestar(route_handlers=[kombi, postforespoerg])


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml(text: str, status: int) -> Response:
    return Response(text.encode(), status_code=status, media_type="application/xml")
