"""The ``[plugins.esdh_kmd_sag]`` table.

KMD publishes no WSDL for its OIO services, so everything that names the wire format is
a setting with the OIO v6 value as its default: endpoints, SOAP actions, namespaces, the
URNs of roles and classes. ``docs/plugins/kmd_sag.md`` lists what to confirm with KMD.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from plugins.esdh_common.soap import CallSettings

SAG_NS = "urn:oio:sts:sagdok:sag:6"
DOKUMENT_NS = "urn:oio:sts:sagdok:dokumentindeks:6"
FILE_NS = "urn:sagshub:kmd-sag:fil:1"


def default_actions() -> dict[str, str]:
    return {
        f"{service}.{operation}": f"{namespace}/{operation}"
        for service, namespace in (("sag", SAG_NS), ("dokument", DOKUMENT_NS))
        for operation in ("Opret", "Ret", "Laes", "Soeg")
    }


class KmdSagUrns(BaseModel):
    """How the hub's references are written as OIO relation URNs."""

    model_config = ConfigDict(extra="forbid")

    kle_subject: str = Field(default="urn:oio:kle:emne:", description="prefix + 27.24.00")
    kle_facet: str = Field(default="urn:oio:kle:handlingsfacet:", description="prefix + G01")
    caseworker: str = Field(default="urn:oio:brugernavn:", description="prefix + username")
    primary_party_role: str = "urn:oio:sagdok:rolle:primaerpart"
    other_party_role: str = "urn:oio:sagdok:rolle:part"
    caseworker_role: str = "urn:oio:sagdok:rolle:primaerbehandler"
    case_role: str = Field(
        default="urn:oio:sagdok:rolle:sag", description="a document's relation to its case"
    )


class KmdSagSourceSettings(BaseModel):
    """Which KMD documents are meant for the hub: those with this document class."""

    model_config = ConfigDict(extra="forbid")

    marker_class_urn: str = Field(min_length=1)
    page_size: int = Field(default=100, ge=1, le=500)
    max_file_bytes: int = Field(default=100 * 1024 * 1024, gt=0)


class KmdSagSettings(CallSettings):
    model_config = ConfigDict(extra="forbid")

    sag_endpoint: HttpUrl
    dokument_endpoint: HttpUrl
    sag_namespace: str = SAG_NS
    dokument_namespace: str = DOKUMENT_NS
    file_namespace: str = FILE_NS
    actions: dict[str, str] = Field(
        default_factory=default_actions,
        description="SOAPAction per operation: sag.Opret, sag.Ret, sag.Laes, sag.Soeg, "
        "dokument.Opret, dokument.Ret, dokument.Laes, dokument.Soeg",
    )
    client_cert: Path | None = Field(default=None, description="the hub's certificate (PEM)")
    client_key: Path | None = Field(default=None, description="its private key (PEM)")
    urns: KmdSagUrns = Field(default_factory=KmdSagUrns)
    source: KmdSagSourceSettings | None = None
