"""The bench's municipality: its configuration file, database and a few hundred cases.

The generated manifest (:mod:`bench.migration.generate`) refers to these case
numbers, CPR numbers and caseworkers, so that every placement rule is exercised.
"""

from __future__ import annotations

from pathlib import Path

from adapters.blobs.filesystem import FilesystemBlobStore
from adapters.sql.database import Database
from core.models import Case, CaseParty, Caseworker, Municipality, Party, PartyKind

CVR = "29188386"
CASES = 200
CASEWORKERS = ("hanne", "jens", "mette")

CONFIG = """\
[municipality]
name = "Bench Kommune"
cvr = "{cvr}"

[database]
url = "sqlite:///sagshub.db"

[blobs]
path = "blobs"
"""


def child_cpr(i: int) -> str:
    """A synthetic CPR number of a child born in 2015 (7th digit 4: the 2000s)."""
    return f"{1 + i % 28:02d}{1 + (i // 28) % 12:02d}15{4000 + i:04d}"


def case_number(i: int) -> str:
    return f"27.24.00-G01-{500 + i}-15"


def create_hub_folder(folder: Path) -> Path:
    """Write the configuration, migrate the database and seed it; return the config file."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "sagshub.toml"
    config.write_text(CONFIG.format(cvr=CVR))
    database = Database(f"sqlite:///{folder / 'sagshub.db'}")
    try:
        database.upgrade()
        seed(database.uow_factory(FilesystemBlobStore(folder / "blobs")))
    finally:
        database.dispose()
    return config


def seed(uow_factory) -> None:
    municipality = Municipality(name="Bench Kommune", cvr=CVR)
    with uow_factory(municipality.id) as uow:
        uow.municipalities.add(municipality)
        workers = [
            Caseworker(municipality_id=municipality.id, username=name, name=name.title())
            for name in CASEWORKERS
        ]
        for worker in workers:
            uow.caseworkers.add(worker)
        for i in range(CASES):
            child = Party(
                municipality_id=municipality.id,
                kind=PartyKind.PERSON,
                cpr=child_cpr(i),
                name="Barn",
            )
            uow.parties.add(child)
            uow.cases.add(
                Case(
                    municipality_id=municipality.id,
                    number=case_number(i),
                    title=f"Sag {i}",
                    kle_subject="27.24.00",
                    handlingsfacet="G01",
                    caseworker_id=workers[i % len(workers)].id,
                    parties=[CaseParty(party_id=child.id)],
                )
            )
        uow.commit()
