"""The examples in docs/migration.md are what the sources really read."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.migration.metadata import parse_metadata
from adapters.migration.sources.folder import FolderExport
from adapters.migration.sources.manifest import CsvManifest, JsonLinesManifest
from tests.migration.helpers import write

DOC = Path(__file__).resolve().parents[2] / "docs" / "migration.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_csv_example_is_a_valid_manifest(tmp_path):
    (example,) = blocks("csv")
    items = list(CsvManifest(write(tmp_path / "manifest.csv", example)).items())
    assert [i.key for i in items] == ["SBSYS-17-1", "SBSYS-17-2", "scanning/ukendt-0042.pdf"]
    first = parse_metadata(items[0].raw)
    assert (first.case_number, first.cpr, first.caseworker) == (
        "27.24.00-G01-5-19",
        ["0101150123"],
        "hanne",
    )
    assert [parse_metadata(i.raw).letter_date.isoformat() for i in items[:2]] == [
        "2019-03-12",
        "2019-02-20",
    ]


def test_the_json_lines_example_is_a_valid_manifest(tmp_path):
    lines, metadata_json = blocks("json")
    items = list(JsonLinesManifest(write(tmp_path / "m.jsonl", lines)).items())
    assert [i.problem for i in items] == [None, None]
    assert [f.variant for f in items[1].files] == ["arkiv", "produktion"]
    assert all(parse_metadata(i.raw) for i in items)
    folder = tmp_path / "export" / "27.24.00-G01-5-19"
    write(folder / "metadata.json", metadata_json)
    write(folder / "afgoerelse.pdf", b"%PDF")
    write(folder / "notater" / "samtale.docx", b"PK")
    found = {i.key: parse_metadata(i.raw) for i in FolderExport(tmp_path / "export").items()}
    assert found["27.24.00-G01-5-19/notater/samtale.docx"].document_type == "Notat"
    assert found["27.24.00-G01-5-19/afgoerelse.pdf"].title == "Afgørelse om foranstaltning"
