"""The pluggy plugin: the ``archive`` adapter and the ``sagshub archive`` commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plugins.archive.cli import build_app
from plugins.archive.settings import ArchiveSettings
from plugins.archive.writer import ArchiveWriter
from ports.hookspecs import RegisterAdapter, hookimpl
from ports.services import HubServices

PORT = "archive"
NAME = "archive"


def make_archiver(settings: ArchiveSettings, services: HubServices) -> ArchiveWriter:
    """The adapter factory: an :class:`ArchiveWriter` reading the hub's standards folder."""
    return ArchiveWriter(settings, services.standards_dir)


@hookimpl
def sagshub_register_adapters(register: RegisterAdapter) -> None:
    register(PORT, NAME, make_archiver, ArchiveSettings)


@hookimpl
def sagshub_register_commands(cli: Any, services: Callable[[], HubServices]) -> None:
    cli.add_typer(build_app(services), name="archive")
