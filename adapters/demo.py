"""A demo municipality: a configuration, a migrated SQLite database and synthetic data.

Everything in it is made up. The CPR numbers have real dates (children born
2008-2020) and serial numbers 9900-9999, which the demo alone uses, so nobody
mistakes them for real people. The data goes in through the hub's own use
cases (CaseService, IntakeService), the way any client would put it there;
only what no use case creates yet (caseworkers, named parties, a case's other
parties) is written through the unit of work's repositories.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from core.errors import Conflict
from core.intake import CaseReference, IncomingDocument, IncomingVariant, StagedPart
from core.models import Case, CaseParty, CasePartyRole, Caseworker, Channel, Party, PartyKind
from core.services.cases import NewCase
from ports.services import HubServices

CONFIG_NAME = "sagshub.toml"
DATABASE_NAME = "sagshub.db"
BLOBS_NAME = "blobs"
KEYS_NAME = "api-keys.txt"
ACTOR = "demo"
SENDER = "demo"
KLE_CHILD_WELFARE = "27.24.00"

DEMO_CONFIG = f"""\
# A demo municipality made by `sagshub demo`. Every person in it is made up.
# Serve it with `sagshub serve` in this folder; see docs/configuration.md.

[municipality]
name = "Demo Kommune"
cvr = "12345674"
code = "999"

[database]
url = "sqlite:///{DATABASE_NAME}"

[blobs]
path = "{BLOBS_NAME}"

[plugins]
enabled = []
# Letters: Digital Post first, else remote print (both through Serviceplatformen SF1601):
# enabled = ["eboks", "print"]

[ports]
notifier = "none"
# letters = ["eboks", "print"]

# [plugins.eboks]
# base_url = "https://…"          # SF1601 (in tests: the fake in tests/fakes/sf1601)
# token_url = "https://…/token"
# [plugins.print]
# base_url = "https://…"
# token_url = "https://…/token"
# forsendelse_type = 265
# return_address = {{ name = "Demo Kommune", lines = ["Rådhuset", "9999 Demoby"] }}

[policy]
create_case_for_unknown_party = false

[server]
host = "127.0.0.1"
port = 8000
"""

CASEWORKERS = [
    ("anha", "Anne Hansen"),
    ("bola", "Bo Larsen"),
    ("cepe", "Cecilie Pedersen"),
    ("dani", "Dan Nielsen"),
    ("emjo", "Emma Jørgensen"),
    ("frkr", "Frederik Kristensen"),
    ("gimo", "Gitte Mortensen"),
    ("haso", "Hans Sørensen"),
]
FIRST_NAMES = [
    "Alma",
    "Noah",
    "Ida",
    "Oscar",
    "Freja",
    "William",
    "Ella",
    "Karl",
    "Clara",
    "Lucas",
    "Agnes",
    "Victor",
    "Olivia",
    "Malthe",
    "Sofia",
    "Emil",
    "Luna",
    "Aksel",
    "Karla",
    "Elias",
]
STREETS = ["Skolevej", "Bakkedraget", "Møllevej", "Engtoften", "Kirkestræde"]
DEMO_CLIENTS = [
    # (name, scopes, caseworker): the client systems of docs/intake.md's examples, and
    # a caseworker's own token for the caseworker API.
    ("scanning-roskilde", "intake", None),
    ("digital-post", "intake", None),
    ("esdh-acadre", "intake,cases:read,documents:read", None),
    ("anha", "inbox,cases:read,cases:write,documents:read", "anha"),
]
SURNAMES = ["Andersen", "Poulsen", "Johansen", "Møller", "Rasmussen", "Petersen", "Madsen"]
ACTIVITIES = [
    ("Underretning modtaget", "underretning"),
    ("Børnefaglig undersøgelse", "undersoegelse"),
    ("Møde med familien", "moede"),
    ("Handleplan", "handleplan"),
    ("Afgørelse om foranstaltning", "afgoerelse"),
]
NOTES = [
    ("Samtale med barnet", "Barnet fortalte om skolen og fritiden. Ingen akutte bekymringer."),
    ("Telefonsamtale med skolen", "Skolen oplyser om stabilt fremmøde det seneste kvartal."),
    ("Opfølgning", "Aftalt nyt møde om seks uger. Familien er orienteret."),
]


@dataclass(frozen=True)
class DemoSummary:
    folder: Path
    caseworkers: int
    cases: int
    closed: int
    inbox_documents: int
    keys: tuple[tuple[str, str, str], ...] = ()
    """(client name, scopes, key) of the demo's API clients."""

    def __str__(self) -> str:
        lines = [
            f"demo municipality created in {self.folder}: {self.caseworkers} caseworkers, "
            f"{self.cases} cases ({self.closed} closed), {self.inbox_documents} documents in "
            f"inboxes. Serve it with `sagshub serve` in that folder."
        ]
        if self.keys:
            lines.append(
                f"API keys (the hub keeps only their hashes; a copy is in {KEYS_NAME} there):"
            )
            lines += [f"  {name:<18} {key}  ({scopes})" for name, scopes, key in self.keys]
        return "\n".join(lines)


