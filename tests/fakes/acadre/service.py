"""A local stand-in for Acadre PWS v7 (``AcadreServiceV7.asmx``).

It serves the official WSDL and schemas from the standards folder (the ``acadre/local``
WSDL copies, whose imports are relative), finds the operation by its SOAPAction,
validates every request body against the official XSDs, requires the ``SoapHeader/User``
header, keeps contacts, cases and main documents in memory, and answers with responses
rendered from the WSDL's own types and validated against the same XSDs before they
leave. Besides the failures of :class:`tests.fakes.soap_service.SoapFake`, a test can
give a CPR multi-cases (:meth:`FakeAcadre.give_multi_cases`): CreateCase then answers
"call again with MultiCaseIdentifiers".
"""

from __future__ import annotations

import functools
import itertools
import mimetypes
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import zeep
from lxml import etree
from zeep.helpers import serialize_object

from plugins.contract_kit.remote import RemoteCase, RemoteDocument
from tests.fakes.soap_service import SOAP_ENV, SoapFake, SoapFault, envelope_with, schema_set

HEADER_NS = "http://traen.com/Services/AcadreService"
SERVICE = "AcadreServiceV7"
ENDPOINT_PATH = "/acadre/AcadreServiceV7.asmx"
FILES_PATH = "/acadre/files/"
NOT_CREATED = "CaseNotCreatedAndListAMCReceived"
FILE_NAME = re.compile(r"^[A-Za-z0-9]+\.(wsdl|xsd)$")


@dataclass(frozen=True)
class _Wsdl:
    client: zeep.Client
    by_action: dict[str, Any]
    by_name: dict[str, Any]


@functools.cache
def _wsdl(standards_dir: Path) -> _Wsdl:
    """The WSDL, loaded once per run, and its SOAP 1.1 operations."""
    client = zeep.Client((standards_dir / "acadre/local/AcadreServiceV71.wsdl").as_uri())
    operations = [
        operation
        for name, port in client.wsdl.services[SERVICE].ports.items()
        if not name.endswith("71")  # the SOAP 1.2 twins
        for operation in port.binding._operations.values()
    ]
    return _Wsdl(
        client,
        {o.soapaction: o for o in operations},
        {o.name: o for o in operations},
    )


@functools.cache
def _schema(standards_dir: Path) -> etree.XMLSchema:
    return schema_set(sorted((standards_dir / "acadre").glob("schema*.xsd")))


