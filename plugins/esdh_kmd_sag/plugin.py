"""The KMD Sag plugin: case export, document export and document source over the OIO
Sag/DokumentIndeks v6 services. Enabled as ``esdh_kmd_sag``; configured in
``[plugins.esdh_kmd_sag]`` (:class:`plugins.esdh_kmd_sag.settings.KmdSagSettings`).
See ``docs/plugins/kmd_sag.md`` for the shapes assumed.
"""

from __future__ import annotations

from typing import Any

from core.errors import InvalidValue
from plugins.esdh_kmd_sag.case_exporter import KmdSagCaseExporter
from plugins.esdh_kmd_sag.client import KmdSagClient
from plugins.esdh_kmd_sag.document_exporter import KmdSagDocumentExporter
from plugins.esdh_kmd_sag.document_source import KmdSagDocumentSource
from plugins.esdh_kmd_sag.settings import KmdSagSettings
from ports.hookspecs import hookimpl

NAME = "esdh_kmd_sag"


def build_case_exporter(settings: KmdSagSettings, services: Any = None) -> KmdSagCaseExporter:
    return KmdSagCaseExporter(KmdSagClient(settings), settings.urns)


def build_document_exporter(
    settings: KmdSagSettings, services: Any = None
) -> KmdSagDocumentExporter:
    client = KmdSagClient(settings)
    return KmdSagDocumentExporter(client, settings, KmdSagCaseExporter(client, settings.urns))


def build_document_source(settings: KmdSagSettings, services: Any = None) -> KmdSagDocumentSource:
    if settings.source is None:
        raise InvalidValue(
            "the document source needs [plugins.esdh_kmd_sag.source]: the marking class",
            field=f"{NAME}.source",
        )
    return KmdSagDocumentSource(KmdSagClient(settings), settings, settings.source)


@hookimpl
def sagshub_register_adapters(register):
    register("case_export", NAME, build_case_exporter, KmdSagSettings)
    register("document_export", NAME, build_document_exporter, KmdSagSettings)
    register("document_source", NAME, build_document_source, KmdSagSettings)
