"""Where everything goes in an AVID folder, and the limits on how it is numbered.

An extract is built in ``<out>/AVID.<code>.<N>.1.partial`` and renamed to
``AVID.<code>.<N>.1`` only once it has passed validation, so a folder with the final
name is always complete. Beside it, while work is in progress, lie the resume state
(``.state.sqlite``) and a scratch folder for temporary files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ARCHIVE_CODE = re.compile(r"^[A-ZÆØÅ]{2,4}$")
MEDIA_NUMBER = 1
"""Every extract is written as one medium (the ``.1`` of the folder name)."""


@dataclass(frozen=True)
class Limits:
    """The folder limits of both editions; smaller values exist only for tests."""

    docs_per_collection: int = 10_000
    collections: int = 10_000
    id_digits: int = 12

    def collection_of(self, document_id: int) -> int:
        """The docCollection number of the n-th document (numbered from 1)."""
        return (document_id - 1) // self.docs_per_collection + 1

    @property
    def max_documents(self) -> int:
        return self.docs_per_collection * self.collections


def avid_name(archive_code: str, number: int) -> str:
    return f"AVID.{archive_code}.{number}.{MEDIA_NUMBER}"


@dataclass(frozen=True)
class Layout:
    """The paths of one extract under construction or finished."""

    root: Path
    name: str

    @classmethod
    def in_progress(cls, out_dir: Path, name: str) -> Layout:
        return cls(out_dir / f"{name}.partial", name)

    @property
    def final_path(self) -> Path:
        return self.root.parent / self.name

    @property
    def state_file(self) -> Path:
        return self.root.parent / f"{self.name}.state.sqlite"

    @property
    def scratch(self) -> Path:
        return self.root.parent / f"{self.name}.scratch"

    @property
    def tables(self) -> Path:
        return self.root / "Tables"

    @property
    def indices(self) -> Path:
        return self.root / "Indices"

    @property
    def documents(self) -> Path:
        return self.root / "Documents"

    @property
    def context_documentation(self) -> Path:
        return self.root / "ContextDocumentation"

    @property
    def schemas_standard(self) -> Path:
        return self.root / "Schemas" / "standard"

    def table_folder(self, number: int) -> Path:
        return self.tables / f"table{number}"

    def document_folder(self, collection: int, document_id: int) -> Path:
        return self.documents / f"docCollection{collection}" / str(document_id)

    def context_folder(self, document_id: int) -> Path:
        return self.context_documentation / "docCollection1" / str(document_id)

    def file_index_folder(self, path: Path) -> str:
        """The fileIndex ``foN`` of a file: its folder from the media folder, backslashed."""
        relative = path.parent.relative_to(self.root)
        return "\\".join((self.name, *relative.parts))
