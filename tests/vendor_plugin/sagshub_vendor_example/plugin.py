"""The ``vendor_example`` plugin: a ``case_export`` adapter that files signed case copies.

Configuration (in the municipality's ``sagshub.toml``)::

    [plugins]
    enabled = ["vendor_example"]

    [ports]
    case_export = ["vendor_example"]

    [plugins.vendor_example]
    endpoint = "https://esdh.example.dk/api"   # where the vendor's system lives
    token_env = "VENDOR_EXAMPLE_TOKEN"         # the variable holding the signing key
    out_dir = "/var/lib/sagshub/vendor-export" # where the copies are written

It also adds the command ``sagshub vendor-example-show CASE_NUMBER``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, HttpUrl

from core.errors import NotFound
from ports.hookspecs import RegisterAdapter, hookimpl
from ports.integrations import ExportResult
from ports.secrets import EnvSecret
from ports.snapshots import CaseSnapshot

ACTOR = "vendor_example"
"""How this plugin appears in the hub's audit log."""


class VendorSettings(BaseModel):
    """The ``[plugins.vendor_example]`` table."""

    model_config = ConfigDict(extra="forbid")

    endpoint: HttpUrl
    token_env: EnvSecret
    out_dir: Path


class FolderCaseExporter:
    """Writes each case's locked copy to ``<out_dir>/<case id>.json``, signed with the token.

    Idempotent by case id: a second export of the same case replaces the first file
    (atomically) and reports ``created=False``.
    """

    def __init__(self, settings: VendorSettings) -> None:
        self._settings = settings

    def export_case(self, snapshot: CaseSnapshot, *, external_id: str | None) -> ExportResult:
        out_dir = self._settings.out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{snapshot.case.id}.json"
        created = not target.exists()
        body = snapshot.model_dump_json()
        key = self._settings.token_env.get_secret_value().encode()
        signature = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
        document = {"signature": signature, "snapshot": json.loads(body)}
        fd, temporary = tempfile.mkstemp(dir=out_dir, prefix=".export-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle, ensure_ascii=False)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        base = str(self._settings.endpoint).rstrip("/")
        return ExportResult(external_id=f"{base}/cases/{snapshot.case.id}", created=created)


def _exporter(settings: Any, services: Any) -> FolderCaseExporter:
    return FolderCaseExporter(settings)


@hookimpl
def sagshub_register_adapters(register: RegisterAdapter) -> None:
    register("case_export", "vendor_example", _exporter, VendorSettings)


@hookimpl
def sagshub_register_commands(cli: Any, services: Callable[[], Any]) -> None:
    @cli.command("vendor-example-show")
    def show(case_number: str) -> None:
        """Print the locked copy of a case, as the vendor_example exporter would file it."""
        hub = services()
        found = hub.cases.search(ACTOR, number=case_number)
        if not found:
            raise NotFound(f"no case with number {case_number}", field="case_number")
        print(hub.cases.snapshot(found[0].id, ACTOR, "export").model_dump_json(indent=2))