def synthetic_cpr(index: int, rng: random.Random) -> str:
    """A CPR number with a real birth date in 2008-2020 and serial 99NN (demo only).

    A 7th digit of 9 with a two-digit year up to 36 means the 2000s.
    """
    born = date(rng.randint(2008, 2020), rng.randint(1, 12), rng.randint(1, 28))
    return f"{born:%d%m%y}99{index % 100:02d}"


def created_paths(folder: Path) -> list[Path]:
    """What the demo writes into its folder (the database with SQLite's side files)."""
    database = folder / DATABASE_NAME
    return [
        folder / CONFIG_NAME,
        database,
        database.with_name(DATABASE_NAME + "-wal"),
        database.with_name(DATABASE_NAME + "-shm"),
        folder / BLOBS_NAME,
        folder / KEYS_NAME,
    ]


@contextmanager
def demo_folder(folder: Path) -> Iterator[Path]:
    """Refuse a folder that already holds a demo; remove what was written if creation fails."""
    folder = folder.resolve()
    taken = [p.name for p in created_paths(folder) if p.exists()]
    if taken:
        raise Conflict(
            f"{folder} already holds a sagshub municipality ({', '.join(taken)}); "
            "remove it or choose another --dir"
        )
    folder.mkdir(parents=True, exist_ok=True)
    try:
        (folder / CONFIG_NAME).write_text(DEMO_CONFIG, encoding="utf-8")
        yield folder / CONFIG_NAME
    except BaseException:
        for path in created_paths(folder):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        raise


def populate(services: HubServices, seed: int = 2024) -> DemoSummary:
    """Fill an empty, migrated municipality with caseworkers, cases and inbox documents."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not a secret
    usernames = add_caseworkers(services)
    children = [
        (synthetic_cpr(i, rng), f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}")
        for i in range(40)
    ]
    cases = [
        open_case(services, cpr, name, usernames[i % len(usernames)], rng)
        for i, (cpr, name) in enumerate(children)
    ]
    # One child gets a second open case, so a letter about that child needs a caseworker.
    twice_cpr, twice_name = children[3]
    cases.append(open_case(services, twice_cpr, twice_name, usernames[3], rng, "Efterværn"))
    add_siblings(services, cases[:12], [cpr for cpr, _ in children[20:32]])
    closed = [services.cases.close_case(case.id, ACTOR) for case in cases[-9:-1]]
    attach_letters(services, cases[:6])
    inbox = receive_unplaced(services, usernames, twice_cpr)
    return DemoSummary(Path(), len(usernames), len(cases), len(closed), inbox)


def issue_keys(services: HubServices, folder: Path) -> tuple[tuple[str, str, str], ...]:
    """API keys for the demo's clients, also written to ``api-keys.txt`` (owner-only) as
    ``name key`` lines: a demo convenience, never done for a real municipality."""
    keys = tuple(
        (name, scopes, services.clients.issue(name, scopes.split(","), caseworker=cw).key)
        for name, scopes, cw in DEMO_CLIENTS
    )
    path = folder / KEYS_NAME
    path.touch(mode=0o600)
    path.write_text("".join(f"{name} {key}\n" for name, _, key in keys), encoding="utf-8")
    return keys


def add_caseworkers(services: HubServices) -> list[str]:
    municipality_id = services.municipality.id
    with services.uow_factory(municipality_id) as uow:
        for username, name in CASEWORKERS:
            uow.caseworkers.add(
                Caseworker(
                    municipality_id=municipality_id,
                    username=username,
                    name=name,
                    email=f"{username}@demo-kommune.example",
                )
            )
        uow.commit()
    return [username for username, _ in CASEWORKERS]


def open_case(
    services: HubServices,
    cpr: str,
    name: str,
    caseworker: str,
    rng: random.Random,
    title: str = "Særlig støtte",
) -> Case:
    """A case on the child with a few activities and journal notes."""
    add_child(services, cpr, name, rng)
    case = services.cases.create_case(
        NewCase(
            title=f"{title} – {name}",
            kle_subject=KLE_CHILD_WELFARE,
            handlingsfacet="G01",
            primary_cpr=cpr,
            caseworker=caseworker,
        ),
        ACTOR,
    )
    for activity_title, kind in ACTIVITIES[: rng.randint(1, len(ACTIVITIES))]:
        services.cases.add_activity(case.id, activity_title, kind, ACTOR)
    for note_title, text in rng.sample(NOTES, rng.randint(1, len(NOTES))):
        services.cases.add_journal_note(case.id, note_title, text, ACTOR)
    return case


def _in_uow(services: HubServices, work: Callable[[Any], None]) -> None:
    with services.uow_factory(services.municipality.id) as uow:
        work(uow)
        uow.commit()


def add_child(services: HubServices, cpr: str, name: str, rng: random.Random) -> None:
    """The child as a named party with a postal address (for printed letters) and, for
    some, the family's e-mail address (the case use case would make it nameless)."""
    street = f"{rng.choice(STREETS)} {rng.randint(1, 99)}"
    email = f"familien.{cpr[-4:]}@demo-borger.example" if rng.random() < 0.5 else None

    def work(uow: Any) -> None:
        if uow.parties.get_by_cpr(cpr) is None:
            uow.parties.add(
                Party(
                    municipality_id=uow.municipality_id,
                    kind=PartyKind.PERSON,
                    cpr=cpr,
                    name=name,
                    address_lines=[street, "9999 Demoby"],
                    email=email,
                )
            )

    _in_uow(services, work)


