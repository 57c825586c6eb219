"""Checks of the tables against tableIndex.xml, their schemas and their keys.

The rows are read twice, each time as a stream: once validating against the table's
own schema, once collecting counts and keys into the key store. Keeping the passes
apart means a schema error does not hide (or fake) a key error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from plugins.archive.validation.extract import Extract, IndexedTable
from plugins.archive.validation.findings import Finding
from plugins.archive.xmlsafe import (
    XSI,
    HostileXml,
    compile_untrusted_schema,
    describe,
    iterparse_untrusted,
    parse_untrusted,
)

XS = "http://www.w3.org/2001/XMLSchema"
_COLUMN = re.compile(r"^c[1-9][0-9]*$")
_NIL = f"{{{XSI}}}nil"
SEPARATOR = "\x1f"
DOCUMENT_ID_FUNCTION = "Dokumentidentifikation"
DOCUMENT_ID_BAG = "table:document-ids"


def _files(extract: Extract, table: IndexedTable) -> tuple[Path | None, Path | None]:
    """The table's XML and schema, on whichever medium holds them; None when absent."""
    folder = f"Tables/{table.folder}/{table.folder}"
    return extract.find(f"{folder}.xml"), extract.find(f"{folder}.xsd")


def _schema_columns(xsd: Path) -> set[str] | None:
    try:
        tree = parse_untrusted(xsd)
    except (OSError, etree.XMLSyntaxError, HostileXml):
        return None
    return {
        name
        for element in tree.getroot().iter(f"{{{XS}}}element")
        if _COLUMN.match(name := element.get("name") or "")
    }


def table_structure(extract: Extract) -> Iterator[Finding]:
    tables = extract.tables
    if tables is None:
        return
    finding = lambda message: Finding(check="table.structure", message=message)  # noqa: E731
    indexed = {t.folder for t in tables}
    on_disk = (
        {p.name for p in extract.layout.tables.iterdir() if p.is_dir()}
        if extract.layout.tables.is_dir()
        else set()
    )
    for folder in sorted(on_disk - indexed):
        yield finding(f"Tables/{folder} is not described in tableIndex.xml")
    names = {t.name: t for t in tables}
    for table in tables:
        xml, xsd = _files(extract, table)
        for path, suffix in ((xml, "xml"), (xsd, "xsd")):
            if path is None:
                yield finding(
                    f"table {table.name}: Tables/{table.folder}/{table.folder}.{suffix} is "
                    "missing (not on this medium nor on one beside it)"
                )
        declared = {c.column_id for c in table.columns}
        columns = _schema_columns(xsd) if xsd is not None else None
        if columns is not None and columns != declared:
            yield finding(
                f"table {table.name}: tableIndex declares columns {sorted(declared)} but "
                f"{xsd.name} has {sorted(columns)}"
            )
        if table.column_ids(table.primary_key) is None:
            yield finding(f"table {table.name}: its primary key names a column it does not have")
        for key in table.foreign_keys:
            target = names.get(key.referenced_table)
            if table.column_ids(key.columns) is None:
                yield finding(f"table {table.name}: foreign key {key.name} names a missing column")
            elif target is None:
                yield finding(
                    f"table {table.name}: foreign key {key.name} refers to the unknown table "
                    f"{key.referenced_table}"
                )
            elif target.column_ids(key.referenced) is None:
                yield finding(
                    f"table {table.name}: foreign key {key.name} refers to columns "
                    f"{list(key.referenced)} that {target.name} does not have"
                )


def table_schema(extract: Extract) -> Iterator[Finding]:
    if extract.tables is None:
        return
    xml_schema = extract.official.xml_schema_schema
    for table in extract.tables:
        xml, xsd = _files(extract, table)
        if xml is None or xsd is None:
            continue
        try:
            if not xml_schema.validate(parse_untrusted(xsd)):
                yield Finding(
                    check="table.schema",
                    message=f"Tables/{table.folder}/{xsd.name} is not a valid XML schema: "
                    f"{xml_schema.error_log.last_error}",
                )
                continue
            schema = compile_untrusted_schema(xsd)
            for _ in iterparse_untrusted(xml, tag=_row_tag(xml), schema=schema):
                pass
        except (etree.XMLSyntaxError, etree.XMLSchemaParseError, HostileXml) as exc:
            yield Finding(
                check="table.schema",
                message=f"Tables/{table.folder}/{xml.name} does not validate against "
                f"{xsd.name}: {describe(exc)}",
            )


def _row_tag(xml: Path) -> str:
    """``{namespace}row`` with the namespace the table's root element uses."""
    for _event, element in etree.iterparse(
        str(xml), events=("start",), resolve_entities=False, no_network=True, load_dtd=False
    ):
        return (
            f"{{{etree.QName(element).namespace}}}row" if etree.QName(element).namespace else "row"
        )
    return "row"


