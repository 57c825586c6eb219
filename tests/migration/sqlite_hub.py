"""A real municipality folder for the end-to-end migration tests: configuration file,
migrated SQLite database, filesystem blob store, one caseworker with one child's case."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from adapters.blobs.filesystem import FilesystemBlobStore
from adapters.settings import load_settings
from hub import build_container
from tests.config_files import write_config
from tests.unit.builders import World

CPR = "0101150123"


@dataclass(frozen=True)
class HubFolder:
    config: Path
    database: Path
    blobs: Path
    case_number: str

    def rows(self, sql: str, *params: object) -> list[tuple]:
        """Read the database directly (the test checks what is stored, not what the hub says)."""
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, params).fetchall()

    def snapshot(self) -> dict[str, list[tuple]]:
        """Every row of every table, and every file under the blob folder."""
        with sqlite3.connect(self.database) as connection:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            ]
            rows = {
                t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables
            }
        rows["blob files"] = sorted(str(p) for p in self.blobs.rglob("*") if p.is_file())
        return rows


def create_hub_folder(folder: Path) -> HubFolder:
    folder.mkdir(parents=True, exist_ok=True)
    config = write_config(folder, '[database]\nurl = "sqlite:///sagshub.db"\n')
    settings = load_settings(config)
    database = build_container(settings).database()
    try:
        database.upgrade()
        world = World(database.uow_factory(FilesystemBlobStore(settings.blobs.path)))
        hanne = world.caseworker("hanne")
        case = world.case(world.person(CPR), caseworker=hanne)
    finally:
        database.dispose()
    return HubFolder(config, folder / "sagshub.db", settings.blobs.path, case.number)
