"""Benchmark of the archive plugin (issue 7).

Measures, in one run on this machine:

1. PDF → TIFF: documents/s and pages/s through the production converter
   (pypdfium2 rendering, multi-page TIFF, LZW) at the production resolution.
2. MD5: the plugin's streamed file hashing (``plugins.archive.hashing.md5_file``)
   against ``hashlib.md5`` over the same bytes already in memory; the ratio is the
   plugin's throughput as a fraction of hashlib's own (target ≥ 0.8).
3. Memory: the peak resident size of whole extracts of two sizes, each in a fresh
   process; flat means the larger one needs about what the smaller one does.

Run: ``.venv/bin/python bench/archive/bench_archive.py`` (``--help`` for sizes).
Needs the official schemas (``SAGSHUB_STANDARDS_DIR``, default ``../shared/standards``).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from PIL import Image, ImageDraw  # noqa: E402

from core.models import (  # noqa: E402
    Case,
    CaseStatus,
    Document,
    DocumentLink,
    Municipality,
    Part,
    Variant,
)
from plugins.archive.convert.converter import DocumentConverter  # noqa: E402
from plugins.archive.convert.pages import TiffBuilder  # noqa: E402
from plugins.archive.convert.source import SourceFile  # noqa: E402
from plugins.archive.hashing import md5_file  # noqa: E402
from plugins.archive.settings import ArchiveSettings  # noqa: E402
from plugins.archive.writer import ArchiveWriter  # noqa: E402
from ports.integrations import ArchiveProfile, ArchiveRequest  # noqa: E402
from ports.snapshots import CaseSnapshot  # noqa: E402

LOREM = (
    "Kommunen har modtaget en underretning om barnet og har vurderet, at der skal "
    "iværksættes en børnefaglig undersøgelse efter servicelovens § 50. "
)


def letter_pdf(pages: int, seed: int) -> bytes:
    """A PDF of A4 pages with lines of text, like a scanned-then-OCR'd letter."""
    images = []
    for page in range(pages):
        image = Image.new("RGB", (595, 842), "white")
        draw = ImageDraw.Draw(image)
        for line in range(40):
            draw.text((50, 50 + line * 18), f"{seed}.{page}.{line} {LOREM[: 60 + line]}", fill=0)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return buffer.getvalue()


def bench_conversion(documents: int, pages: int, dpi: int) -> dict:
    pdfs = [letter_pdf(pages, n) for n in range(documents)]
    with tempfile.TemporaryDirectory() as scratch:
        converter = DocumentConverter(ArchiveSettings(dpi=dpi), Path(scratch))
        started = time.perf_counter()
        total_pages = 0
        for number, pdf in enumerate(pdfs):
            source = SourceFile("brev.pdf", "application/pdf", lambda pdf=pdf: io.BytesIO(pdf))
            target = Path(scratch) / f"{number}.tif"
            with TiffBuilder(target, compression="lossless", dpi=dpi) as tiff:
                converter.convert([source], tiff)
            total_pages += tiff.pages
        elapsed = time.perf_counter() - started
    return {
        "documents": documents,
        "pages": total_pages,
        "dpi": dpi,
        "seconds": round(elapsed, 2),
        "documents_per_second": round(documents / elapsed, 2),
        "pages_per_second": round(total_pages / elapsed, 2),
    }


def bench_md5(megabytes: int, rounds: int) -> dict:
    data = os.urandom(megabytes << 20)
    with tempfile.NamedTemporaryFile(delete=False) as handle:
        handle.write(data)
        path = Path(handle.name)
    try:
        md5_file(path)  # warm the page cache: both sides then read from memory
        ours, theirs = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            streamed = md5_file(path)
            ours.append(time.perf_counter() - started)
            started = time.perf_counter()
            direct = hashlib.md5(data, usedforsecurity=False).hexdigest().upper()
            theirs.append(time.perf_counter() - started)
            assert streamed == direct
    finally:
        path.unlink()
    best_ours, best_theirs = min(ours), min(theirs)
    return {
        "megabytes": megabytes,
        "plugin_mb_per_second": round(megabytes / best_ours),
        "hashlib_mb_per_second": round(megabytes / best_theirs),
        "fraction_of_hashlib": round(best_theirs / best_ours, 3),
    }


