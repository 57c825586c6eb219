"""The pluggy plugin: registers the ``sagsindeks`` adapter for the ``case_export`` port."""

from __future__ import annotations

from typing import Any

from adapters.oio.codes import Registrant
from adapters.oio.sag_xml import SagOptions
from plugins.sagsindeks.exporter import SagsindeksExporter
from plugins.sagsindeks.settings import SagsindeksSettings
from plugins.sagsindeks.soap import SagDokumentIndeksClient
from plugins.sagsindeks.tokens import EnvironmentTokenProvider
from ports.hookspecs import RegisterAdapter, hookimpl


def build_exporter(settings: SagsindeksSettings, services: Any) -> SagsindeksExporter:
    """The adapter factory: ``services`` is the hub's :class:`ports.services.HubServices`."""
    tokens = EnvironmentTokenProvider(settings.token_env) if settings.token_env else None
    client = SagDokumentIndeksClient(
        standards_dir=services.standards_dir,
        endpoint=str(settings.endpoint),
        timeout_seconds=settings.timeout_seconds,
        token_provider=tokens,
        audience=settings.audience,
        validate_requests=settings.validate_requests,
    )
    options = SagOptions(
        codes=settings.codes,
        registrant=Registrant(system_uuid=settings.system_uuid, system_name=settings.system_name),
    )
    return SagsindeksExporter(client, options)


@hookimpl
def sagshub_register_adapters(register: RegisterAdapter) -> None:
    register("case_export", "sagsindeks", build_exporter, SagsindeksSettings)
