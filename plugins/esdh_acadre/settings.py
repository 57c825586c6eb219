"""The ``[plugins.esdh_acadre]`` table: where Acadre is, who the hub is there, and how
the municipality's Acadre is set up (codes, units, users). Secrets are named by the
environment variable that holds them, never written in the table."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from plugins.esdh_common.soap import CallSettings

ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


class AcadreCaseSettings(BaseModel):
    """How a hub case becomes an Acadre case (CaseService CreateCase/UpdateCase)."""

    model_config = ConfigDict(extra="forbid")

    case_type_code: str = Field(default="BUSAG", description="CaseFileTypeCode")
    administrative_unit: int | None = Field(default=None, ge=0, description="the unit's id")
    access_code: str | None = Field(default=None, description="AccessCode, e.g. BO")
    caseworkers: dict[str, int] = Field(
        default_factory=dict, description="hub username → Acadre user id (CaseFileManager)"
    )
    default_case_manager: int | None = Field(default=None, ge=0)
    open_status_code: str = "B"
    closed_status_code: str = "A"
    locked_status_code: str | None = Field(
        default=None,
        description="a status that keeps the copy closed for editing in Acadre; "
        "None: the copy is open or closed as the hub case is",
    )
    kle_principle: str = Field(default="KL", description="Category/Principle of the KLE subject")
    facet_principle: str = Field(default="FACET", description="Category/Principle of the facet")
    primary_relation: str | None = Field(default=None, description="PartyRelationTypeLiteral")
    other_relation: str | None = None
    multi_case: Literal["attach", "refuse"] = Field(
        default="attach",
        description="when Acadre answers with the party's multi-cases: create the case "
        "again attached to them, or refuse the export for a person to decide",
    )


class AcadreDocumentSettings(BaseModel):
    """How a hub document becomes an Acadre main document (CreateMainDocument)."""

    model_config = ConfigDict(extra="forbid")

    document_type_codes: dict[str, str] = Field(
        default_factory=lambda: {"Brev, indgaaende": "I", "Brev, udgaaende": "U", "Notat": "N"},
        description="hub doc_type → Record/DocumentTypeCode",
    )
    default_document_type_code: str = "I"
    record_status_code: str = "J"
    document_status_code: str = "F"
    document_category_code: str | None = None
    access_code: str | None = None
    hub_id_field: str = Field(
        default="SagshubId",
        description="the record custom field that carries the hub's document id",
    )


class AcadreSourceSettings(BaseModel):
    """Which Acadre documents are meant for the hub (MainDocumentSearch criteria)."""

    model_config = ConfigDict(extra="forbid")

    document_type_id: str | None = None
    document_status_id: str | None = None
    case_status_code: str | None = None
    search_text: str | None = None
    marker_field: str | None = Field(default=None, description="a custom field name …")
    marker_value: str | None = Field(default=None, description="… and the value that marks")
    max_file_bytes: int = Field(default=100 * 1024 * 1024, gt=0)

    @model_validator(mode="after")
    def _something_marks_a_document(self) -> AcadreSourceSettings:
        criteria = (self.document_type_id, self.document_status_id, self.search_text)
        if all(c is None for c in criteria) and self.marker_field is None:
            raise ValueError(
                "name what marks a document for the hub: document_type_id, "
                "document_status_id, search_text or marker_field"
            )
        if (self.marker_field is None) != (self.marker_value is None):
            raise ValueError("marker_field and marker_value go together")
        return self


class AcadreSettings(CallSettings):
    """Acadre PWS v7 (``AcadreServiceV7.asmx``); its WSDL is read from ``endpoint?wsdl``."""

    model_config = ConfigDict(extra="forbid")

    endpoint: HttpUrl
    user_env: str = Field(
        pattern=ENV_NAME, description="variable holding the Acadre user for SoapHeader/User"
    )
    ntlm_user_env: str | None = Field(
        default=None, pattern=ENV_NAME, description="variable holding DOMAIN\\user for NTLM"
    )
    ntlm_password_env: str | None = Field(default=None, pattern=ENV_NAME)
    header_namespace: str = Field(
        default="http://traen.com/Services/AcadreService",
        description="namespace of the SoapHeader element (not in the WSDL)",
    )
    case: AcadreCaseSettings = Field(default_factory=AcadreCaseSettings)
    documents: AcadreDocumentSettings = Field(default_factory=AcadreDocumentSettings)
    source: AcadreSourceSettings | None = Field(
        default=None, description="needed only when the document source is bound"
    )

    @model_validator(mode="after")
    def _ntlm_needs_both(self) -> AcadreSettings:
        if (self.ntlm_user_env is None) != (self.ntlm_password_env is None):
            raise ValueError("ntlm_user_env and ntlm_password_env go together")
        return self