def peak_rss_mb() -> int:
    """This process's peak resident size. Linux's VmHWM starts afresh at exec, unlike
    ``ru_maxrss``, which a child started by a large parent inherits."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def extract_once(documents: int, standards: Path, dpi: int) -> dict:
    """One whole extract of ``documents`` one-page PDFs on 10-document cases (child process)."""
    municipality = Municipality(name="Bench Kommune", cvr="29188386")
    pdf = letter_pdf(1, 0)
    blobs: dict[str, tuple[int, int]] = {}
    """sha256 → which document: the bytes are made again when opened, as a blob store
    on disk would read them, so the bench's own memory does not grow with the extract."""

    def content(case_number: int, n: int) -> bytes:
        return pdf + f"% {case_number}.{n}\n".encode()  # distinct bytes, same page

    def snapshots():
        for case_number in range(documents // 10):
            case = Case(
                municipality_id=municipality.id,
                number=f"27.24.00-G01-{case_number + 1}-23",
                title=f"Sag {case_number}",
                kle_subject="27.24.00",
                handlingsfacet="G01",
                status=CaseStatus.CLOSED,
                closed_at=datetime(2023, 12, 1, tzinfo=UTC),
            )
            docs = []
            for n in range(10):
                data = content(case_number, n)
                sha = hashlib.sha256(data).hexdigest()
                blobs[sha] = (case_number, n)
                part = Part(
                    name="brev.pdf", mime_type="application/pdf", size=len(data), sha256=sha
                )
                docs.append(
                    Document(
                        municipality_id=municipality.id,
                        title=f"Brev {n}",
                        sender_system="bench",
                        message_id=str(uuid4()),
                        variants=[Variant(name="arkiv", parts=[part])],
                    )
                )
            yield CaseSnapshot(
                municipality=municipality,
                case=case,
                caseworker=None,
                parties=[],
                activities=[],
                documents=docs,
                links=[DocumentLink(document_id=d.id, case_id=case.id) for d in docs],
                journal_notes=[],
                placements=[],
                taken_at=datetime.now(UTC),
            )

    with tempfile.TemporaryDirectory() as out:
        request = ArchiveRequest(
            profile=ArchiveProfile.BEK128,
            archive_code="SA",
            number=1,
            case_ids=[uuid4() for _ in range(documents // 10)],
            out_dir=Path(out),
        )
        started = time.perf_counter()
        result = ArchiveWriter(ArchiveSettings(dpi=dpi), standards).create(
            request, snapshots(), lambda sha: io.BytesIO(content(*blobs[sha]))
        )
        elapsed = time.perf_counter() - started
    return {
        "documents": result.documents,
        "seconds": round(elapsed, 2),
        "documents_per_second": round(result.documents / elapsed, 2),
        "pages": result.pages,
        "peak_rss_mb": peak_rss_mb(),
    }


def bench_memory(sizes: list[int], standards: Path, dpi: int) -> list[dict]:
    runs = []
    for size in sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--extract-child", str(size), "--dpi", str(dpi)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "SAGSHUB_STANDARDS_DIR": str(standards)},
        )
        runs.append(json.loads(output.stdout))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=30)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--dpi", type=int, default=ArchiveSettings().dpi)
    parser.add_argument("--md5-mb", type=int, default=256)
    parser.add_argument("--md5-rounds", type=int, default=5)
    parser.add_argument("--extract-sizes", default="100,400")
    parser.add_argument("--extract-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    standards = Path(os.environ.get("SAGSHUB_STANDARDS_DIR", REPO.parent / "shared" / "standards"))
    if args.extract_child:
        print(json.dumps(extract_once(args.extract_child, standards, args.dpi)))
        return
    report = {
        "pdf_to_tiff": bench_conversion(args.documents, args.pages, args.dpi),
        "md5": bench_md5(args.md5_mb, args.md5_rounds),
        "whole_extract": bench_memory(
            [int(s) for s in args.extract_sizes.split(",")], standards, args.dpi
        ),
    }
    print(json.dumps(report, indent=2))
    fraction = report["md5"]["fraction_of_hashlib"]
    print(f"MD5 at {fraction:.0%} of hashlib's speed (target ≥ 80%)", file=sys.stderr)


if __name__ == "__main__":
    main()
