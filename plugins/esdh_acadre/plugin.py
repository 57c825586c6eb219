"""The Acadre plugin: case export, document export and document source over PWS v7.

Enabled as ``esdh_acadre`` and configured in ``[plugins.esdh_acadre]``
(:class:`plugins.esdh_acadre.settings.AcadreSettings`).
"""

from __future__ import annotations

import os
from typing import Any

import requests

from core.errors import InvalidValue
from plugins.esdh_acadre.case_exporter import AcadreCaseExporter
from plugins.esdh_acadre.client import AcadreClient
from plugins.esdh_acadre.document_exporter import AcadreDocumentExporter
from plugins.esdh_acadre.document_source import AcadreDocumentSource
from plugins.esdh_acadre.settings import AcadreSettings
from ports.hookspecs import hookimpl

NAME = "esdh_acadre"


def _env(name: str, key: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise InvalidValue(f"environment variable {name} is not set", field=f"{NAME}.{key}")
    return value


def ntlm_session(settings: AcadreSettings) -> requests.Session | None:
    """A session that logs in with NTLM, when the settings name its credentials."""
    if settings.ntlm_user_env is None or settings.ntlm_password_env is None:
        return None
    try:
        from requests_ntlm import HttpNtlmAuth
    except ImportError:
        raise InvalidValue(
            "NTLM needs the requests-ntlm package installed", field=f"{NAME}.ntlm_user_env"
        ) from None
    session = requests.Session()
    session.auth = HttpNtlmAuth(
        _env(settings.ntlm_user_env, "ntlm_user_env"),
        _env(settings.ntlm_password_env, "ntlm_password_env"),
    )
    return session


def build_client(settings: AcadreSettings, session: requests.Session | None = None) -> AcadreClient:
    return AcadreClient(
        settings,
        user=_env(settings.user_env, "user_env"),
        session=session or ntlm_session(settings),
    )


def build_case_exporter(settings: AcadreSettings, services: Any = None) -> AcadreCaseExporter:
    return AcadreCaseExporter(build_client(settings), settings.case)


def build_document_exporter(
    settings: AcadreSettings, services: Any = None
) -> AcadreDocumentExporter:
    client = build_client(settings)
    return AcadreDocumentExporter(
        client, settings.documents, AcadreCaseExporter(client, settings.case)
    )


def build_document_source(settings: AcadreSettings, services: Any = None) -> AcadreDocumentSource:
    if settings.source is None:
        raise InvalidValue(
            "the document source needs [plugins.esdh_acadre.source]: what marks a document",
            field=f"{NAME}.source",
        )
    return AcadreDocumentSource(
        build_client(settings), settings.source, settings.documents, settings.case
    )


@hookimpl
def sagshub_register_adapters(register):
    register("case_export", NAME, build_case_exporter, AcadreSettings)
    register("document_export", NAME, build_document_exporter, AcadreSettings)
    register("document_source", NAME, build_document_source, AcadreSettings)
