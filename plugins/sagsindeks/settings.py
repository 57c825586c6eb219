"""The plugin's ``[plugins.sagsindeks]`` settings block."""

from __future__ import annotations

from uuid import UUID

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from adapters.oio.codes import RelationCodes

DEFAULT_AUDIENCE = "http://stoettesystemerne.dk/service/sagdokumentindeks/6"


class SagsindeksSettings(BaseModel):
    """Where the index is, how long to wait for it, and who the hub is to it."""

    model_config = ConfigDict(extra="forbid")

    endpoint: AnyHttpUrl = Field(
        description="the SagDokumentIndeks v6 endpoint (Serviceplatformen or the index itself)"
    )
    audience: str = Field(
        default=DEFAULT_AUDIENCE, description="the service's entity id, asked of the STS"
    )
    timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    token_env: str | None = Field(
        default=None,
        description=(
            "environment variable holding an issued security token (base64 of the SAML "
            "assertion); None sends no token, which only a test service accepts"
        ),
    )
    system_uuid: UUID | None = Field(
        default=None, description="the hub's IT-system instance in FK Administration"
    )
    system_name: str = Field(default="sagshub", min_length=1, max_length=255)
    codes: RelationCodes = Field(default_factory=RelationCodes)
    validate_requests: bool = Field(
        default=True, description="validate each request against the SF1470 schemas first"
    )
