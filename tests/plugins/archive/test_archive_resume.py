"""An interrupted extract resumes without converting finished documents again."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.archive.convert.converter import DocumentConverter
from plugins.archive.layout import Limits
from plugins.archive.settings import ArchiveSettings
from plugins.archive.validation.run import validate
from plugins.archive.writer import ArchiveWriter
from ports.integrations import ArchiveProfile, ArchiveRequest

from .builders import Blobs, two_cases
from .conftest import fast_settings


class PowerCut(Exception):
    pass


class Counting:
    """Makes converters that count conversions and can fail after a number of them."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.conversions = 0
        self.fail_after = fail_after

    def __call__(self, settings: ArchiveSettings, scratch: Path) -> DocumentConverter:
        counter = self

        class CountingConverter(DocumentConverter):
            def convert(self, files, sink) -> None:
                if counter.fail_after is not None and counter.conversions >= counter.fail_after:
                    raise PowerCut("the machine went down")
                counter.conversions += 1
                super().convert(files, sink)

        return CountingConverter(settings, scratch)


def run(standards_dir: Path, out: Path, blobs: Blobs, cases, converter: Counting):
    writer = ArchiveWriter(
        fast_settings(), standards_dir, converter=converter, limits=Limits(docs_per_collection=5)
    )
    request = ArchiveRequest(
        profile=ArchiveProfile.BEK128,
        archive_code="SA",
        number=3,
        case_ids=[c.case.id for c in cases],
        out_dir=out,
    )
    return writer.create(request, iter(cases), blobs.open)


def tiffs(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in (folder / "Documents").rglob("1.tif")
    }


def test_a_rerun_converts_only_what_was_not_finished(standards_dir, tmp_path):
    blobs = Blobs()
    cases = two_cases(blobs)
    first = Counting(fail_after=4)
    with pytest.raises(PowerCut):
        run(standards_dir, tmp_path, blobs, cases, first)
    partial = tmp_path / "AVID.SA.3.1.partial"
    finished = tiffs(partial)
    assert first.conversions == 4 and len(finished) == 4
    assert not (tmp_path / "AVID.SA.3.1").exists()

    second = Counting()
    result = run(standards_dir, tmp_path, blobs, cases, second)

    assert second.conversions == 9 - 4
    after = tiffs(result.path)
    assert len(after) == 9
    assert {name: after[name] for name in finished} == finished  # untouched files
    assert validate(result.path, standards_dir) == []
    assert not partial.exists()
    assert not (tmp_path / "AVID.SA.3.1.state.sqlite").exists()


def test_a_damaged_tiff_from_the_first_run_is_converted_again(standards_dir, tmp_path):
    blobs = Blobs()
    cases = two_cases(blobs)
    with pytest.raises(PowerCut):
        run(standards_dir, tmp_path, blobs, cases, Counting(fail_after=3))
    damaged = tmp_path / "AVID.SA.3.1.partial" / "Documents" / "docCollection1" / "2" / "1.tif"
    content = bytearray(damaged.read_bytes())
    content[-1] ^= 0xFF
    damaged.write_bytes(bytes(content))

    second = Counting()
    result = run(standards_dir, tmp_path, blobs, cases, second)

    assert second.conversions == 9 - 3 + 1
    assert validate(result.path, standards_dir) == []
