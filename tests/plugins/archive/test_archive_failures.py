"""What stops an extract: documents that cannot be converted, and untrustworthy schemas."""

from __future__ import annotations

import shutil
import sys

import pytest

from core.errors import InvalidValue
from plugins.archive.errors import ArchiveExists, StandardsMismatch, UnconvertibleDocuments
from plugins.archive.validation.run import validate
from ports.integrations import ArchiveProfile

from .builders import Blobs, document, pdf_bytes, snapshot
from .conftest import make_extract

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def no_libreoffice(monkeypatch, tmp_path):
    """A PATH on which no soffice or libreoffice can be found."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_unconvertible_documents_stop_the_extract_and_are_listed_exactly(
    standards_dir, tmp_path, no_libreoffice
):
    blobs = Blobs()
    fine = document(blobs, "Brev", ("brev.pdf", "application/pdf", pdf_bytes(1)))
    word = document(blobs, "Indstilling", ("indstilling.docx", DOCX_MIME, b"PK\x03\x04docx"))
    broken = document(
        blobs, "Underretning om 010190-1234", ("u.pdf", "application/pdf", b"%PDF-1.4 torn")
    )
    strange = document(blobs, "Tegning", ("t.dwg", "application/acad", b"AC1027"))
    gone = document(blobs, "Væk", ("vaek.pdf", "application/pdf", pdf_bytes(1, "Væk")))
    del blobs.data[gone.variants[0].parts[0].sha256]
    cases = [snapshot(1, [fine, word]), snapshot(2, [broken, strange, gone])]

    with pytest.raises(UnconvertibleDocuments) as caught:
        make_extract(standards_dir, tmp_path, ArchiveProfile.BEK128, blobs, cases)

    items = caught.value.items
    assert len(items) == 4
    by_document = {
        doc.id: next(i for i in items if str(doc.id) in i) for doc in (word, broken, strange, gone)
    }
    assert "indstilling.docx" in by_document[word.id]
    assert "LibreOffice is not installed" in by_document[word.id]
    assert "u.pdf" in by_document[broken.id]
    assert "application/acad is not a format" in by_document[strange.id]
    assert "missing from the blob store" in by_document[gone.id]
    assert not any(str(fine.id) in item for item in items)
    message = str(caught.value)
    assert "0101901234" not in message and "010190-1234" not in message
    assert "010190-XXXX" in message
    assert not (tmp_path / "AVID.SA.7.1").exists()
    partial = tmp_path / "AVID.SA.7.1.partial"
    assert not (partial / "Indices" / "fileIndex.xml").exists()
    assert (partial / "Documents" / "docCollection1" / "1" / "1.tif").is_file()


def test_office_documents_go_through_libreoffice_when_it_is_there(standards_dir, tmp_path):
    """A stand-in soffice (a script that answers like LibreOffice) proves the wiring:
    the arguments, the output folder and the PDF that comes back."""
    rendered = tmp_path / "rendered.pdf"
    rendered.write_bytes(pdf_bytes(3, "Word"))
    soffice = tmp_path / "soffice"
    soffice.write_text(
        f"#!{sys.executable}\n"
        "import shutil, sys\n"
        "args = sys.argv[1:]\n"
        "assert '--headless' in args and args[args.index('--convert-to') + 1] == 'pdf'\n"
        "outdir, source = args[args.index('--outdir') + 1], args[-1]\n"
        "stem = source.rsplit('/', 1)[-1].rsplit('.', 1)[0]\n"
        f"shutil.copy({str(rendered)!r}, f'{{outdir}}/{{stem}}.pdf')\n"
    )
    soffice.chmod(0o755)
    blobs = Blobs()
    word = document(blobs, "Indstilling", ("indstilling.docx", DOCX_MIME, b"PK\x03\x04docx"))
    result = make_extract(
        standards_dir,
        tmp_path / "out",
        ArchiveProfile.BEK128,
        blobs,
        [snapshot(1, [word])],
        libreoffice=soffice,
    )
    assert result.documents == 1 and result.pages == 3
    assert validate(result.path, standards_dir) == []


def test_changed_official_schemas_are_refused(standards_dir, tmp_path, bek128_extract):
    copy = tmp_path / "standards"
    for folder in ("archive-bek128", "archive-bek1007"):
        shutil.copytree(standards_dir / folder, copy / folder)
    schema = copy / "archive-bek128" / "tableIndex.xsd"
    content = bytearray(schema.read_bytes())
    content[-3] ^= 0x01
    schema.write_bytes(bytes(content))

    blobs = Blobs()
    cases = [snapshot(1, [document(blobs, "Brev", ("b.pdf", "application/pdf", pdf_bytes(1)))])]
    with pytest.raises(StandardsMismatch, match=r"tableIndex\.xsd has MD5"):
        make_extract(copy, tmp_path / "out", ArchiveProfile.BEK128, blobs, cases)
    assert not (tmp_path / "out").exists()

    findings = validate(bek128_extract, copy)
    assert [f.check for f in findings] == ["standards.md5"]
    assert "tableIndex.xsd" in findings[0].message
    # the other edition is untouched and still usable
    make_extract(copy, tmp_path / "old", ArchiveProfile.BEK1007, blobs, cases)


def test_an_existing_extract_is_never_overwritten(standards_dir, bek128_extract):
    blobs = Blobs()
    cases = [snapshot(1, [document(blobs, "Brev", ("b.pdf", "application/pdf", pdf_bytes(1)))])]
    before = sorted(p.name for p in bek128_extract.iterdir())
    with pytest.raises(ArchiveExists):
        make_extract(standards_dir, bek128_extract.parent, ArchiveProfile.BEK128, blobs, cases)
    assert sorted(p.name for p in bek128_extract.iterdir()) == before


def test_an_archive_code_the_schema_refuses_is_bad_input(standards_dir, tmp_path):
    from plugins.archive.settings import ArchiveSettings
    from plugins.archive.writer import ArchiveWriter
    from ports.integrations import ArchiveRequest

    request = ArchiveRequest(
        profile=ArchiveProfile.BEK128, archive_code="A1", number=1, case_ids=[], out_dir=tmp_path
    )
    with pytest.raises(InvalidValue) as caught:
        ArchiveWriter(ArchiveSettings(), standards_dir).create(request, iter(()), Blobs().open)
    assert caught.value.field == "archive_code"
