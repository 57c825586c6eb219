"""Writing tables row by row with ``lxml.etree.xmlfile``.

A table is never built in memory: each row goes to its file as it is produced.
What tableIndex needs afterwards (the row count and, per text column, the longest
value) is counted on the way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from plugins.archive.tables.model import XSD_TYPE, SqlType, TableDef, format_value
from plugins.archive.xmlsafe import XSI

XS = "http://www.w3.org/2001/XMLSchema"
NIL = f"{{{XSI}}}nil"


def table_namespace(number: int) -> str:
    """The namespace Rigsarkivet's convention gives ``tableN``."""
    return f"http://www.sa.dk/xmlns/siard/1.0/schema0/table{number}.xsd"


@dataclass
class TableStats:
    """What was written: the table, its folder number, its rows and longest texts."""

    table: TableDef
    number: int
    rows: int = 0
    longest: list[int] = field(default_factory=list)


def write_table_schema(table: TableDef, number: int, path: Path) -> None:
    """``tableN.xsd``: a ``table`` of ``row``s with one element ``cN`` per column."""
    namespace = table_namespace(number)
    schema = etree.Element(
        f"{{{XS}}}schema",
        nsmap={"xs": XS, None: namespace},
        targetNamespace=namespace,
        elementFormDefault="qualified",
        attributeFormDefault="unqualified",
    )
    root = etree.SubElement(schema, f"{{{XS}}}element", name="table")
    sequence = etree.SubElement(etree.SubElement(root, f"{{{XS}}}complexType"), f"{{{XS}}}sequence")
    etree.SubElement(
        sequence,
        f"{{{XS}}}element",
        name="row",
        type="rowType",
        minOccurs="0",
        maxOccurs="unbounded",
    )
    row_type = etree.SubElement(schema, f"{{{XS}}}complexType", name="rowType")
    columns = etree.SubElement(row_type, f"{{{XS}}}sequence")
    for index, column in enumerate(table.columns, start=1):
        element = etree.SubElement(
            columns, f"{{{XS}}}element", name=f"c{index}", type=XSD_TYPE[column.kind]
        )
        if column.nullable:
            element.set("nillable", "true")
    etree.ElementTree(schema).write(
        str(path), xml_declaration=True, encoding="utf-8", pretty_print=True
    )


class TableWriter:
    """One ``tableN.xml`` open for appending rows; use inside a :class:`TableSet`."""

    def __init__(self, table: TableDef, number: int, folder: Path, stack: ExitStack) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        write_table_schema(table, number, folder / f"table{number}.xsd")
        self.stats = TableStats(table, number, longest=[0] * len(table.columns))
        self._namespace = table_namespace(number)
        self._tags = [f"{{{self._namespace}}}c{i}" for i in range(1, len(table.columns) + 1)]
        self._row_tag = f"{{{self._namespace}}}row"
        self._file = stack.enter_context(
            etree.xmlfile(str(folder / f"table{number}.xml"), encoding="utf-8")
        )
        self._file.write_declaration()
        stack.enter_context(
            self._file.element(
                f"{{{self._namespace}}}table",
                nsmap={None: self._namespace, "xsi": XSI},
                attrib={f"{{{XSI}}}schemaLocation": f"{self._namespace} table{number}.xsd"},
            )
        )

    def write(self, values: Sequence[object]) -> None:
        columns = self.stats.table.columns
        assert len(values) == len(columns), f"{self.stats.table.name}: wrong number of values"
        self._file.write("\n  ")
        with self._file.element(self._row_tag):
            for index, (column, value) in enumerate(zip(columns, values, strict=True)):
                text = format_value(column.kind, value)
                if text is None:
                    with self._file.element(self._tags[index], attrib={NIL: "true"}):
                        pass
                    continue
                if column.kind is SqlType.TEXT and len(text) > self.stats.longest[index]:
                    self.stats.longest[index] = len(text)
                with self._file.element(self._tags[index]):
                    self._file.write(text)
        self.stats.rows += 1


class TableSet(ExitStack):
    """Every table of the extract open at once, each written as rows arrive."""

    def __init__(self, tables: Sequence[TableDef], folder_of: Callable[[int], Path]) -> None:
        super().__init__()
        self._tables = tables
        self._folder_of = folder_of
        self._writers: dict[str, TableWriter] = {}

    def __enter__(self) -> TableSet:
        super().__enter__()
        with ExitStack() as guard:
            guard.push(self)
            for number, table in enumerate(self._tables, start=1):
                folder = self._folder_of(number)
                self._writers[table.name] = TableWriter(table, number, folder, self)
            guard.pop_all()
        return self

    def write(self, table: TableDef, values: Sequence[object]) -> None:
        self._writers[table.name].write(values)

    @property
    def stats(self) -> list[TableStats]:
        return [writer.stats for writer in self._writers.values()]
