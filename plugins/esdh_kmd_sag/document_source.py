"""Documents filed in KMD Sag for the hub: those carrying the configured document class.

A poll searches (DokumentIndeks Soeg) the marked documents registered since the cursor,
page by page, reads each (Laes), and orders them by registration time and uuid. The
cursor is that pair, so a poll resumes right after the last document it delivered; the
message id is the KMD uuid, so a repeated poll delivers nothing twice.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime, time

from lxml import etree

from plugins.esdh_common.documents import hub_case_number
from plugins.esdh_common.errors import EsdhError
from plugins.esdh_kmd_sag.client import SYSTEM, KmdSagClient
from plugins.esdh_kmd_sag.oio import GD, SD, references, relation, sub
from plugins.esdh_kmd_sag.settings import KmdSagSettings, KmdSagSourceSettings
from ports.integrations import SourcedDocument, SourcedFile

CPR_URN = "urn:oio:cpr-nr:"
EPOCH = "1970-01-01T00:00:00+00:00"


def message_id(uuid: str) -> str:
    return f"kmd_sag:dokument:{uuid}"


class KmdSagDocumentSource:
    system_name = "kmd_sag"

    def __init__(
        self, client: KmdSagClient, settings: KmdSagSettings, source: KmdSagSourceSettings
    ) -> None:
        self._client = client
        self._settings = settings
        self._source = source

    def poll(self, cursor: str | None) -> Iterator[tuple[SourcedDocument, str]]:
        after = tuple(cursor.split("|", 1)) if cursor else (EPOCH, "")
        since = datetime.fromisoformat(after[0])
        found = []
        for uuid in self._marked_since(since):
            registered, snapshot = self._read("dokument", uuid)
            if (registered.isoformat(), uuid) > after:
                found.append((registered.isoformat(), uuid, snapshot))
        for registered, uuid, snapshot in sorted(found, key=lambda f: (f[0], f[1])):
            yield self._sourced(uuid, snapshot), f"{registered}|{uuid}"

    def _marked_since(self, since: datetime) -> list[str]:
        ns, uuids, first = self._client.namespace("dokument"), [], 0
        while True:
            request = self._client.request("dokument", "Soeg")
            sub(request, SD, "FoersteResultatReference", str(first))
            sub(request, SD, "MaksimalAntalKvantitet", str(self._source.page_size))
            interval = sub(request, SD, "SoegRegistrering")
            sub(sub(interval, SD, "FraTidspunkt"), SD, "TidsstempelDatoTid", since.isoformat())
            sub(request, ns, "AttributListe")
            sub(request, ns, "TilstandListe")
            relation(
                sub(request, ns, "RelationListe"),
                ns,
                "Dokumentklasse",
                urn=self._source.marker_class_urn,
            )
            answer = self._client.call("dokument", "Soeg", request, read=True)
            page = answer.xpath(".//sd:IdListe/sd:UUIDIdentifikator/text()", namespaces={"sd": SD})
            uuids += page
            if len(page) < self._source.page_size:
                return uuids
            first += len(page)

    def _read(self, service, uuid: str) -> tuple[datetime, etree._Element]:
        request = self._client.request(service, "Laes")
        sub(request, SD, "UUIDIdentifikator", uuid)
        answer = self._client.call(service, "Laes", request, read=True)
        registrations = answer.findall("{*}FiltreretOejebliksbillede/{*}Registrering")
        if not registrations:
            raise EsdhError(
                f"{service} {uuid} has no registration",
                system=SYSTEM,
                operation=f"{service}.Laes",
                retryable=False,
                kind="not_found",
            )
        latest = registrations[-1]
        stamp = latest.findtext(f"{{{SD}}}Tidspunkt")
        registered = datetime.fromisoformat(stamp) if stamp else datetime.now(UTC)
        return registered.astimezone(UTC), latest

    def _sourced(self, uuid: str, registration: etree._Element) -> SourcedDocument:
        ns, urns = self._client.namespace("dokument"), self._settings.urns
        properties = registration.find(f"{{{ns}}}AttributListe/{{{ns}}}Egenskaber")
        file = registration.find(
            f"{{{ns}}}AttributListe/{{{GD}}}LokalUdvidelseListe/{{{self._settings.file_namespace}}}Fil"
        )
        if file is None:
            raise EsdhError(
                f"document {uuid} carries no file",
                system=SYSTEM,
                operation="dokument.Laes",
                retryable=False,
                kind="no_file",
            )
        content = base64.b64decode(file.findtext("{*}Indhold") or "")
        if len(content) > self._source.max_file_bytes:
            raise EsdhError(
                f"document {uuid}'s file is larger than {self._source.max_file_bytes} bytes",
                system=SYSTEM,
                operation="dokument.Laes",
                retryable=False,
                kind="too_large",
            )
        parties = [ref for _, ref in references(registration, "Dokumentpart") if ref]
        case_uuid = next(
            (
                ref
                for role, ref in references(registration, "Dokumentrelation")
                if role == urns.case_role
            ),
            None,
        )
        case_number, caseworker = self._case(case_uuid)
        letter_date = _text(properties, ns, "BrevDato")
        return SourcedDocument(
            message_id=message_id(uuid),
            title=_text(properties, ns, "Titel") or f"KMD-dokument {uuid}",
            cprs=[p.removeprefix(CPR_URN) for p in parties if p.startswith(CPR_URN)],
            case_number=case_number,
            caseworker=caseworker,
            doc_type=_text(properties, ns, "Type") or "Brev, indgaaende",
            letter_date=(
                datetime.combine(datetime.fromisoformat(letter_date).date(), time(), UTC)
                if letter_date
                else None
            ),
            files=[
                SourcedFile(
                    name=file.findtext("{*}Filnavn") or f"kmd-{uuid}",
                    mime_type=file.findtext("{*}MimeType") or "application/octet-stream",
                    content=content,
                )
            ],
        )

    def _case(self, case_uuid: str | None) -> tuple[str | None, str | None]:
        """The hub case number and caseworker the KMD case names, when it names them."""
        if case_uuid is None:
            return None, None
        ns, urns = self._client.namespace("sag"), self._settings.urns
        _, registration = self._read("sag", case_uuid)
        number = registration.findtext(
            f"{{{ns}}}AttributListe/{{{ns}}}Egenskaber/{{{ns}}}Sagsnummer"
        )
        worker = next(
            (
                ref.removeprefix(urns.caseworker)
                for role, ref in references(registration, "Sagsaktoer")
                if role == urns.caseworker_role and ref and ref.startswith(urns.caseworker)
            ),
            None,
        )
        return hub_case_number(number), worker


def _text(parent: etree._Element | None, ns: str, name: str) -> str | None:
    return parent.findtext(f"{{{ns}}}{name}") if parent is not None else None
