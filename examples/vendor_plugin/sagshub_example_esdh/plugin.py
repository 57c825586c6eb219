"""The plugin module the ``sagshub`` entry point names: one hook, three adapters."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ports.hookspecs import hookimpl
from sagshub_example_esdh.folder_esdh import (
    FolderCaseExporter,
    FolderDocumentExporter,
    FolderDocumentSource,
)


class ExampleEsdhSettings(BaseModel):
    """The ``[plugins.example_esdh]`` table."""

    model_config = ConfigDict(extra="forbid")

    root: Path


@hookimpl
def sagshub_register_adapters(register):
    register(
        "case_export", "example_esdh", lambda s, _: FolderCaseExporter(s.root), ExampleEsdhSettings
    )
    register(
        "document_export",
        "example_esdh",
        lambda s, _: FolderDocumentExporter(s.root),
        ExampleEsdhSettings,
    )
    register(
        "document_source",
        "example_esdh",
        lambda s, _: FolderDocumentSource(s.root),
        ExampleEsdhSettings,
    )
