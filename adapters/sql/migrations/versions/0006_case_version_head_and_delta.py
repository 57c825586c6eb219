"""Case versions keep the case's head and the ids of the children their change added,
instead of a full copy of the case (see ports.history).

Each existing full copy becomes its head and the ids of all the children it held: a
case's children are never changed or removed, so the union of those ids up to a moment
is exactly what the copy held then.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HEAD_FIELDS = ("municipality", "case", "caseworker", "parties", "taken_at")

versions = sa.table(
    'case_version',
    sa.column('municipality_id', sa.Uuid()),
    sa.column('cursor', sa.BigInteger()),
    sa.column('snapshot', sa.Text()),
    sa.column('head', sa.Text()),
    sa.column('delta', sa.Text()),
)


def head_and_delta(snapshot: str) -> dict[str, str]:
    """A stored CaseSnapshot's JSON as the new columns' values."""
    copy = json.loads(snapshot)
    delta = {
        "links": [[link["document_id"], link["activity_id"]] for link in copy["links"]],
        "placements": [placement["id"] for placement in copy["placements"]],
        "activities": [activity["id"] for activity in copy["activities"]],
        "journal_notes": [note["id"] for note in copy["journal_notes"]],
    }
    return {
        "head": json.dumps({field: copy[field] for field in HEAD_FIELDS}),
        "delta": json.dumps(delta),
    }


def upgrade() -> None:
    with op.batch_alter_table('case_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('delta', sa.Text(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(versions.c.municipality_id, versions.c.cursor, versions.c.snapshot)
    ).all()
    for municipality_id, cursor, snapshot in rows:
        bind.execute(
            versions.update()
            .where(versions.c.municipality_id == municipality_id, versions.c.cursor == cursor)
            .values(**head_and_delta(snapshot))
        )
    with op.batch_alter_table('case_version', schema=None) as batch_op:
        batch_op.alter_column('head', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('delta', existing_type=sa.Text(), nullable=False)
        batch_op.drop_column('snapshot')


def downgrade() -> None:
    raise NotImplementedError(
        "0006 cannot be undone: a version's full copy is not kept, only its head and the "
        "ids of the children its change added"
    )
