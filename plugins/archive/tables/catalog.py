"""The tables sagshub delivers, in Danish as the archives read them.

Each table has a definition (columns, keys, descriptions) and a function that turns
a domain object into a row in column order. Identifiers are sagshub's UUIDs; the
document table also carries ``dokumentidentifikation``, the number of the
document's folder in ``Documents`` and its ``dID`` in ``docIndex.xml``.
"""

from __future__ import annotations

import json
from uuid import UUID

from core.models import (
    Activity,
    Case,
    CaseParty,
    Caseworker,
    Document,
    DocumentLink,
    JournalNote,
    Municipality,
    Party,
    Placement,
)
from plugins.archive.tables.model import Column, ForeignKey, SqlType, TableDef

TEXT, INTEGER, BOOLEAN = SqlType.TEXT, SqlType.INTEGER, SqlType.BOOLEAN
DATE, TIMESTAMP = SqlType.DATE, SqlType.TIMESTAMP
UTC_NOTE = "Tidspunkt i UTC."


def _id(name: str, what: str, *, nullable: bool = False) -> Column:
    return Column(name, TEXT, f"{what} (UUID i sagshub).", nullable=nullable)


def _fk(table: str, column: str, referenced: str, key: str) -> ForeignKey:
    return ForeignKey(f"FK_{table}_{column}", (column,), referenced, (key,))


CASES = TableDef(
    name="Sag",
    description="Sager: en række pr. sag. En sag handler om én primær part (barnet).",
    columns=(
        _id("sag_id", "Sagens entydige id"),
        Column(
            "sagsnummer",
            TEXT,
            "Sagsnummer: KLE-emne, handlingsfacet, løbenummer og år, fx 27.24.00-G01-5-24.",
            function="Sagsidentifikation",
        ),
        Column("titel", TEXT, "Sagens titel.", function="Sagstitel"),
        Column("kle_emne", TEXT, "KLE-emnenummer, fx 27.24.00."),
        Column("handlingsfacet", TEXT, "KLE-handlingsfacet, fx G01."),
        Column("status", TEXT, "Sagens status: open (åben) eller closed (afsluttet)."),
        Column("sagsbehandler", TEXT, "Navn på den ansvarlige sagsbehandler.", nullable=True),
        Column("sagsbehandler_bruger", TEXT, "Sagsbehandlerens brugernavn.", nullable=True),
        Column("oprettet", TIMESTAMP, f"Hvornår sagen blev oprettet. {UTC_NOTE}"),
        Column("opdateret", TIMESTAMP, f"Seneste ændring af sagen. {UTC_NOTE}"),
        Column("afsluttet", TIMESTAMP, f"Hvornår sagen blev afsluttet. {UTC_NOTE}", nullable=True),
        Column(
            "myndighed_cvr",
            TEXT,
            "CVR-nummer på kommunen, der ejer sagen.",
            function="Myndighedsidentifikation",
        ),
        Column("myndighed", TEXT, "Kommunens navn."),
    ),
    primary_key=("sag_id",),
)

PARTIES = TableDef(
    name="Part",
    description="Parter: personer (CPR-nummer) og virksomheder (CVR-nummer) på sagerne.",
    columns=(
        _id("part_id", "Partens entydige id"),
        Column("art", TEXT, "person eller company (virksomhed)."),
        Column("cpr", TEXT, "CPR-nummer (10 cifre) for en person.", nullable=True),
        Column("cvr", TEXT, "CVR-nummer (8 cifre) for en virksomhed.", nullable=True),
        Column("navn", TEXT, "Partens navn.", nullable=True),
        Column("adresse", TEXT, "Adresselinjer, én pr. linje.", nullable=True),
    ),
    primary_key=("part_id",),
)

CASE_PARTIES = TableDef(
    name="SagPart",
    description="Hvilke parter der er på hvilke sager, og i hvilken rolle.",
    columns=(
        _id("sag_id", "Sagen"),
        _id("part_id", "Parten"),
        Column("rolle", TEXT, "primary (sagens primære part, barnet) eller other (anden part)."),
    ),
    primary_key=("sag_id", "part_id", "rolle"),
    foreign_keys=(
        _fk("SagPart", "sag_id", "Sag", "sag_id"),
        _fk("SagPart", "part_id", "Part", "part_id"),
    ),
)

