"""Rows ↔ domain models.

Flat entities map field by field (:func:`to_row`, :func:`from_row`); the aggregates
with child rows (a case's parties, a document's parties, variants and parts) have
their own functions here.
"""

from __future__ import annotations

from enum import Enum
from functools import cache
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel
from pydantic_core import PydanticUndefined, to_jsonable_python
from sqlalchemy import JSON

from adapters.sql.tables import (
    CasePartyRow,
    CaseRow,
    DocumentPartyRow,
    DocumentRow,
    PartRow,
    Table,
    VariantRow,
)
from core.ids import new_id
from core.models import Case, CaseParty, Document, Part, Variant
from core.values import parse_handlingsfacet, parse_kle_subject

RowT = TypeVar("RowT", bound=Table)
ModelT = TypeVar("ModelT", bound=BaseModel)


def to_row(row_cls: type[RowT], model: BaseModel, **extra: Any) -> RowT:
    """A row of ``row_cls`` from the model's fields of the same name and ``extra``:
    enums as their values, JSON columns as JSON-ready data (UUIDs as strings)."""
    columns = row_cls.__table__.columns  # type: ignore[attr-defined]
    values = {name: getattr(model, name) for name in type(model).model_fields if name in columns}
    values |= extra
    for name, value in values.items():
        if isinstance(columns[name].type, JSON):
            values[name] = to_jsonable_python(value)
        elif isinstance(value, Enum):
            values[name] = value.value
    return row_cls(**values)


def row_values(row_cls: type[Table], model: BaseModel, **extra: Any) -> dict[str, Any]:
    """Like :func:`to_row`, but the values of every column as a dict, for a bulk insert:
    columns neither the model nor ``extra`` gives take the row class's default."""
    values = _column_defaults(row_cls) | {
        name: getattr(model, name) for name in model_columns(row_cls, type(model))
    }
    values |= extra
    for name in _json_columns(row_cls):
        values[name] = to_jsonable_python(values[name])
    for name, value in values.items():
        if isinstance(value, Enum):
            values[name] = value.value
    return values


@cache
def model_columns(row_cls: type[Table], model_cls: type[BaseModel]) -> tuple[str, ...]:
    """The model's fields that are columns of ``row_cls``, in the model's order."""
    columns = row_cls.__table__.columns  # type: ignore[attr-defined]
    return tuple(name for name in model_cls.model_fields if name in columns)


@cache
def _json_columns(row_cls: type[Table]) -> tuple[str, ...]:
    columns = row_cls.__table__.columns  # type: ignore[attr-defined]
    return tuple(c.key for c in columns if isinstance(c.type, JSON))


@cache
def _column_defaults(row_cls: type[Table]) -> dict[str, Any]:
    """The defaults of the optional columns; a required one missing makes the insert fail."""
    fields = row_cls.model_fields
    return {
        c.key: fields[c.key].default
        for c in row_cls.__table__.columns  # type: ignore[attr-defined]
        if fields[c.key].default is not PydanticUndefined
    }


def from_row(model_cls: type[ModelT], row: Table, **extra: Any) -> ModelT:
    columns = row.__table__.columns  # type: ignore[attr-defined]
    values = {name: getattr(row, name) for name in model_cls.model_fields if name in columns}
    return model_cls.model_validate(values | extra)


def case_series(kle_subject: str, handlingsfacet: str, year: int) -> str:
    """A case number without its sequence: the key that sequences count within."""
    kle = parse_kle_subject(kle_subject)
    return f"{kle}-{parse_handlingsfacet(handlingsfacet)}-{year % 100:02d}"


def case_rows(case: Case) -> tuple[CaseRow, list[CasePartyRow]]:
    """The case's row (its number split for ``next_sequence``) and its parties' rows."""
    kle_and_facet, sequence, year = case.number.rsplit("-", 2)
    row = to_row(CaseRow, case, series=f"{kle_and_facet}-{year}", sequence=int(sequence))
    parties = [
        to_row(
            CasePartyRow,
            party,
            case_id=case.id,
            municipality_id=case.municipality_id,
            position=position,
        )
        for position, party in enumerate(case.parties)
    ]
    return row, parties


def case_from_rows(row: CaseRow, parties: list[CasePartyRow]) -> Case:
    ordered = sorted(parties, key=lambda p: p.position)
    return from_row(Case, row, parties=[from_row(CaseParty, p) for p in ordered])


def document_values(document: Document) -> list[tuple[type[Table], dict[str, Any]]]:
    """The values of the document's row and of its child rows, for a bulk insert."""
    municipality_id = document.municipality_id
    rows: list[tuple[type[Table], dict[str, Any]]] = [
        (DocumentRow, row_values(DocumentRow, document))
    ]
    rows += [
        (
            DocumentPartyRow,
            {
                "document_id": document.id,
                "party_id": party_id,
                "municipality_id": municipality_id,
                "position": position,
            },
        )
        for position, party_id in enumerate(document.party_ids)
    ]
    for variant_position, variant in enumerate(document.variants):
        variant_id = new_id()
        rows.append(
            (
                VariantRow,
                row_values(
                    VariantRow,
                    variant,
                    id=variant_id,
                    document_id=document.id,
                    municipality_id=municipality_id,
                    position=variant_position,
                ),
            )
        )
        rows += [
            (
                PartRow,
                row_values(
                    PartRow,
                    part,
                    id=new_id(),
                    variant_id=variant_id,
                    municipality_id=municipality_id,
                    position=part_position,
                ),
            )
            for part_position, part in enumerate(variant.parts)
        ]
    return rows


def document_from_rows(
    row: DocumentRow,
    parties: list[DocumentPartyRow],
    variants: list[VariantRow],
    parts: list[PartRow],
) -> Document:
    parts_by_variant: dict[UUID, list[PartRow]] = {}
    for part in sorted(parts, key=lambda p: p.position):
        parts_by_variant.setdefault(part.variant_id, []).append(part)
    return from_row(
        Document,
        row,
        party_ids=[p.party_id for p in sorted(parties, key=lambda p: p.position)],
        variants=[
            from_row(Variant, v, parts=[from_row(Part, p) for p in parts_by_variant[v.id]])
            for v in sorted(variants, key=lambda v: v.position)
        ],
    )
