"""What the checks share about the extract under validation, read once."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree

from plugins.archive.layout import Layout, Limits
from plugins.archive.standards import OfficialSchemas
from plugins.archive.validation.findings import Finding
from plugins.archive.validation.keystore import KeyStore
from plugins.archive.xmlsafe import DIARK, HostileXml, parse_untrusted

Check = Callable[["Extract"], Iterator[Finding]]


def diark(name: str) -> str:
    return f"{{{DIARK}}}{name}"


def _text(element: etree._Element, name: str) -> str | None:
    child = element.find(diark(name))
    return child.text.strip() if child is not None and child.text else None


def _texts(element: etree._Element, path: str) -> list[str]:
    return [(e.text or "").strip() for e in element.iterfind(path, namespaces={"d": DIARK})]


@dataclass(frozen=True)
class IndexedColumn:
    name: str
    column_id: str
    nullable: bool
    functions: tuple[str, ...]


@dataclass(frozen=True)
class IndexedForeignKey:
    name: str
    referenced_table: str
    columns: tuple[str, ...]
    referenced: tuple[str, ...]


@dataclass(frozen=True)
class IndexedTable:
    """One table as tableIndex.xml describes it."""

    name: str
    folder: str
    columns: tuple[IndexedColumn, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[IndexedForeignKey, ...]
    rows: int | None

    def column_ids(self, names: tuple[str, ...]) -> tuple[str, ...] | None:
        by_name = {c.name: c.column_id for c in self.columns}
        if not all(name in by_name for name in names):
            return None
        return tuple(by_name[name] for name in names)


def _table(element: etree._Element) -> IndexedTable:
    columns = tuple(
        IndexedColumn(
            name=_text(column, "name") or "",
            column_id=_text(column, "columnID") or "",
            nullable=_text(column, "nullable") in ("true", "1"),
            functions=tuple(_texts(column, "d:functionalDescription")),
        )
        for column in element.iterfind("d:columns/d:column", namespaces={"d": DIARK})
    )
    keys = tuple(
        IndexedForeignKey(
            name=_text(key, "name") or "",
            referenced_table=_text(key, "referencedTable") or "",
            columns=tuple(_texts(key, "d:reference/d:column")),
            referenced=tuple(_texts(key, "d:reference/d:referenced")),
        )
        for key in element.iterfind("d:foreignKeys/d:foreignKey", namespaces={"d": DIARK})
    )
    rows = _text(element, "rows")
    return IndexedTable(
        name=_text(element, "name") or "",
        folder=_text(element, "folder") or "",
        columns=columns,
        primary_key=tuple(_texts(element, "d:primaryKey/d:column")),
        foreign_keys=keys,
        rows=int(rows) if rows and rows.isdigit() else None,
    )


@dataclass
class Extract:
    """The extract being validated and the official schemas it is judged by."""

    layout: Layout
    official: OfficialSchemas
    limits: Limits
    keys: KeyStore

    @property
    def root(self) -> Path:
        return self.layout.root

    def index_path(self, name: str) -> Path:
        return self.layout.indices / f"{name}.xml"

    @cached_property
    def tables(self) -> list[IndexedTable] | None:
        """tableIndex's tables; None when it is missing or unreadable (index.schema says so)."""
        try:
            tree = parse_untrusted(self.index_path("tableIndex"))
        except (OSError, etree.XMLSyntaxError, HostileXml):
            return None
        return [_table(t) for t in tree.getroot().iterfind("d:tables/d:table", {"d": DIARK})]

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @cached_property
    def media(self) -> dict[str, Path]:
        """This medium and the other media of the same extract lying beside it.

        A large extract may span media ``AVID.SA.18001.1``, ``.2`` …; the first one's
        fileIndex and tableIndex describe them all.
        """
        stem = self.layout.name.rsplit(".", 1)[0]
        sibling = re.compile(rf"^{re.escape(stem)}\.[1-9][0-9]*$")
        found = {self.layout.name: self.root}
        if self.root.parent.is_dir():
            for entry in sorted(self.root.parent.iterdir()):
                if entry.is_dir() and sibling.match(entry.name) and entry != self.root:
                    found.setdefault(entry.name, entry)
        return found

    def find(self, relative: str) -> Path | None:
        """The file at ``relative`` on whichever present medium holds it."""
        for medium in self.media.values():
            if (candidate := medium / relative).is_file():
                return candidate
        return None
