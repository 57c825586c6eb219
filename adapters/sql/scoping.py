"""The base of the tenant repositories: every query confined to one municipality."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from adapters.sql.buffer import READS_UNBUFFERED, WriteBuffer
from adapters.sql.conflicts import Session
from adapters.sql.mapping import from_row, model_columns, row_values, to_row
from adapters.sql.tables import (
    ActivityRow,
    AuditEntryRow,
    CaseRow,
    DocumentLinkRow,
    InboxItemRow,
    JournalNoteRow,
    NoticeRow,
    PlacementRow,
    Table,
)
from core.errors import NotAllowed, NotFound
from core.models import Entity
from ports.persistence import Page

RowT = TypeVar("RowT", bound=Table)
ModelT = TypeVar("ModelT", bound=BaseModel)
EntityT = TypeVar("EntityT", bound=Entity)


class TenantRepository:
    """Queries and writes confined to one municipality's rows.

    A repository whose tables the unit of work's :class:`WriteBuffer` never holds sets
    ``reads_unbuffered``: its queries then run without writing the buffer first.
    """

    reads_unbuffered = False

    def __init__(self, session: Session, municipality_id: UUID, buffer: WriteBuffer) -> None:
        self._session = session
        self._municipality_id = municipality_id
        self._buffer = buffer
        self._options = READS_UNBUFFERED if self.reads_unbuffered else {}

    def _own(self, entity: EntityT) -> EntityT:
        if entity.municipality_id != self._municipality_id:
            raise NotAllowed(
                f"this {type(entity).__name__} belongs to another municipality",
                field="municipality_id",
            )
        return entity

    def _add(self, row_cls: type[Table], entity: Entity) -> None:
        self._session.add(to_row(row_cls, self._own(entity)))

    def _append(self, row_cls: type[Table], model: BaseModel, **extra: Any) -> None:
        """Add a row that is never changed in place, through the write buffer."""
        if isinstance(model, Entity):
            self._own(model)
        self._buffer.insert(row_cls.__table__, row_values(row_cls, model, **extra))  # type: ignore[attr-defined]

    def _get(self, row_cls: type[RowT], row_id: UUID) -> RowT | None:
        row = self._session.get(row_cls, row_id, execution_options=self._options)
        return row if row is not None and row.municipality_id == self._municipality_id else None

    def _get_existing(self, row_cls: type[RowT], row_id: UUID) -> RowT:
        row = self._get(row_cls, row_id)
        if row is None:
            raise NotFound(f"no {row_cls.__tablename__.replace('_', ' ')} {row_id}")
        return row

    def _select(self, row_cls: type[RowT], *where: Any) -> SelectOfScalar[RowT]:
        statement = select(row_cls).where(row_cls.municipality_id == self._municipality_id, *where)
        return statement.execution_options(**self._options)

    def _select_by_id(self, row_cls: type[RowT], ids: Sequence[UUID], **options: Any) -> Any:
        """Rows of any municipality with these ids: for :meth:`_rows_by_id` and
        :meth:`_models_by_id`, which keep the municipality's own.

        The municipality is checked on the rows found rather than in the query. With
        it in the query, SQLite looks up three or more ids by reading every row of the
        municipality through an index that leads with it (it keeps no statistics to
        know better), where the ids alone are found in the key."""
        statement = select(row_cls).where(col(row_cls.id).in_(list(ids)))  # type: ignore[attr-defined]
        return statement.execution_options(**self._options, **options)

    def _rows_by_id(self, row_cls: type[RowT], ids: Sequence[UUID], **options: Any) -> list[RowT]:
        """The municipality's rows with these ids (see :meth:`_select_by_id`)."""
        rows = self._rows(self._select_by_id(row_cls, ids, **options))
        return [row for row in rows if row.municipality_id == self._municipality_id]

    def _models_by_id(
        self, model_cls: type[EntityT], row_cls: type[Table], ids: Sequence[UUID], **options: Any
    ) -> list[EntityT]:
        """The municipality's rows with these ids, as models (see :meth:`_select_by_id`)."""
        models = self._models(model_cls, self._select_by_id(row_cls, ids, **options))
        return [m for m in models if m.municipality_id == self._municipality_id]

    def _timeline(
        self, row_cls: type[RowT], *where: Any, newest_first: bool = False
    ) -> SelectOfScalar[RowT]:
        """The municipality's rows matching ``where``, oldest (or newest) first."""
        keys = (col(getattr(row_cls, _MOMENT[row_cls])), col(row_cls.id))  # type: ignore[attr-defined]
        return self._select(row_cls, *where).order_by(
            *(key.desc() if newest_first else key.asc() for key in keys)
        )

    def _rows(self, statement: SelectOfScalar[RowT]) -> list[RowT]:
        return list(self._session.exec(statement).all())

    def _first(self, statement: SelectOfScalar[RowT]) -> RowT | None:
        return self._session.exec(statement.limit(1)).first()

    def _models(self, model_cls: type[ModelT], statement: SelectOfScalar[Any]) -> list[ModelT]:
        """The rows ``statement`` selects (of one row class), as models. Only the model's
        columns are read, as plain values: no ORM object is made for a row that is only
        read, which costs several times the query itself."""
        row_cls = statement.column_descriptions[0]["entity"]
        names = model_columns(row_cls, model_cls)
        values = self._session.execute(
            statement.with_only_columns(*(getattr(row_cls, name) for name in names))
        )
        return [model_cls.model_validate(dict(zip(names, row, strict=True))) for row in values]

    def _model(self, model_cls: type[ModelT], statement: SelectOfScalar[Any]) -> ModelT | None:
        """The first row ``statement`` selects, as a model (see :meth:`_models`)."""
        found = self._models(model_cls, statement.limit(1))
        return found[0] if found else None

    def _page(
        self,
        statement: SelectOfScalar[RowT],
        convert: Callable[[list[RowT]], list[ModelT]],
        offset: int,
        limit: int,
    ) -> Page[ModelT]:
        count = select(func.count()).select_from(statement.order_by(None).subquery())
        total = self._session.exec(count).one()
        rows = self._rows(statement.offset(offset).limit(limit))
        return Page[ModelT](items=convert(rows), total=total, offset=offset, limit=limit)


def model_or_none(model_cls: type[ModelT], row: Table | None) -> ModelT | None:
    return from_row(model_cls, row) if row is not None else None


def converter(model_cls: type[ModelT]) -> Callable[[list[Any]], list[ModelT]]:
    return lambda rows: [from_row(model_cls, row) for row in rows]


# The column each listing is ordered by (then by id, so paging is stable).
_MOMENT: dict[type[Table], str] = {
    CaseRow: "created_at",
    ActivityRow: "created_at",
    DocumentLinkRow: "linked_at",
    PlacementRow: "placed_at",
    InboxItemRow: "created_at",
    JournalNoteRow: "created_at",
    NoticeRow: "created_at",
    AuditEntryRow: "at",
}
