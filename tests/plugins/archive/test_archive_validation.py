"""One defect at a time: each mutated extract is caught by exactly the right check.

Most mutations are "resealed" afterwards (fileIndex rewritten for the files as they
now are), the way a careless tool would, so that only the check aimed at the defect
can notice it. The fileIndex checks themselves are tested without resealing.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from plugins.archive.hashing import md5_file
from plugins.archive.indices import write_file_index
from plugins.archive.layout import Layout, Limits
from plugins.archive.validation.findings import CHECKS
from plugins.archive.validation.run import validate
from plugins.archive.xmlsafe import DIARK

from .builders import tiff_bytes

NS = {"d": DIARK}


def reseal(extract: Path) -> None:
    write_file_index(Layout(extract, extract.name), md5_file)


def edit_xml(path: Path, change: Callable[[etree._Element], None]) -> None:
    tree = etree.parse(str(path))
    change(tree.getroot())
    tree.write(str(path), xml_declaration=True, encoding="utf-8")


def table(extract: Path, number: int) -> Path:
    return extract / "Tables" / f"table{number}" / f"table{number}.xml"


def first_row_cell(root: etree._Element, column: str) -> etree._Element:
    return root[0].find(f"{{{etree.QName(root).namespace}}}{column}")


def set_text(xpath: str, value: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        root.xpath(xpath, namespaces=NS)[0].text = value

    return change


def table_index_entry(name: str) -> str:
    return f"d:tables/d:table[d:name='{name}']"


def drop_column(root: etree._Element) -> None:
    column = root.xpath(
        f"{table_index_entry('Dokument')}/d:columns/d:column[d:name='sider']", namespaces=NS
    )[0]
    column.getparent().remove(column)


def duplicate_first_case(extract: Path) -> None:
    def change(root: etree._Element) -> None:
        root.insert(0, etree.fromstring(etree.tostring(root[0])))

    edit_xml(table(extract, 1), change)
    edit_xml(
        extract / "Indices" / "tableIndex.xml", set_text(f"{table_index_entry('Sag')}/d:rows", "3")
    )


def unlisted_file(extract: Path) -> None:
    def change(root: etree._Element) -> None:
        entry = root.xpath("d:f[d:foN='AVID.SA.7.1\\Documents\\docCollection1\\1']", namespaces=NS)
        root.remove(entry[0])

    edit_xml(extract / "Indices" / "fileIndex.xml", change)


def renumber_collection(extract: Path) -> None:
    documents = extract / "Documents"
    (documents / "docCollection2").rename(documents / "docCollection3")

    def change(root: etree._Element) -> None:
        for collection in root.iterfind("d:doc/d:dCf", NS):
            if collection.text == "docCollection2":
                collection.text = "docCollection3"

    edit_xml(extract / "Indices" / "docIndex.xml", change)


def replace_tiff(content: bytes) -> Callable[[Path], None]:
    def change(extract: Path) -> None:
        (extract / "Documents" / "docCollection1" / "2" / "1.tif").write_bytes(content)

    return change


def extra_context_document(extract: Path) -> None:
    context = extract / "ContextDocumentation" / "docCollection1"
    shutil.copytree(context / "1", context / "2")


def doctype_in_context_index(extract: Path) -> None:
    path = extract / "Indices" / "contextDocumentationIndex.xml"
    text = path.read_text(encoding="utf-8")
    head, _, body = text.partition("?>")
    path.write_text(f'{head}?>\n<!DOCTYPE x [<!ENTITY e "e">]>{body}', encoding="utf-8")


MUTATIONS: dict[str, tuple[str, Callable[[Path], None], bool]] = {
    # name: (the check that must catch it, the mutation, reseal afterwards)
    "archiveIndex edited after indexing": (
        "fileindex.md5",
        lambda e: (e / "Indices" / "archiveIndex.xml").open("a").write("\n"),
        False,
    ),
    "a document missing from fileIndex": ("fileindex.files", unlisted_file, False),
    "archiveApproval not an archive code": (
        "index.schema",
        lambda e: edit_xml(e / "Indices" / "archiveIndex.xml", set_text("d:archiveApproval", "S1")),
        True,
    ),
    "an index with a DOCTYPE": ("index.schema", doctype_in_context_index, True),
    "tableIndex lacks a column the table has": (
        "table.structure",
        lambda e: edit_xml(e / "Indices" / "tableIndex.xml", drop_column),
        True,
    ),
    "a boolean that is not one": (
        "table.schema",
        lambda e: edit_xml(
            table(e, 5), lambda root: setattr(first_row_cell(root, "c15"), "text", "ja")
        ),
        True,
    ),
    "row count in tableIndex wrong": (
        "table.rows",
        lambda e: edit_xml(
            e / "Indices" / "tableIndex.xml",
            set_text(f"{table_index_entry('Sag')}/d:rows", "5"),
        ),
        True,
    ),
    "a case row twice": ("table.primary_key", duplicate_first_case, True),
    "a link to a case that is not there": (
        "table.foreign_key",
        lambda e: edit_xml(
            table(e, 6), lambda root: setattr(first_row_cell(root, "c3"), "text", str(uuid.uuid4()))
        ),
        True,
    ),
    "document number in the table not in docIndex": (
        "docindex.table",
        lambda e: edit_xml(
            table(e, 5), lambda root: setattr(first_row_cell(root, "c2"), "text", "999")
        ),
        True,
    ),
    "a document folder deleted": (
        "docindex.files",
        lambda e: shutil.rmtree(e / "Documents" / "docCollection1" / "2"),
        True,
    ),
    "an unlisted context document": ("context.files", extra_context_document, True),
    "Schemas/standard edited": (
        "schemas.standard",
        lambda e: (e / "Schemas" / "standard" / "docIndex.xsd").open("ab").write(b" "),
        True,
    ),
    "a PNG named 1.tif": ("format.allowed", replace_tiff(b"\x89PNG\r\n\x1a\n" + b"0" * 64), True),
    "a JPEG-compressed TIFF": ("format.tiff", replace_tiff(tiff_bytes("jpeg")), True),
    "a gap in the docCollection numbers": ("limits.numbering", renumber_collection, True),
}


@pytest.fixture
def mutable_extract(bek128_extract: Path, tmp_path: Path) -> Path:
    copy = tmp_path / bek128_extract.name
    shutil.copytree(bek128_extract, copy)
    return copy


@pytest.mark.parametrize("defect", list(MUTATIONS))
def test_each_defect_is_caught_by_exactly_its_check(defect, mutable_extract, standards_dir):
    check, mutate, then_reseal = MUTATIONS[defect]
    mutate(mutable_extract)
    if then_reseal:
        reseal(mutable_extract)
    findings = validate(mutable_extract, standards_dir)
    assert findings, f"{defect}: nothing found"
    assert {f.check for f in findings} == {check}, [str(f) for f in findings]
    assert all(f.message for f in findings)


@pytest.mark.parametrize(
    ("limits", "check"),
    [
        (Limits(docs_per_collection=4), "limits.collection_size"),
        (Limits(collections=1), "limits.collection_count"),
    ],
)
def test_folder_limits_are_enforced(bek128_extract, standards_dir, limits, check):
    findings = validate(bek128_extract, standards_dir, limits=limits)
    assert {f.check for f in findings} == {check}
    assert "docCollection" in findings[0].message or "Documents" in findings[0].message


def test_every_check_id_is_exercised_by_a_test():
    covered = {check for check, _, _ in MUTATIONS.values()}
    covered |= {"limits.collection_size", "limits.collection_count", "standards.md5"}
    assert covered == set(CHECKS)