@dataclass
class FakeAcadre(SoapFake):
    standards_dir: Path = Path()
    hub_marker_type: str = "DUBU"
    """The document type that marks a document for the hub (the source's search)."""
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    cases: dict[int, dict[str, Any]] = field(default_factory=dict)
    documents: dict[int, dict[str, Any]] = field(default_factory=dict)
    multi_cases: dict[str, list[int]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1001))

    @property
    def endpoint(self) -> str:
        return self.base_url + ENDPOINT_PATH

    def reset(self) -> None:
        """Forget everything: cases, contacts, documents, requests and the script."""
        self.clear_script()
        for held in (self.contacts, self.cases, self.documents, self.multi_cases):
            held.clear()

    def give_multi_cases(self, cpr: str, ids: list[int]) -> None:
        """From now on, a new case for ``cpr`` must be attached to these multi-cases."""
        self.multi_cases[cpr] = ids

    # --- GET: the WSDL, its schemas, document files ---------------------------------

    def get(self, path: str, query: str) -> tuple[bytes, dict[str, str]] | None:
        folder = self.standards_dir / "acadre"
        name = path.rsplit("/", 1)[-1]
        if path == ENDPOINT_PATH and query.lower() == "wsdl":
            return (folder / "local/AcadreServiceV71.wsdl").read_bytes(), {
                "Content-Type": "text/xml"
            }
        if FILE_NAME.match(name):
            found = folder / ("local" if name.endswith(".wsdl") else "") / name
            if found.is_file():
                return found.read_bytes(), {"Content-Type": "text/xml"}
        if path.startswith(FILES_PATH) and name.isdigit() and int(name) in self.documents:
            held = self.documents[int(name)]
            disposition = f"attachment; filename*=UTF-8''{quote(held['file_name'])}"
            return held["content"], {
                "Content-Type": held["mime_type"],
                "Content-Disposition": disposition,
            }
        return None

    # --- SOAP -----------------------------------------------------------------------

    def operation_for(self, action: str) -> str | None:
        operation = _wsdl(self.standards_dir).by_action.get(action)
        return operation.name if operation is not None else None

    def validate(self, body_child: etree._Element) -> list[str]:
        schema = _schema(self.standards_dir)
        if schema.validate(etree.ElementTree(_copy(body_child))):
            return []
        return [f"{body_child.tag}: {e.message} (line {e.line})" for e in schema.error_log]

    def user_of(self, envelope: etree._Element) -> str | None:
        user = envelope.find(f"{{{SOAP_ENV}}}Header/{{{HEADER_NS}}}SoapHeader/{{{HEADER_NS}}}User")
        return user.text if user is not None else None

    def answer(self, operation: str, envelope: etree._Element) -> etree._Element:
        if not self.user_of(envelope):
            raise SoapFault("SoapHeader/User is required")
        binding_operation = _wsdl(self.standards_dir).by_name[operation]
        value = binding_operation.input.deserialize(envelope)
        result = getattr(self, f"_{operation}", None)
        if result is None:
            raise SoapFault(f"{operation} is not implemented by the fake", code="Server")
        element = binding_operation.output.body
        rendered = etree.Element("holder")
        element.render(rendered, result(value))
        problems = self.validate(rendered[0])
        if problems:
            raise SoapFault(f"the fake's own answer is invalid: {problems}", code="Server")
        return envelope_with(rendered[0])

    def _type(self, namespace: str, name: str) -> Any:
        return _wsdl(self.standards_dir).client.get_type(f"{{{namespace}}}{name}")

    def _output(self, operation: str, **fields: Any) -> Any:
        return _wsdl(self.standards_dir).by_name[operation].output.body(**fields)

    # contacts

    def _SearchContacts(self, criterion: Any) -> Any:
        hits = [
            {"GUID": guid, "ContactTypeName": c["kind"], "ContactTitle": c["name"]}
            for guid, c in self.contacts.items()
            if c["identifier"] == criterion.SearchTerm
            and criterion.ContactTypeName in (None, c["kind"])
        ]
        return self._output("SearchContacts", ContactSearchResponse=hits)

    def _CreatePerson(self, person: Any) -> str:
        return self._add_contact(
            "Person", person.PersonCivilRegistrationIdentifier, person.PersonNameForAddressingName
        )

    def _CreateOrganization(self, organization: Any) -> str:
        return self._add_contact(
            "Organization", organization.CVRnumberIdentifier, organization.OrganizationName
        )

    def _add_contact(self, kind: str, identifier: str | None, name: str | None) -> str:
        if not identifier:
            raise SoapFault(f"a {kind} needs its CPR/CVR number")
        guid = str(uuid.uuid4())
        self.contacts[guid] = {"kind": kind, "identifier": identifier, "name": name or ""}
        return guid

    def _GetContact(self, guid: str) -> Any:
        contact = self.contacts.get(guid)
        if contact is None:
            raise SoapFault(f"no contact {guid}")
        ns = "http://www.traen.com/2007/11/01"
        if contact["kind"] == "Person":
            return self._type(ns, "PersonType2")(
                AdvertisementProtectionIndicator=False,
                PersonNameForAddressingName=contact["name"],
                BirthDateUncertaintyIndicator=False,
                PersonGenderCode="unknown",
                PersonCivilRegistrationIdentifier=contact["identifier"],
                NameAddressProtectionIndicator=False,
                GUID=guid,
            )
        return self._type(ns, "OrganizationType2")(
            AdvertisementProtectionIndicator=False,
            OrganizationName=contact["name"],
            CVRnumberIdentifier=contact["identifier"],
            GUID=guid,
        )

    # cases

    def _CreateCase(self, request: Any) -> Any:
        fields = _plain(request.CaseFile)
        primary = next((p for p in fields.get("Party") or [] if p.get("IsPrimary")), None)
        cpr = (
            self.contacts.get(primary["ContactReference"], {}).get("identifier")
            if primary
            else None
        )
        required = self.multi_cases.get(cpr or "", [])
        given = _plain(request.MultiCaseIdentifiers or {}).get("MultiCaseIdentifier") or []
        if required and not given:
            return self._output(
                "CreateCase",
                MultiCaseIdentifiers={"MultiCaseIdentifier": required},
                CreateCaseAndAMCResult=NOT_CREATED,
            )
        case_id = next(self._ids)
        today = date.today()
        fields.update(
            CaseFileIdentifier=case_id,
            Year=today.year,
            CaseFileSequenceNumber=case_id,
            CaseFileNumberIdentifier=f"{today:%y}/{case_id}",
            MultiCaseId=given[0] if given else None,
        )
        self.cases[case_id] = fields
        return self._output(
            "CreateCase",
            CaseFileIdentifier=case_id,
            CreateCaseAndAMCResult="CaseCrearedAndAttachedToAMC" if given else "CaseCreated",
        )

    def _GetCase(self, case_id: int) -> Any:
        return self._output("GetCase", **self._case_view(self._held_case(case_id)))

    def _UpdateCase(self, request: Any) -> int:
        case_id = int(request.CaseFileIdentifier)
        held = self._held_case(case_id)
        fields = _plain(request)
        held.update({k: v for k, v in fields.items() if v is not None})
        return case_id

    def _AdvancedCaseSearch(self, request: Any) -> Any:
        hits = [
            self._case_view(case)
            for case in self.cases.values()
            if request.Keyword in (None, (case.get("Classification") or {}).get("Keyword"))
            and request.Title in (None, case.get("CaseFileTitleText"))
        ]
        return self._output("AdvancedCaseSearch", CaseFileType3=hits)

    def _held_case(self, case_id: int) -> dict[str, Any]:
        if int(case_id) not in self.cases:
            raise SoapFault(f"Sagen {case_id} findes ikke")
        return self.cases[int(case_id)]

    def _case_view(self, case: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in case.items() if k != "MultiCaseId"}

    # main documents

    def _CreateMainDocument(self, request: Any) -> int:
        record = _plain(request.Record)
        self._held_case(record.get("CaseFileReference") or 0)
        document_id = next(self._ids)
        document = _plain(request.Document)
        document["DocumentIdentifier"] = document_id
        self.documents[document_id] = {
            "document": document,
            "record": record,
            "file_name": request.FileName,
            "content": request.XMLBinary or b"",
            "mime_type": _mime_type(request.FileName or ""),
        }
        return document_id

    def _UpdateMainDocument(self, request: Any) -> int:
        held = self.documents.get(int(request.DocumentId))
        if held is None:
            raise SoapFault(f"Dokumentet {request.DocumentId} findes ikke")
        if request.Record is not None:
            held["record"] = _plain(request.Record)
        if request.XMLBinary is not None:
            held["content"] = request.XMLBinary
            held["file_name"] = request.FileName
            held["mime_type"] = _mime_type(request.FileName or "")
        if request.DocumentTitle:
            held["document"]["DocumentTitleText"] = request.DocumentTitle
        return int(request.DocumentId)

    def _GetMainDocument(self, document_id: int) -> Any:
        held = self.documents.get(int(document_id))
        if held is None:
            raise SoapFault(f"Dokumentet {document_id} findes ikke")
        return self._output("GetMainDocument", **self._document_view(int(document_id)))

    def _MainDocumentSearch(self, request: Any) -> Any:
        wanted = {
            f["Name"]: f["Value"]
            for f in (_plain(request.CustomFields or {}).get("CustomFields") or [])
        }
        hits = []
        for document_id, held in self.documents.items():
            record, document = held["record"], held["document"]
            fields = _fields(record)
            if (
                request.CaseId in (None, record.get("CaseFileReference"))
                and request.DocumentTypeId in (None, record.get("DocumentTypeCode"))
                and request.DocumentStatusId in (None, document.get("DocumentStatusCode"))
                and all(fields.get(k) == v for k, v in wanted.items())
                and (request.SearchText or "") in (document.get("DocumentTitleText") or "")
            ):
                hits.append(self._document_view(document_id))
        return self._output("MainDocumentSearch", DocumentOutput=hits)

    def _document_view(self, document_id: int) -> dict[str, Any]:
        held = self.documents[document_id]
        return {
            "Document": held["document"],
            "DocumentLink": {"DocumentReference": document_id, "LinkDate": date.today()},
            "DocumentVersion": {
                "DocumentReference": document_id,
                "VersionNumber": 1,
                "ActiveIndicator": True,
                "VersionURL": f"{self.base_url}{FILES_PATH}{document_id}",
            },
            "Record": held["record"],
        }

    # --- what the contract suites observe and do --------------------------------------

    def remote_cases(self) -> list[RemoteCase]:
        views = []
        for case_id, case in self.cases.items():
            parties = case.get("Party") or []
            identifier = {
                p["ContactReference"]: self.contacts[p["ContactReference"]]["identifier"]
                for p in parties
            }
            primary = next((p for p in parties if p.get("IsPrimary")), None)
            categories = (case.get("Classification") or {}).get("Category") or []
            views.append(
                RemoteCase(
                    external_id=str(case_id),
                    title=case.get("CaseFileTitleText") or "",
                    kle_subject=next(
                        (c["Literal"] for c in categories if c.get("Principle") == "KL"), None
                    ),
                    primary_party=identifier[primary["ContactReference"]] if primary else None,
                    parties=list(identifier.values()),
                )
            )
        return views

    def remote_documents(self) -> list[RemoteDocument]:
        return [
            RemoteDocument(
                external_id=str(document_id),
                title=held["document"].get("DocumentTitleText") or "",
                file_name=held["file_name"] or "",
                content=held["content"],
                case_external_id=str(held["record"].get("CaseFileReference")),
            )
            for document_id, held in self.documents.items()
        ]

    def file_document(
        self, *, title, content, file_name, mime_type, cpr, for_hub=True, case_id=None
    ) -> int:
        """A caseworker files a document in Acadre on the CPR's case (made if needed)."""
        guid = next(
            (g for g, c in self.contacts.items() if c["identifier"] == cpr), None
        ) or self._add_contact("Person", cpr, "")
        if case_id is None:
            case_id = next(self._ids)
            self.cases[case_id] = {
                "CaseFileIdentifier": case_id,
                "CreationDate": date.today(),
                "CaseFileTitleText": f"Sag om {cpr[:6]}",
                "TitleUnofficialIndicator": False,
                "Party": [
                    {"ContactReference": guid, "CreationDate": date.today(), "IsPrimary": True}
                ],
            }
        document_id = next(self._ids)
        self.documents[document_id] = {
            "document": {
                "DocumentIdentifier": document_id,
                "DocumentTitleText": title,
                "DocumentPaperStorageIndicator": False,
            },
            "record": {
                "CaseFileReference": case_id,
                "RegistrationDate": date.today(),
                "DocumentDateUnknownIndicator": True,
                "RecordPaperStorageIndicator": False,
                "DocumentTypeCode": self.hub_marker_type if for_hub else "I",
            },
            "file_name": file_name,
            "content": content,
            "mime_type": mime_type,
        }
        return document_id


def _plain(value: Any) -> Any:
    """zeep values as plain dicts and lists (what the fake stores)."""
    return serialize_object(value, dict)


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    collection = record.get("CustomFieldCollection") or {}
    return {f["Name"]: f["Value"] for f in collection.get("CustomFields") or []}


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


def _mime_type(file_name: str) -> str:
    return mimetypes.guess_type(file_name)[0] or "application/octet-stream"