def add_siblings(services: HubServices, cases: list[Case], sibling_cprs: list[str]) -> None:
    """Put a sibling on each case as another party."""

    def work(uow: Any) -> None:
        for case, cpr in zip(cases, sibling_cprs, strict=True):
            sibling = uow.parties.get_by_cpr(cpr)
            if sibling is None:
                sibling = Party(municipality_id=uow.municipality_id, kind=PartyKind.PERSON, cpr=cpr)
                uow.parties.add(sibling)
            stored = uow.cases.get(case.id)
            stored.parties = [
                *stored.parties,
                CaseParty(party_id=sibling.id, role=CasePartyRole.OTHER),
            ]
            uow.cases.update(stored)

    _in_uow(services, work)


def staged_text(services: HubServices, name: str, text: str) -> StagedPart:
    """A text file staged in the blob store, as an interface would stage an upload."""
    writer = services.blobs.writer()
    writer.write(text.encode("utf-8"))
    blob = writer.finish()
    return blob.as_part(name, "text/plain")


def deliver(services: HubServices, message_id: str, title: str, **metadata: Any) -> None:
    part = staged_text(services, f"{message_id}.txt", f"{title}\n\n(demo document)\n")
    services.intake.receive(
        IncomingDocument(
            sender_system=SENDER,
            message_id=message_id,
            title=title,
            channel=metadata.pop("channel", Channel.SCANNING),
            variants=[IncomingVariant(name="arkiv", parts=[part])],
            **metadata,
        )
    )


def attach_letters(services: HubServices, cases: list[Case]) -> None:
    """Letters that name their case: the hub puts them straight on it."""
    for number, case in enumerate(cases, start=1):
        deliver(
            services,
            f"letter-{number}",
            "Brev fra skolen",
            case=CaseReference(case_number=case.number),
        )


def receive_unplaced(services: HubServices, usernames: list[str], twice_cpr: str) -> int:
    """Documents the hub cannot place alone; they wait in inboxes. Returns how many."""
    deliveries: list[tuple[str, dict[str, Any]]] = [
        ("Indscannet post uden afsender", {}),
        ("Formular uden CPR-nummer", {"channel": Channel.FORM}),
        ("Svar fra ukendt borger", {"cprs": ["0101159977"], "channel": Channel.EMAIL}),
        ("Mødereferat til sagsbehandler", {"caseworker": usernames[0]}),
        ("Notat fra PPR", {"caseworker": usernames[1]}),
        ("Udtalelse fra sundhedsplejen", {"cprs": [twice_cpr]}),
    ]
    for number, (title, metadata) in enumerate(deliveries, start=1):
        deliver(services, f"inbox-{number}", title, **metadata)
    return len(deliveries)


def create_demo(
    folder: Path, build: Callable[[Path], tuple[HubServices, Callable[[], None]]]
) -> DemoSummary:
    """Write the demo into ``folder``: configuration, migrated database, data.

    ``build(config_file)`` migrates the database and returns the hub's services and
    a function that closes the hub.
    """
    with demo_folder(folder) as config_file:
        services, close = build(config_file)
        try:
            summary = populate(services)
            keys = issue_keys(services, config_file.parent)
        finally:
            close()
    return replace(summary, folder=config_file.parent, keys=keys)
