"""Drop the indexes on ``municipality_id`` alone; index the case list by creation and
an object's or an actor's audit entries by time.

Every query on these tables filters on the municipality beside a selective column,
and most databases hold one municipality, where these indexes select every row.
SQLite, without statistics, sometimes chose one over the selective index and read
the whole table; each insert also paid for them. See ``adapters.sql.tables.tenant_key``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = (
    "activity",
    "api_client",
    "archive_extract",
    "audit_entry",
    "case",
    "case_party",
    "caseworker",
    "document",
    "document_link",
    "document_party",
    "inbox_item",
    "intake_record",
    "job_outbox",
    "journal_note",
    "letter",
    "letter_event",
    "notice",
    "part",
    "party",
    "placement",
    "variant",
)


AUDIT_KEYS = ("object_id", "actor")


def upgrade() -> None:
    for table in TENANT_TABLES:
        op.drop_index(f"ix_{table}_municipality_id", table_name=table)
    op.create_index("ix_case_municipality_id_created_at", "case", ["municipality_id", "created_at"])
    for key in AUDIT_KEYS:
        op.drop_index(f"ix_audit_entry_municipality_id_{key}", table_name="audit_entry")
        op.create_index(
            f"ix_audit_entry_municipality_id_{key}_at",
            "audit_entry",
            ["municipality_id", key, "at"],
        )


def downgrade() -> None:
    for key in AUDIT_KEYS:
        op.drop_index(f"ix_audit_entry_municipality_id_{key}_at", table_name="audit_entry")
        op.create_index(
            f"ix_audit_entry_municipality_id_{key}", "audit_entry", ["municipality_id", key]
        )
    op.drop_index("ix_case_municipality_id_created_at", table_name="case")
    for table in TENANT_TABLES:
        op.create_index(f"ix_{table}_municipality_id", table, ["municipality_id"])
