"""A local stand-in for KMD Sag's OIO services: Sag v6 and DokumentIndeks v6.

It validates every request body against the official SF1470 v6 schemas (plus the hub's
own ``sagshub-kmd-fil.xsd`` for the file in the local extension), keeps each case and
document as a list of registrations (Opret starts one, Ret adds one, Laes shows them),
searches (Soeg) by ``BrugervendtNoegle``, relation references and registration time,
and answers with ``StandardRetur`` (20, or 44 for an unknown uuid), schema-checked
before it leaves. The failures of :class:`tests.fakes.soap_service.SoapFake` apply.
"""

from __future__ import annotations

import base64
import copy
import functools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from lxml import etree

from plugins.contract_kit.remote import RemoteCase, RemoteDocument
from plugins.esdh_kmd_sag import settings as kmd
from plugins.esdh_kmd_sag.oio import GD, SD, q, references, relation, sub
from tests.fakes.soap_service import SoapFake, SoapFault, envelope_with, schema_set

FILE_SCHEMA = Path(kmd.__file__).with_name("sagshub-kmd-fil.xsd")
NAMESPACES = {"sag": kmd.SAG_NS, "dokument": kmd.DOKUMENT_NS}
LISTS = ("AttributListe", "TilstandListe", "RelationListe")
T0 = datetime(2024, 1, 1, tzinfo=UTC)


@functools.cache
def _schema(standards_dir: Path) -> etree.XMLSchema:
    folder = standards_dir / "sf1470/xsd/6.0.STS-0"
    return schema_set(
        [folder / "SagOperationer.xsd", folder / "DokumentIndeksOperationer.xsd", FILE_SCHEMA]
    )


@dataclass
class Registration:
    time: datetime
    lists: dict[str, etree._Element]