ACTIVITIES = TableDef(
    name="Aktivitet",
    description="Aktiviteter: trin på en sag (møde, undersøgelse, afgørelse).",
    columns=(
        _id("aktivitet_id", "Aktivitetens entydige id"),
        _id("sag_id", "Sagen, aktiviteten hører til"),
        Column("titel", TEXT, "Aktivitetens titel."),
        Column("art", TEXT, "Aktivitetens art, fx generel."),
        Column("oprettet", TIMESTAMP, f"Hvornår aktiviteten blev oprettet. {UTC_NOTE}"),
    ),
    primary_key=("aktivitet_id",),
    foreign_keys=(_fk("Aktivitet", "sag_id", "Sag", "sag_id"),),
)

DOCUMENTS = TableDef(
    name="Dokument",
    description=(
        "Dokumenter: en række pr. dokument. Dokumentet ligger som TIFF i "
        "Documents/docCollectionN/<dokumentidentifikation>/1.tif."
    ),
    columns=(
        _id("dokument_id", "Dokumentets entydige id"),
        Column(
            "dokumentidentifikation",
            INTEGER,
            "Dokumentets nummer i arkiveringsversionen (dID i docIndex.xml og mappenavn "
            "under Documents).",
            function="Dokumentidentifikation",
        ),
        Column("titel", TEXT, "Dokumentets titel.", function="Dokumenttitel"),
        Column(
            "brevdato", DATE, "Dokumentets dato (brevdato).", nullable=True, function="Dokumentdato"
        ),
        Column("dokumentnummer", TEXT, "Afsendersystemets dokumentnummer.", nullable=True),
        Column("dokumenttype", TEXT, "Dokumenttype, fx Brev, indgaaende."),
        Column("foelsomhed", TEXT, "Følsomhedsmarkering fra afsendersystemet.", nullable=True),
        Column("kanal", TEXT, "Hvordan dokumentet kom ind: scanning, form, email, esdh m.fl."),
        Column("afsendersystem", TEXT, "Systemet, der afleverede dokumentet til sagshub."),
        Column("meddelelses_id", TEXT, "Afsendersystemets id for afleveringen."),
        Column("modtaget", TIMESTAMP, f"Hvornår sagshub modtog dokumentet. {UTC_NOTE}"),
        Column("variant", TEXT, "Den variant af dokumentet, der er arkiveret (fx arkiv)."),
        Column(
            "originale_filnavne",
            TEXT,
            "De originale filnavne i varianten, ét pr. linje, i sidernes rækkefølge.",
        ),
        Column("sider", INTEGER, "Antal sider i den arkiverede TIFF-fil."),
        Column(
            "afleveret",
            BOOLEAN,
            "Om dokumentet er afleveret i arkiveringsversionen (altid true).",
            function="Afleveret",
        ),
    ),
    primary_key=("dokument_id",),
)

DOCUMENT_CASES = TableDef(
    name="DokumentSag",
    description=(
        "Dokumenternes sager: et dokument kan ligge på flere sager, på en aktivitet "
        "eller som bilag direkte på sagen."
    ),
    columns=(
        Column("tilknytning_nr", INTEGER, "Løbenummer for tilknytningen."),
        _id("dokument_id", "Dokumentet"),
        _id("sag_id", "Sagen"),
        _id(
            "aktivitet_id",
            "Aktiviteten; tom, når dokumentet ligger direkte på sagen",
            nullable=True,
        ),
        Column("tilknyttet", TIMESTAMP, f"Hvornår dokumentet blev lagt på sagen. {UTC_NOTE}"),
    ),
    primary_key=("tilknytning_nr",),
    foreign_keys=(
        _fk("DokumentSag", "dokument_id", "Dokument", "dokument_id"),
        _fk("DokumentSag", "sag_id", "Sag", "sag_id"),
        _fk("DokumentSag", "aktivitet_id", "Aktivitet", "aktivitet_id"),
    ),
)

JOURNAL_NOTES = TableDef(
    name="Journalnotat",
    description="Journalnotater skrevet på sagerne.",
    columns=(
        _id("notat_id", "Notatets entydige id"),
        _id("sag_id", "Sagen"),
        _id("aktivitet_id", "Aktiviteten, notatet hører til", nullable=True),
        _id("forfatter_id", "Sagsbehandleren, der skrev notatet", nullable=True),
        Column("titel", TEXT, "Notatets titel."),
        Column("tekst", TEXT, "Notatets tekst."),
        Column("oprettet", TIMESTAMP, f"Hvornår notatet blev skrevet. {UTC_NOTE}"),
    ),
    primary_key=("notat_id",),
    foreign_keys=(
        _fk("Journalnotat", "sag_id", "Sag", "sag_id"),
        _fk("Journalnotat", "aktivitet_id", "Aktivitet", "aktivitet_id"),
    ),
)