def _rows(xml: Path) -> Iterator[dict[str, str | None]]:
    """Each row as column id → value (None for ``xsi:nil``)."""
    for row in iterparse_untrusted(xml, tag=_row_tag(xml)):
        yield {
            etree.QName(cell).localname: None if cell.get(_NIL) == "true" else (cell.text or "")
            for cell in row
        }


def _referenced(tables: list[IndexedTable]) -> dict[str, set[tuple[str, ...]]]:
    """Table name → the column sets other tables' foreign keys point at."""
    wanted: dict[str, set[tuple[str, ...]]] = {}
    for table in tables:
        for key in table.foreign_keys:
            wanted.setdefault(key.referenced_table, set()).add(key.referenced)
    return wanted


def _bag(kind: str, table: str, columns: tuple[str, ...]) -> str:
    return f"{kind}:{table}:{','.join(columns)}"


def _key(row: dict[str, str | None], ids: tuple[str, ...]) -> str | None:
    values = [row.get(column_id) for column_id in ids]
    if any(v is None for v in values):
        return None
    return SEPARATOR.join(values)  # type: ignore[arg-type]


def read_tables(extract: Extract) -> Iterator[Finding]:
    """One pass over every table's rows: row counts, primary keys, foreign key values
    (resolved afterwards by :func:`foreign_keys`) and document numbers."""
    if extract.tables is None:
        return
    wanted = _referenced(extract.tables)
    for table in extract.tables:
        xml, _ = _files(extract, table)
        if xml is None:
            continue
        yield from _read_table(extract, table, xml, wanted.get(table.name, set()))


def _read_table(
    extract: Extract, table: IndexedTable, xml: Path, wanted: set[tuple[str, ...]]
) -> Iterator[Finding]:
    primary = table.column_ids(table.primary_key)
    targets = [(cols, table.column_ids(cols)) for cols in wanted]
    references = [(key, table.column_ids(key.columns)) for key in table.foreign_keys]
    document_ids = [c.column_id for c in table.columns if DOCUMENT_ID_FUNCTION in c.functions]
    duplicates = 0
    rows = 0
    try:
        for row in _rows(xml):
            rows += 1
            if primary is not None:
                key = _key(row, primary)
                if key is None:
                    yield Finding(
                        check="table.primary_key",
                        message=f"table {table.name}, row {rows}: the primary key is empty",
                    )
                elif not extract.keys.add(_bag("pk", table.name, primary), key):
                    duplicates += 1
                    if duplicates <= 10:
                        yield Finding(
                            check="table.primary_key",
                            message=f"table {table.name}, row {rows}: primary key "
                            f"{key.replace(SEPARATOR, ', ')} is used before",
                        )
            for columns, ids in targets:
                if ids is not None and (value := _key(row, ids)) is not None:
                    extract.keys.add(_bag("ref", table.name, columns), value)
            for key, ids in references:
                if ids is not None and (value := _key(row, ids)) is not None:
                    extract.keys.add(
                        _bag("fk", table.name, (key.name,)),
                        f"{value}{SEPARATOR}{rows}",
                        extra=value,
                    )
            for column_id in document_ids:
                if (value := row.get(column_id)) is not None:
                    extract.keys.add(DOCUMENT_ID_BAG, value.strip(), extra=table.name)
    except (etree.XMLSyntaxError, HostileXml):
        return  # unreadable: table.schema reports it
    if duplicates > 10:
        yield Finding(
            check="table.primary_key",
            message=f"table {table.name}: {duplicates} repeated primary keys in all",
        )
    if table.rows is not None and rows != table.rows:
        yield Finding(
            check="table.rows",
            message=f"table {table.name} has {rows} rows, tableIndex.xml says {table.rows}",
        )


def foreign_keys(extract: Extract) -> Iterator[Finding]:
    """Foreign key values collected by :func:`read_tables` that their target lacks."""
    if extract.tables is None:
        return
    for table in extract.tables:
        for key in table.foreign_keys:
            found = 0
            source = _bag("fk", table.name, (key.name,))
            target = _bag("ref", key.referenced_table, key.referenced)
            for occurrence, value in extract.keys.items(source):
                if extract.keys.get(target, value) is not None:
                    continue
                found += 1
                if found <= 10:
                    row = occurrence.rsplit(SEPARATOR, 1)[1]
                    yield Finding(
                        check="table.foreign_key",
                        message=f"table {table.name}, row {row}: {key.name} value "
                        f"{value.replace(SEPARATOR, ', ')} is not in {key.referenced_table}",
                    )
            if found > 10:
                yield Finding(
                    check="table.foreign_key",
                    message=f"table {table.name}: {found} values of {key.name} resolve nowhere",
                )
