"""Alembic environment: runs against the engine :class:`adapters.sql.database.Database`
puts in the config (``config.attributes["engine"]``)."""

from __future__ import annotations

from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.types import TypeDecorator

from adapters.sql.export_tables import managed_by_alembic
from adapters.sql.tables import metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Render our column types as the plain SQLAlchemy types they wrap, so revisions
    do not import the application."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def run_migrations() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            render_item=render_item,
            include_name=managed_by_alembic,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
