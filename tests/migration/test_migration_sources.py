"""The migration sources read what docs/migration.md promises, lazily and in order."""

from __future__ import annotations

import json
from datetime import date

import pytest

from adapters.migration.metadata import InvalidMetadata, parse_metadata
from adapters.migration.sources.folder import FolderExport
from adapters.migration.sources.manifest import CsvManifest, JsonLinesManifest, ManifestError
from tests.migration.helpers import write


def test_csv_manifest_rows_become_items_with_paths_relative_to_the_manifest(tmp_path):
    write(tmp_path / "files" / "a.pdf", b"%PDF-1.4 a")
    manifest = write(
        tmp_path / "manifest.csv",
        "path;cpr;case_number;title;letter_date;caseworker;document_type\n"
        "files/a.pdf;010190-1234;27.24.00-G01-5-19;Afgørelse;31-12-2019;hanne;Notat\n"
        "files/b.pdf;;;;;;\n",
    )
    source = CsvManifest(manifest)
    items = list(source.items())

    assert source.name == "manifest"
    assert source.count() == 2
    assert [i.key for i in items] == ["files/a.pdf", "files/b.pdf"]
    first = items[0]
    assert first.files[0].name == "a.pdf"
    assert first.files[0].open().read() == b"%PDF-1.4 a"
    meta = parse_metadata(first.raw)
    assert meta.cpr == ["0101901234"]
    assert meta.case_number == "27.24.00-G01-5-19"
    assert meta.letter_date == date(2019, 12, 31)
    assert meta.caseworker == "hanne"
    assert parse_metadata(items[1].raw).cpr == []


def test_csv_manifest_source_id_is_the_key_when_given(tmp_path):
    manifest = write(tmp_path / "m.csv", "path,source_id\nx.pdf,OLD-17\n")
    assert [i.key for i in CsvManifest(manifest).items()] == ["OLD-17"]


@pytest.mark.parametrize(
    ("header", "message"),
    [("cpr,title\n", "no 'path' column"), ("path,cprr\n", "unknown column(s) cprr")],
)
def test_csv_manifest_with_a_bad_header_is_refused_before_anything_runs(tmp_path, header, message):
    manifest = write(tmp_path / "m.csv", header)
    with pytest.raises(ManifestError, match=message.replace("(", r"\(").replace(")", r"\)")):
        CsvManifest(manifest)


def test_csv_row_with_too_many_cells_is_a_problem_item(tmp_path):
    manifest = write(tmp_path / "m.csv", "path,title\na.pdf,A,extra\nb.pdf,B\n")
    items = list(CsvManifest(manifest).items())
    assert items[0].problem == "row: more cells than columns"
    assert items[1].problem is None


def test_json_lines_manifest_with_several_files_and_broken_lines(tmp_path):
    lines = [
        json.dumps({"path": "a.pdf", "cpr": ["0101901234"], "title": "A"}),
        "",
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"path": "c.pdf", "cprx": "1"}),
        json.dumps(
            {
                "source_id": "ACADRE-9",
                "files": [
                    {"path": "d.docx", "variant": "produktion"},
                    {"path": "d.pdf", "variant": "arkiv", "mime_type": "application/pdf"},
                ],
            }
        ),
    ]
    manifest = write(tmp_path / "m.jsonl", "\n".join(lines) + "\n")
    source = JsonLinesManifest(manifest)
    items = list(source.items())

    assert source.count() == 5
    assert items[0].key == "a.pdf"
    assert parse_metadata(items[0].raw).cpr == ["0101901234"]
    assert items[1].problem.startswith("line 3: not JSON")
    assert items[2].problem == "line 4: not a JSON object"
    assert items[3].problem == "cprx: unknown key"
    last = items[4]
    assert last.key == "ACADRE-9"
    assert [(f.name, f.variant, f.mime_type) for f in last.files] == [
        ("d.docx", "produktion", None),
        ("d.pdf", "arkiv", "application/pdf"),
    ]


def test_folder_export_reads_folder_names_metadata_json_and_meta_csv(tmp_path):
    root = tmp_path / "export"
    write(root / "27.24.00-G01-5-19" / "afgoerelse.pdf", b"%PDF-1.4")
    write(root / "27.24.00-G01-5-19" / "notater" / "samtale.txt", b"hej")
    write(
        root / "27.24.00-G01-5-19" / "metadata.json",
        json.dumps(
            {
                "caseworker": "hanne",
                "documents": {
                    "afgoerelse.pdf": {"title": "Afgørelse", "letter_date": "2019-05-01"}
                },
            }
        ),
    )
    write(root / "0101901234" / "brev.pdf", b"%PDF-1.4")
    write(
        root / "0101901234" / "_meta.csv",
        "path;title;document_type\nbrev.pdf;Brev;Brev, udgaaende\n",
    )
    write(root / "0101901234" / ".DS_Store", b"junk")
    write(root / "loose.txt", b"x")
    source = FolderExport(root)
    items = list(source.items())

    assert source.count() == 4
    assert [i.key for i in items] == [
        "0101901234/brev.pdf",
        "27.24.00-G01-5-19/afgoerelse.pdf",
        "27.24.00-G01-5-19/notater/samtale.txt",
        "loose.txt",
    ]
    brev, afgoerelse, samtale, loose = (parse_metadata(i.raw) for i in items)
    assert (brev.cpr, brev.title, brev.document_type) == (["0101901234"], "Brev", "Brev, udgaaende")
    assert afgoerelse.case_number == "27.24.00-G01-5-19"
    assert (afgoerelse.title, afgoerelse.caseworker) == ("Afgørelse", "hanne")
    assert afgoerelse.letter_date == date(2019, 5, 1)
    assert (samtale.case_number, samtale.caseworker, samtale.title) == (
        "27.24.00-G01-5-19",
        "hanne",
        None,
    )
    assert loose.case_number is None
    assert items[2].files[0].open().read() == b"hej"


def test_folder_with_broken_metadata_skips_its_files_with_the_reason(tmp_path):
    root = tmp_path / "export"
    write(root / "sag1" / "a.pdf", b"%PDF")
    write(root / "sag1" / "metadata.json", "{broken")
    write(root / "sag2" / "b.pdf", b"%PDF")
    write(root / "sag2" / "metadata.json", json.dumps({"documents": {"b.pdf": {"cprr": "1"}}}))
    write(root / "sag3" / "c.pdf", b"%PDF")
    items = list(FolderExport(root).items())

    assert items[0].problem.startswith("metadata.json: not JSON")
    assert items[1].problem == "metadata.json: documents.b.pdf.cprr: unknown key"
    assert items[2].problem is None


def test_folder_export_is_lazy(tmp_path):
    root = tmp_path / "export"
    for n in range(3):
        write(root / f"sag{n}" / "a.txt", b"x")
    items = FolderExport(root).items()
    first = next(items)
    (root / "sag2" / "a.txt").unlink()  # not yet listed: the walk is per folder
    (root / "sag2" / "b.txt").write_bytes(b"y")
    assert first.key == "sag0/a.txt"
    assert [i.key for i in items] == ["sag1/a.txt", "sag2/b.txt"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"cpr": "123"}, "cpr: a CPR number is 10 digits, DDMMYYSSSS"),
        ({"letter_date": "31-02-2001"}, "letter_date: "),
        ({"case_number": "x"}, "case_number: a case number looks like 27.24.00-G01-5-24"),
        ({"title": "x" * 501}, "title: "),
    ],
)
def test_invalid_metadata_names_the_field(raw, message):
    with pytest.raises(InvalidMetadata) as info:
        parse_metadata(raw)
    assert str(info.value).startswith(message)