PLACEMENTS = TableDef(
    name="Placering",
    description=(
        "Placeringer: hvor sagshub (eller en sagsbehandler) lagde et indkommet dokument, "
        "efter hvilken regel og hvorfor."
    ),
    columns=(
        _id("placering_id", "Placeringens entydige id"),
        _id("dokument_id", "Dokumentet"),
        Column(
            "maal",
            TEXT,
            "Hvor dokumentet blev lagt: case, activity, new_case, caseworker_inbox "
            "eller common_inbox.",
        ),
        _id("sag_id", "Sagen", nullable=True),
        _id("aktivitet_id", "Aktiviteten", nullable=True),
        _id("sagsbehandler_id", "Sagsbehandleren, hvis indbakke det kom i", nullable=True),
        Column("regel", TEXT, "Placeringsreglen, der afgjorde det."),
        Column("begrundelse", TEXT, "Begrundelsen i klar tekst."),
        Column(
            "evidens",
            TEXT,
            "Oplysningerne, reglen byggede på, som JSON (kan indeholde CPR-numre).",
            nullable=True,
        ),
        _id(
            "placeret_af", "Sagsbehandleren, der placerede i hånden; tom for sagshub", nullable=True
        ),
        Column("placeret", TIMESTAMP, f"Hvornår placeringen skete. {UTC_NOTE}"),
    ),
    primary_key=("placering_id",),
    foreign_keys=(
        _fk("Placering", "dokument_id", "Dokument", "dokument_id"),
        _fk("Placering", "sag_id", "Sag", "sag_id"),
        _fk("Placering", "aktivitet_id", "Aktivitet", "aktivitet_id"),
    ),
)

TABLES: tuple[TableDef, ...] = (
    CASES,
    PARTIES,
    CASE_PARTIES,
    ACTIVITIES,
    DOCUMENTS,
    DOCUMENT_CASES,
    JOURNAL_NOTES,
    PLACEMENTS,
)
"""In folder order: ``Tables/table1`` is ``Sag`` and so on."""


def case_row(case: Case, caseworker: Caseworker | None, municipality: Municipality) -> tuple:
    return (
        case.id,
        case.number,
        case.title,
        case.kle_subject,
        case.handlingsfacet,
        case.status.value,
        caseworker.name if caseworker else None,
        caseworker.username if caseworker else None,
        case.created_at,
        case.updated_at,
        case.closed_at,
        municipality.cvr,
        municipality.name,
    )


def party_row(party: Party) -> tuple:
    address = "\n".join(party.address_lines) or None
    return (party.id, party.kind.value, party.cpr, party.cvr, party.name or None, address)


def case_party_row(case: Case, role: CaseParty) -> tuple:
    return (case.id, role.party_id, role.role.value)


def activity_row(activity: Activity) -> tuple:
    return (activity.id, activity.case_id, activity.title, activity.kind, activity.created_at)


def document_row(
    document: Document, number: int, variant: str, file_names: list[str], pages: int
) -> tuple:
    return (
        document.id,
        number,
        document.title,
        document.letter_date,
        document.document_number,
        document.doc_type,
        document.sensitivity,
        document.channel.value,
        document.sender_system,
        document.message_id,
        document.received_at,
        variant,
        "\n".join(file_names),
        pages,
        True,
    )


def document_case_row(number: int, link: DocumentLink, activity_id: UUID | None) -> tuple:
    return (number, link.document_id, link.case_id, activity_id, link.linked_at)


def journal_note_row(note: JournalNote, activity_id: UUID | None) -> tuple:
    return (
        note.id,
        note.case_id,
        activity_id,
        note.author_id,
        note.title,
        note.text,
        note.created_at,
    )


def placement_row(placement: Placement, case_id: UUID | None, activity_id: UUID | None) -> tuple:
    evidence = (
        json.dumps(placement.evidence, ensure_ascii=False, sort_keys=True, default=str)
        if placement.evidence
        else None
    )
    return (
        placement.id,
        placement.document_id,
        placement.target.value,
        case_id,
        activity_id,
        placement.caseworker_id,
        placement.rule,
        placement.reason,
        evidence,
        placement.placed_by,
        placement.placed_at,
    )
