"""The ``print`` plugin (entry point ``print``): remote print through SF1601 (adapter
``print``) and local print as a PDF the caseworker prints (adapter ``local_print``).

Settings (``[plugins.print]``)::

    base_url = "https://prod.serviceplatformen.dk/"
    token_url = "https://…/token"
    client_cert_env = "SAGSHUB_SF1601_CERT"   # env var holding the path of the PEM certificate
    forsendelse_type = 265                    # from the municipality's print agreement
    sides = "Duplex"                          # or "Simplex"
    colour = "SH"                             # or "Farve"
    return_address = { name = "Roskilde Kommune", lines = ["Rådhusbuen 1", "4000 Roskilde"] }
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plugins.eboks.plugin import Sf1601Settings, sf1601_client
from plugins.print.channel import ForsendelseBuilder, LocalPrintChannel, RemotePrintChannel
from plugins.print.forsendelse import ForsendelseSchema, PrintOptions
from ports.hookspecs import RegisterAdapter, hookimpl


class PrintSettings(Sf1601Settings, PrintOptions):
    """Serviceplatformen access and the print agreement."""


def build_remote(settings: PrintSettings, services: Any) -> RemotePrintChannel:
    builder = ForsendelseBuilder(
        ForsendelseSchema(Path(services.standards_dir)),
        PrintOptions.model_validate(settings.model_dump(include=set(PrintOptions.model_fields))),
    )
    return RemotePrintChannel(client=sf1601_client(settings), builder=builder)


def build_local(settings: Any, services: Any) -> LocalPrintChannel:
    return LocalPrintChannel()


@hookimpl
def sagshub_register_adapters(register: RegisterAdapter) -> None:
    register("letters", "print", build_remote, PrintSettings)
    register("letters", "local_print", build_local)
