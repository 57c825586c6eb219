"""A fake token service: ``POST /token`` with ``audience=<entity id>`` issues a token."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Annotated

from litestar import Litestar, Response, post
from litestar.enums import RequestEncodingType
from litestar.params import Body


@dataclass
class FakeSts:
    """Issues tokens per audience and tells the fake services whether one is valid."""

    lifetime_seconds: int = 3600
    refuse: bool = False
    issued: dict[str, str] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def is_valid(self, authorization: str | None, audience: str) -> bool:
        scheme, _, token = (authorization or "").partition(" ")
        return scheme == "Holder-of-key" and self.issued.get(token) == audience

    def revoke_all(self) -> None:
        self.issued.clear()

    def reset(self) -> None:
        self.refuse = False
        self.issued.clear()
        self.requests.clear()

    def app(self) -> Litestar:
        @post("/token", status_code=200)
        async def token(
            data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
        ) -> Response:
            audience = data.get("audience", "")
            self.requests.append(audience)
            if self.refuse or not audience:
                return Response({"error": "invalid_request"}, status_code=400)
            value = secrets.token_urlsafe(16)
            self.issued[value] = audience
            return Response(
                {
                    "token_type": "Holder-of-key",
                    "access_token": value,
                    "expires_in": self.lifetime_seconds,
                }
            )

        return Litestar(route_handlers=[token])
