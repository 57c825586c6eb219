"""The ``eboks`` plugin (entry point ``eboks``): the Digital Post letter channel, its
receipt endpoint and the reply-correlation placement rule.

Settings (``[plugins.eboks]``)::

    base_url = "https://prod.serviceplatformen.dk/"
    token_url = "https://…/token"            # the token service (see plugins.eboks.tokens)
    client_cert_env = "SAGSHUB_SF1601_CERT"   # env var holding the path of the PEM certificate
    # [plugins.eboks.print_fallback]          # optional: Automatisk Valg with remote print
    # forsendelse_type = 265
    # return_address = { name = "…", lines = ["…", "…"] }

Secrets are never inline: the certificate (with its key) is named by an environment
variable. The receipt endpoint needs the hub to offer a
:class:`~ports.letters.ReceiptStore` as ``letter_receipts`` on its services; until it
does, receipts are answered with StandardRetur 50 and Beskedfordeler delivers them again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, Field

from core.errors import InvalidValue
from plugins.eboks.channel import DigitalPostChannel
from plugins.eboks.memo import MemoSchema
from plugins.eboks.receipt_endpoint import receipt_router
from plugins.eboks.receipts import BeskedfordelerSchemas
from plugins.eboks.replies import LetterReplyRule
from plugins.eboks.sf1601 import Sf1601Client
from plugins.eboks.tokens import TokenEndpointProvider
from plugins.print.channel import ForsendelseBuilder
from plugins.print.forsendelse import ForsendelseSchema, PrintOptions
from ports.hookspecs import RegisterAdapter, hookimpl
from ports.letters import ReceiptStore


class Sf1601Settings(BaseModel):
    """How to reach Serviceplatformen (shared by the ``eboks`` and ``print`` plugins)."""

    base_url: str = "https://prod.serviceplatformen.dk/"
    token_url: str = Field(description="the token service's URL")
    client_cert_env: str | None = Field(
        default=None,
        description="name of the env var holding the path of the client certificate (PEM)",
    )
    timeout_seconds: float = Field(default=30, gt=0)


class EboksSettings(Sf1601Settings):
    case_system: str = "sagshub"
    kle_version: str = "KLE"
    kle_labels: dict[str, str] = Field(default_factory=dict)
    print_fallback: PrintOptions | None = None


def http_client(settings: Sf1601Settings) -> httpx.Client:
    """An httpx client with the certificate the settings name (by env var) and a timeout."""
    cert = None
    if settings.client_cert_env:
        cert = os.environ.get(settings.client_cert_env)
        if not cert:
            raise InvalidValue(
                f"the environment variable {settings.client_cert_env} is not set",
                field="client_cert_env",
            )
    return httpx.Client(cert=cert, timeout=settings.timeout_seconds)


def sf1601_client(settings: Sf1601Settings) -> Sf1601Client:
    http = http_client(settings)
    return Sf1601Client(
        settings.base_url, TokenEndpointProvider(settings.token_url, http=http), http=http
    )


def build_channel(settings: EboksSettings, services: Any) -> DigitalPostChannel:
    standards_dir = Path(services.standards_dir)
    fallback = None
    if settings.print_fallback is not None:
        fallback = ForsendelseBuilder(ForsendelseSchema(standards_dir), settings.print_fallback)
    return DigitalPostChannel(
        client=sf1601_client(settings),
        schema=MemoSchema(standards_dir),
        print_fallback=fallback,
        case_system=settings.case_system,
        kle_version=settings.kle_version,
        kle_labels=settings.kle_labels,
    )


class _Runtime:
    """What the receipt endpoint needs from the hub, known once the hub has started."""

    services: Any = None

    def store(self) -> ReceiptStore:
        store = getattr(self.services, "letter_receipts", None)
        if store is None:
            raise RuntimeError("the hub offers no letter_receipts store")
        return store

    def schemas(self) -> BeskedfordelerSchemas:
        if self.services is None:
            raise RuntimeError("the hub has not started")
        return BeskedfordelerSchemas(Path(self.services.standards_dir))


runtime = _Runtime()


@hookimpl
def sagshub_register_adapters(register: RegisterAdapter) -> None:
    register("letters", "eboks", build_channel, EboksSettings)


@hookimpl
def sagshub_startup(services: Any) -> None:
    runtime.services = services


@hookimpl
def sagshub_route_handlers() -> Sequence[Any]:
    return [receipt_router(runtime.store, runtime.schemas)]


@hookimpl
def sagshub_placement_rules() -> Sequence[Any]:
    return [LetterReplyRule()]