@dataclass
class FakeKmdSag(SoapFake):
    standards_dir: Path = Path()
    marker_class_urn: str = "urn:kmd:dokumentklasse:til-sagshub"
    urns: kmd.KmdSagUrns = field(default_factory=kmd.KmdSagUrns)
    held: dict[str, dict[str, list[Registration]]] = field(
        default_factory=lambda: {"sag": {}, "dokument": {}}
    )
    ticks: int = 0

    @property
    def sag_endpoint(self) -> str:
        return self.base_url + "/kmd/sag"

    @property
    def dokument_endpoint(self) -> str:
        return self.base_url + "/kmd/dokument"

    def reset(self) -> None:
        self.clear_script()
        for objects in self.held.values():
            objects.clear()

    def _now(self) -> datetime:
        """A clock that moves one second per registration: orders are never ties."""
        self.ticks += 1
        return T0 + timedelta(seconds=self.ticks)

    # --- SOAP -----------------------------------------------------------------------

    def operation_for(self, action: str) -> str | None:
        return next((op for op, a in kmd.default_actions().items() if a == action), None)

    def validate(self, body_child: etree._Element) -> list[str]:
        schema = _schema(self.standards_dir)
        if schema.validate(etree.ElementTree(copy.deepcopy(body_child))):
            return []
        return [f"{body_child.tag}: {e.message} (line {e.line})" for e in schema.error_log]

    def get(self, path: str, query: str) -> tuple[bytes, dict[str, str]] | None:
        return None  # KMD publishes no WSDL

    def answer(self, operation: str, envelope: etree._Element) -> etree._Element:
        service, name = operation.split(".")
        request = envelope[-1][0]
        output = etree.Element(q(NAMESPACES[service], f"{name}Output"))
        getattr(self, f"_{name.lower()}")(service, request, output)
        problems = self.validate(output)
        if problems:
            raise SoapFault(f"the fake's own answer is invalid: {problems}", code="Server")
        return envelope_with(output)

    def _opret(self, service: str, request: etree._Element, output: etree._Element) -> None:
        new = str(uuid.uuid4())
        self.held[service][new] = [self._registration(service, request, None)]
        _status(output, 20)
        sub(output, SD, "UUIDIdentifikator", new)

    def _ret(self, service: str, request: etree._Element, output: etree._Element) -> None:
        registrations = self.held[service].get(request.findtext(f"{{{SD}}}UUIDIdentifikator"))
        if registrations is None:
            _status(output, 44, "Objektet findes ikke")
            return
        registrations.append(self._registration(service, request, registrations[-1]))
        _status(output, 20)

    def _laes(self, service: str, request: etree._Element, output: etree._Element) -> None:
        wanted = request.findtext(f"{{{SD}}}UUIDIdentifikator")
        registrations = self.held[service].get(wanted)
        if registrations is None:
            _status(output, 44, "Objektet findes ikke")
            return
        _status(output, 20)
        ns = NAMESPACES[service]
        snapshot = sub(output, ns, "FiltreretOejebliksbillede")
        sub(sub(snapshot, ns, "ObjektType"), SD, "UUIDIdentifikator", wanted)
        for registration in registrations:
            element = sub(snapshot, ns, "Registrering")
            sub(element, SD, "Tidspunkt", registration.time.isoformat())
            sub(element, SD, "LivscyklusKode", "Opstaaet")
            for name in LISTS:
                element.append(copy.deepcopy(registration.lists[name]))

    def _soeg(self, service: str, request: etree._Element, output: etree._Element) -> None:
        ns = NAMESPACES[service]
        key = request.findtext(
            f"{{{ns}}}AttributListe/{{{ns}}}Egenskaber/{{{ns}}}BrugervendtNoegle"
        )
        since = request.findtext(
            f"{{{SD}}}SoegRegistrering/{{{SD}}}FraTidspunkt/{{{SD}}}TidsstempelDatoTid"
        )
        wanted = [
            (element.tag, ref)
            for element in request.find(f"{{{ns}}}RelationListe")
            for _, ref in references(element, etree.QName(element).localname)
        ]
        hits = []
        for held_uuid, registrations in self.held[service].items():
            latest = registrations[-1]
            lists = latest.lists
            held_key = lists["AttributListe"].findtext(
                f"{{{ns}}}Egenskaber/{{{ns}}}BrugervendtNoegle"
            )
            held_refs = {
                (element.tag, ref)
                for element in lists["RelationListe"]
                for _, ref in references(element, etree.QName(element).localname)
            }
            if (
                key in (None, held_key)
                and (since is None or latest.time >= datetime.fromisoformat(since))
                and all(w in held_refs for w in wanted)
            ):
                hits.append((latest.time, held_uuid))
        first = int(request.findtext(f"{{{SD}}}FoersteResultatReference") or 0)
        limit = int(request.findtext(f"{{{SD}}}MaksimalAntalKvantitet") or 500)
        _status(output, 20)
        ids = sub(output, SD, "IdListe")
        for _, held_uuid in sorted(hits)[first : first + limit]:
            sub(ids, SD, "UUIDIdentifikator", held_uuid)

    def _registration(
        self, service: str, request: etree._Element, previous: Registration | None
    ) -> Registration:
        ns = NAMESPACES[service]
        lists = {}
        for name in LISTS:
            given = request.find(f"{{{ns}}}{name}")
            if given is not None:
                lists[name] = copy.deepcopy(given)
            elif previous is not None:
                lists[name] = copy.deepcopy(previous.lists[name])
            else:
                lists[name] = etree.Element(q(ns, name))
        return Registration(self._now(), lists)

    # --- what the contract suites observe and do --------------------------------------

    def remote_cases(self) -> list[RemoteCase]:
        ns, views = kmd.SAG_NS, []
        for held_uuid, registrations in self.held["sag"].items():
            lists = registrations[-1].lists
            parties = list(references(lists["RelationListe"], "Sagspart"))
            classes = [ref or "" for _, ref in references(lists["RelationListe"], "Sagsklasse")]
            views.append(
                RemoteCase(
                    external_id=held_uuid,
                    title=lists["AttributListe"].findtext(f"{{{ns}}}Egenskaber/{{{ns}}}Titel")
                    or "",
                    kle_subject=next(
                        (
                            c.removeprefix(self.urns.kle_subject)
                            for c in classes
                            if c.startswith(self.urns.kle_subject)
                        ),
                        None,
                    ),
                    primary_party=next(
                        (
                            _number(ref)
                            for role, ref in parties
                            if role == self.urns.primary_party_role
                        ),
                        None,
                    ),
                    parties=[_number(ref) for _, ref in parties],
                )
            )
        return views

    def remote_documents(self) -> list[RemoteDocument]:
        ns, views = kmd.DOKUMENT_NS, []
        for held_uuid, registrations in self.held["dokument"].items():
            lists = registrations[-1].lists
            file = lists["AttributListe"].find(f"{{{GD}}}LokalUdvidelseListe/{{{kmd.FILE_NS}}}Fil")
            case = next(
                (
                    ref
                    for role, ref in references(lists["RelationListe"], "Dokumentrelation")
                    if role == self.urns.case_role
                ),
                None,
            )
            views.append(
                RemoteDocument(
                    external_id=held_uuid,
                    title=lists["AttributListe"].findtext(f"{{{ns}}}Egenskaber/{{{ns}}}Titel")
                    or "",
                    file_name=file.findtext(f"{{{kmd.FILE_NS}}}Filnavn"),
                    content=base64.b64decode(file.findtext(f"{{{kmd.FILE_NS}}}Indhold")),
                    case_external_id=case,
                )
            )
        return views

    def file_document(
        self, *, title, content, file_name, mime_type, cpr, for_hub=True, case_uuid=None
    ) -> str:
        """A caseworker files a document in KMD Sag, marked for the hub or not."""
        ns = kmd.DOKUMENT_NS
        request = etree.Element(q(ns, "OpretInput"))
        attributes = sub(request, ns, "AttributListe")
        properties = sub(attributes, ns, "Egenskaber")
        sub(properties, ns, "Titel", title)
        sub(properties, ns, "Type", "Brev, indgaaende")
        file = sub(sub(attributes, GD, "LokalUdvidelseListe"), kmd.FILE_NS, "Fil")
        sub(file, kmd.FILE_NS, "Filnavn", file_name)
        sub(file, kmd.FILE_NS, "MimeType", mime_type)
        sub(file, kmd.FILE_NS, "Indhold", base64.b64encode(content).decode("ascii"))
        sub(request, ns, "TilstandListe")
        relations = sub(request, ns, "RelationListe")
        if case_uuid is not None:
            relation(relations, ns, "Dokumentrelation", urn=case_uuid, role=self.urns.case_role)
        relation(relations, ns, "Dokumentpart", urn=f"urn:oio:cpr-nr:{cpr}")
        if for_hub:
            relation(relations, ns, "Dokumentklasse", urn=self.marker_class_urn)
        assert not self.validate(request), self.validate(request)
        new = str(uuid.uuid4())
        self.held["dokument"][new] = [self._registration("dokument", request, None)]
        return new


def _status(output: etree._Element, code: int, message: str = "OK") -> None:
    standard = sub(output, SD, "StandardRetur")
    sub(standard, SD, "StatusKode", str(code))
    sub(standard, SD, "FejlbeskedTekst", message)


def _number(urn: str | None) -> str:
    return (urn or "").rsplit(":", 1)[-1]
