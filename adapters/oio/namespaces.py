"""The XML namespaces of SF1470 v6 and of sagshub's own local extension."""

from __future__ import annotations

SAG = "urn:oio:sts:sagdok:sag:6"
DI = "urn:oio:sts:sagdok:dokumentindeks:6"
SI = "urn:oio:sts:sagdok:sagindeks:6"
SDI = "urn:oio:sts:sagdok:sagdokumentindeks:6"
GD = "urn:oio:sts:generelledefinitioner:6"
SD = "urn:oio:sagdok:3.0.0"
HEADER = "http://kombit.dk/xml/schemas/RequestHeader/1/"
SAGSHUB = "urn:sagshub:oio:udvidelse:1"
"""sagshub's own extension (activities, document variants), carried in ``LokalUdvidelseListe``."""

NSMAP = {"sag": SAG, "di": DI, "si": SI, "sdi": SDI, "gd": GD, "sd": SD, "sh": SAGSHUB}


def q(namespace: str, name: str) -> str:
    """The Clark notation ``{namespace}name`` lxml uses for a qualified name."""
    return f"{{{namespace}}}{name}"
