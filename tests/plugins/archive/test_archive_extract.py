"""A valid extract under each edition: its shape, its contents, and that validate passes."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest
from lxml import etree
from PIL import Image

from plugins.archive.hashing import md5_file
from plugins.archive.validation.run import validate
from plugins.archive.xmlsafe import DIARK
from ports.integrations import ArchiveProfile

from .builders import Blobs, document, pdf_bytes, snapshot
from .conftest import make_extract

NS = {"d": DIARK}


def _index(extract: Path, name: str) -> etree._ElementTree:
    return etree.parse(str(extract / "Indices" / f"{name}.xml"))


def _rows(extract: Path, number: int) -> list[dict[str, str | None]]:
    tree = etree.parse(str(extract / "Tables" / f"table{number}" / f"table{number}.xml"))
    nil = "{http://www.w3.org/2001/XMLSchema-instance}nil"
    return [
        {etree.QName(c).localname: None if c.get(nil) else c.text for c in row}
        for row in tree.getroot()
    ]


@pytest.mark.parametrize("extract_name", ["bek128_extract", "bek1007_extract"])
def test_a_fresh_extract_passes_validation(extract_name, request, standards_dir):
    extract = request.getfixturevalue(extract_name)
    assert extract.name == "AVID.SA.7.1"
    assert validate(extract, standards_dir) == []


def test_the_folders_follow_the_standard_layout(bek128_extract):
    tables = sorted(p.name for p in (bek128_extract / "Tables").iterdir())
    assert tables == [f"table{n}" for n in range(1, 9)]
    collections = sorted(p.name for p in (bek128_extract / "Documents").iterdir())
    assert collections == ["docCollection1", "docCollection2"]
    assert len(list((bek128_extract / "Documents" / "docCollection1").iterdir())) == 5
    assert len(list((bek128_extract / "Documents" / "docCollection2").iterdir())) == 4
    assert (bek128_extract / "ContextDocumentation" / "docCollection1" / "1" / "1.tif").is_file()
    assert not (bek128_extract.parent / "AVID.SA.7.1.partial").exists()
    assert not (bek128_extract.parent / "AVID.SA.7.1.state.sqlite").exists()


def test_each_edition_carries_its_own_schemas(bek128_extract, bek1007_extract, standards_dir):
    editions = ((bek128_extract, "archive-bek128"), (bek1007_extract, "archive-bek1007"))
    for extract, folder in editions:
        copied = extract / "Schemas" / "standard"
        official = standards_dir / folder
        names = sorted(p.name for p in copied.iterdir())
        assert names == sorted(p.name for p in official.iterdir() if p.suffix == ".xsd")
        for name in names:
            assert (copied / name).read_bytes() == (official / name).read_bytes()
    assert (bek128_extract / "Schemas" / "standard" / "researchIndex.xsd").exists()
    assert not (bek1007_extract / "Schemas" / "standard" / "researchIndex.xsd").exists()


def test_archive_index_follows_each_edition_and_marks_personal_data(
    bek128_extract, bek1007_extract
):
    new = _index(bek128_extract, "archiveIndex")
    old = _index(bek1007_extract, "archiveIndex")
    for tree in (new, old):
        assert tree.findtext("d:archiveInformationPackageID", namespaces=NS) == "AVID.SA.7"
        assert tree.findtext("d:cprNum", namespaces=NS) == "true"
        assert tree.findtext("d:cvrNum", namespaces=NS) == "true"
        assert tree.findtext("d:personalDataRestrictedInfo", namespaces=NS) == "true"
        assert tree.findtext("d:archivePeriodStart", namespaces=NS) == "2023-01-01"
        assert tree.findtext("d:archivePeriodEnd", namespaces=NS) == "2023-12-01"
        assert tree.findtext("d:archiveType", namespaces=NS) == "true"
    assert old.xpath("d:form/d:classList/d:formClassText/text()", namespaces=NS) == [
        "Børn og unge med særlige behov"
    ]
    assert new.find("d:form", NS) is None  # not configured for that extract
    for only_in_128 in ("documentPeriodStart", "containsGeodata", "researchSIP"):
        assert new.find(f"d:{only_in_128}", NS) is not None
        assert old.find(f"d:{only_in_128}", NS) is None


def test_doc_index_and_document_table_name_the_same_documents(bek128_extract):
    docs = _index(bek128_extract, "docIndex").getroot()
    entries = [
        (
            d.findtext("d:dID", namespaces=NS),
            d.findtext("d:dCf", namespaces=NS),
            d.findtext("d:oFn", namespaces=NS),
        )
        for d in docs
    ]
    assert [e[0] for e in entries] == [str(n) for n in range(1, 10)]
    assert {e[1] for e in entries[:5]} == {"docCollection1"}
    assert {e[1] for e in entries[5:]} == {"docCollection2"}
    rows = _rows(bek128_extract, 5)
    assert [r["c2"] for r in rows] == [e[0] for e in entries]
    assert [e[2] for e in entries][:4] == ["brev.pdf", "foto.png", "notat.txt", "svar.eml"]
    assert [r["c13"] for r in rows][:4] == ["brev.pdf", "foto.png", "notat.txt", "svar.eml"]


def test_a_document_on_two_cases_is_archived_once_and_linked_twice(bek128_extract):
    documents = _rows(bek128_extract, 5)
    shared = [d for d in documents if d["c3"] == "Fælles afgørelse"]
    assert len(shared) == 1
    links = [link for link in _rows(bek128_extract, 6) if link["c2"] == shared[0]["c1"]]
    assert len(links) == 2
    assert len({link["c3"] for link in links}) == 2
    parties = _rows(bek128_extract, 2)
    assert len(parties) == 4  # each case has its own child and school


def test_pages_follow_the_sources_and_use_an_allowed_compression(bek128_extract, bek1007_extract):
    pages = {r["c3"]: int(r["c14"]) for r in _rows(bek128_extract, 5)}
    assert pages["Brev A"] == 2
    assert pages["Foto A"] == 1
    assert pages["Fælles afgørelse"] == 3
    # e-mail: one text page, the inline image, the attached PDF's two pages
    assert pages["Mail A"] == 4
    with Image.open(bek128_extract / "Documents" / "docCollection1" / "1" / "1.tif") as tiff:
        assert tiff.n_frames == 2
        assert tiff.tag_v2[259] == 5  # LZW: the rendered PDF page has grey
    with Image.open(bek128_extract / "Documents" / "docCollection1" / "3" / "1.tif") as tiff:
        assert tiff.mode == "1" and tiff.tag_v2[259] == 4  # the text page is black and white
    with Image.open(bek1007_extract / "Documents" / "docCollection1" / "2" / "1.tif") as tiff:
        assert tiff.tag_v2[259] == 4  # CCITT Group 4 (settings: compression = group4)
        assert tiff.mode == "1"


def test_file_index_lists_every_other_file_with_backslashes_and_upper_case_md5(bek128_extract):
    entries = _index(bek128_extract, "fileIndex").getroot()
    listed = {}
    for entry in entries:
        folder = entry.findtext("d:foN", namespaces=NS)
        assert folder.startswith("AVID.SA.7.1\\") and "/" not in folder
        relative = Path(*folder.split("\\")[1:]) / entry.findtext("d:fiN", namespaces=NS)
        listed[relative.as_posix()] = entry.findtext("d:md5", namespaces=NS)
    on_disk = {
        p.relative_to(bek128_extract).as_posix()
        for p in bek128_extract.rglob("*")
        if p.is_file() and p.name != "fileIndex.xml"
    }
    assert set(listed) == on_disk
    for relative, md5 in listed.items():
        assert md5 == md5_file(bek128_extract / relative) and md5 == md5.upper()


def test_table_index_declares_keys_and_the_document_column(bek128_extract):
    tables = _index(bek128_extract, "tableIndex").getroot().find("d:tables", NS)
    by_name = {t.findtext("d:name", namespaces=NS): t for t in tables}
    assert list(by_name) == [
        "Sag", "Part", "SagPart", "Aktivitet", "Dokument", "DokumentSag", "Journalnotat",
        "Placering",
    ]  # fmt: skip
    document = by_name["Dokument"]
    functions = {
        c.findtext("d:name", namespaces=NS): c.findtext("d:functionalDescription", namespaces=NS)
        for c in document.iterfind("d:columns/d:column", NS)
    }
    assert functions["dokumentidentifikation"] == "Dokumentidentifikation"
    assert document.findtext("d:rows", namespaces=NS) == "9"
    links = by_name["DokumentSag"]
    referenced = {
        k.findtext("d:referencedTable", namespaces=NS)
        for k in links.iterfind("d:foreignKeys/d:foreignKey", NS)
    }
    assert referenced == {"Dokument", "Sag", "Aktivitet"}
    titles = [
        c.findtext("d:type", namespaces=NS)
        for c in by_name["Sag"].iterfind("d:columns/d:column", NS)
    ]
    assert titles[2] == f"NATIONAL CHARACTER VARYING({len('Sag om barn 1')})"


def test_the_municipalitys_own_context_documents_are_added(standards_dir, tmp_path):
    manual = tmp_path / "Vejledning til sagsbehandlere.pdf"
    manual.write_bytes(pdf_bytes(2, "Vejledning"))
    blobs = Blobs()
    cases = [snapshot(1, [document(blobs, "Brev", ("b.pdf", "application/pdf", pdf_bytes(1)))])]
    result = make_extract(
        standards_dir, tmp_path / "out", ArchiveProfile.BEK128, blobs, cases,
        context_documents=[manual],
    )  # fmt: skip
    index = _index(result.path, "contextDocumentationIndex")
    titles = index.getroot().xpath("d:document/d:documentTitle/text()", namespaces=NS)
    assert titles == ["Systembeskrivelse for sagshub", "Vejledning til sagsbehandlere"]
    with Image.open(result.path / "ContextDocumentation" / "docCollection1" / "2" / "1.tif") as t:
        assert t.n_frames == 2
    assert validate(result.path, standards_dir) == []


def test_references_to_what_is_not_in_the_extract_are_noted_not_dangling(standards_dir, tmp_path):
    blobs = Blobs()
    letter = document(blobs, "Brev", ("b.pdf", "application/pdf", pdf_bytes(1)))
    case = snapshot(1, [letter])
    elsewhere = document(blobs, "Andet", ("c.pdf", "application/pdf", pdf_bytes(1, "C")))
    stray_note = case.journal_notes[0].model_copy(update={"id": uuid4(), "activity_id": uuid4()})
    stray_placement = case.placements[0].model_copy(
        update={"id": uuid4(), "document_id": elsewhere.id}
    )
    case = case.model_copy(
        update={
            "journal_notes": [*case.journal_notes, stray_note],
            "placements": [*case.placements, stray_placement],
        }
    )
    result = make_extract(standards_dir, tmp_path, ArchiveProfile.BEK128, blobs, [case])
    assert len(result.problems) == 2
    assert any(f"placement {stray_placement.id}" in p for p in result.problems)
    assert any(f"journal note {stray_note.id} refers to activity" in p for p in result.problems)
    notes = _rows(result.path, 7)
    assert [n["c3"] for n in notes if n["c1"] == str(stray_note.id)] == [None]
    assert len(_rows(result.path, 8)) == 1
    assert validate(result.path, standards_dir) == []
