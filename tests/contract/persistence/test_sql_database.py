"""What only the SQL adapter has: migrations, connection settings, column types."""

from __future__ import annotations

import hashlib
from datetime import datetime
from uuid import uuid4

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from adapters.blobs.filesystem import FilesystemBlobStore
from adapters.sql.database import Database
from adapters.sql.export_tables import managed_by_alembic
from adapters.sql.tables import metadata
from core.models import DocumentLink
from core.services.snapshots import case_snapshot

from . import builders
from .conftest import add_municipality
from .staging import FailingPromotion, document_with, stage, staging_area


@pytest.fixture(
    params=[
        pytest.param("sqlite_database", id="sqlite"),
        pytest.param("postgres_database", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database(request) -> Database:
    return request.getfixturevalue(request.param)


def test_the_migrated_schema_is_the_tables_metadata(database):
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": managed_by_alembic})
        assert compare_metadata(context, metadata) == []


def test_upgrade_reaches_head_and_is_idempotent(database):
    head = ScriptDirectory.from_config(database.alembic_config()).get_current_head()
    assert database.current_revision() == head == "0007"
    database.upgrade()
    assert database.current_revision() == head


def test_a_fresh_database_has_no_revision(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        assert database.current_revision() is None
    finally:
        database.dispose()


def test_sqlite_connections_are_durable_and_wait_for_locks(sqlite_database):
    with sqlite_database.engine.connect() as connection:
        settings = {
            pragma: connection.execute(text(f"PRAGMA {pragma}")).scalar()
            for pragma in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert settings == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 10_000,
    }


def test_postgresql_urls_use_psycopg_3():
    database = Database("postgresql://someone@db.example:5432/sagshub")
    assert database.url.drivername == "postgresql+psycopg"
    database.dispose()


def test_a_naive_datetime_is_refused_and_nothing_stored(database, tmp_path):
    """The domain refuses naive times; the column type refuses them too, for rows that
    bypass validation (model_construct)."""
    uow_factory = database.uow_factory(FilesystemBlobStore(tmp_path / "blobs"))
    municipality = add_municipality(uow_factory)
    with pytest.raises(ValidationError, match="timezone"):
        builders.case(municipality.id, created_at=datetime(2024, 1, 1, 12, 0))
    valid = builders.case(municipality.id)
    naive = valid.model_construct(**(dict(valid) | {"created_at": datetime(2024, 1, 1, 12, 0)}))
    with uow_factory(municipality.id) as uow:
        uow.cases.add(naive)
        with pytest.raises(StatementError, match="naive datetime"):
            uow.commit()
    with uow_factory(municipality.id) as uow:
        assert uow.cases.get(naive.id) is None


def test_a_reference_to_nothing_fails_at_commit_after_promotion_and_is_undone(database, tmp_path):
    """Foreign keys are checked at COMMIT, after the blobs were promoted: those go again."""
    blobs = FilesystemBlobStore(tmp_path / "blobs")
    uow_factory = database.uow_factory(blobs)
    municipality = add_municipality(uow_factory)
    staged = stage(blobs, b"promoted, then undone")
    document = document_with(municipality.id, staged)
    with uow_factory(municipality.id) as uow:
        uow.keep_blob(staged)
        uow.documents.add(document)
        uow.documents.link(DocumentLink(document_id=document.id, case_id=uuid4()))
        with pytest.raises(IntegrityError):
            uow.commit()
    with uow_factory(municipality.id) as uow:
        assert uow.documents.get(document.id) is None
    assert not blobs.exists(staged.sha256)
    assert staging_area(blobs) == []


@pytest.mark.postgres
def test_a_failed_commit_spares_a_blob_that_a_concurrent_commit_now_references(
    postgres_database, tmp_path
):
    """PostgreSQL lets another transaction commit while this one is between promotion
    and failure; the file it promoted may by then belong to that commit too."""
    shared_bytes, last_bytes = b"sent twice, at the same time", b"does not fit on the disk"
    blobs = FailingPromotion(tmp_path / "blobs", hashlib.sha256(last_bytes).hexdigest())
    uow_factory = postgres_database.uow_factory(blobs)
    municipality = add_municipality(uow_factory)
    concurrent = stage(blobs, shared_bytes)

    def the_other_delivery_commits():
        with uow_factory(municipality.id) as other:
            other.keep_blob(concurrent)
            other.documents.add(document_with(municipality.id, concurrent))
            other.commit()

    blobs.meanwhile = the_other_delivery_commits
    shared, last = stage(blobs, shared_bytes), stage(blobs, last_bytes)
    with uow_factory(municipality.id) as uow:
        uow.keep_blob(shared)
        uow.keep_blob(last)
        uow.documents.add(document_with(municipality.id, shared, last))
        with pytest.raises(OSError):
            uow.commit()
    assert blobs.exists(shared.sha256)
    assert not blobs.exists(last.sha256)
    assert staging_area(blobs) == []


def test_0006_turns_full_copies_into_heads_and_children(tmp_path):
    """A version stored as a full copy before 0006 reads back the same after it."""
    database = Database(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(database.alembic_config(), "0005")
    blobs = FilesystemBlobStore(tmp_path / "blobs")
    town = builders.municipality()
    child = builders.person(town.id)
    case = builders.case(town.id, child)
    with database.uow_factory(blobs)(town.id) as uow:
        uow.municipalities.add(town)
        uow.parties.add(child)
        uow.cases.add(case)
        uow.activities.add(builders.activity(case, created=2))
        uow.commit()
    with database.uow_factory(blobs)(town.id) as uow:
        copy = case_snapshot(uow, uow.cases.get(case.id)).model_copy(
            update={"taken_at": builders.at(3)}
        )
    old_row = text(
        "INSERT INTO case_version (municipality_id, cursor, case_id, version, change,"
        " registered_at, snapshot) VALUES (:m, 1, :c, 1, 'created', :at, :s)"
    )
    with database.engine.begin() as connection:
        connection.execute(
            old_row,
            {"m": town.id.hex, "c": case.id.hex, "at": builders.at(3), "s": copy.model_dump_json()},
        )
    database.upgrade()
    try:
        with database.uow_factory(blobs)(town.id) as uow:
            assert uow.history.as_of(case.id, builders.at(3)) == copy
            assert [a.title for a in copy.activities] == ["Møde"]
    finally:
        database.dispose()
