"""How a table is described: columns with SQL:1999 types, keys and their meaning.

One definition serves the table's XML schema, its entry in ``tableIndex.xml`` and
its chapter in the context documentation, so the three can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from uuid import UUID

from plugins.archive.text import xml_text


class SqlType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"


XSD_TYPE = {
    SqlType.TEXT: "xs:string",
    SqlType.INTEGER: "xs:integer",
    SqlType.BOOLEAN: "xs:boolean",
    SqlType.DATE: "xs:date",
    SqlType.TIMESTAMP: "xs:dateTime",
}


def sql_declaration(kind: SqlType, longest: int) -> str:
    """The type as tableIndex declares it; text is as long as its longest value."""
    if kind is SqlType.TEXT:
        return f"NATIONAL CHARACTER VARYING({max(longest, 1)})"
    return kind.name


def format_value(kind: SqlType, value: object) -> str | None:
    """A value as the table XML writes it; None is written as ``xsi:nil``.

    Timestamps are the domain's UTC instants, written without a zone suffix as SQL
    ``TIMESTAMP`` values (the column descriptions say they are UTC).
    """
    if value is None:
        return None
    if kind is SqlType.BOOLEAN:
        return "true" if value else "false"
    if kind is SqlType.TIMESTAMP:
        assert isinstance(value, datetime)
        instant = value.astimezone(UTC) if value.tzinfo else value
        return instant.replace(tzinfo=None).isoformat()
    if kind is SqlType.DATE:
        assert isinstance(value, date)
        return value.isoformat()
    if isinstance(value, UUID | int):
        return str(value)
    return xml_text(str(value))


@dataclass(frozen=True)
class Column:
    name: str
    kind: SqlType
    description: str
    nullable: bool = False
    function: str | None = None
    """The tableIndex ``functionalDescription`` (e.g. ``Dokumentidentifikation``)."""


@dataclass(frozen=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    referenced_table: str
    referenced_columns: tuple[str, ...]


@dataclass(frozen=True)
class TableDef:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)
