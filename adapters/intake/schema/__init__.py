"""The intake envelope's XML schema, shipped with the package."""

from pathlib import Path

INTAKE_XSD = Path(__file__).with_name("intake-1.xsd")
"""``urn:sagshub:intake:1``, version 1 of the intake envelope."""

INTAKE_NAMESPACE = "urn:sagshub:intake:1"
