"""The intake service alone: deliveries received one by one, in process, on SQLite.

What ``bench/intake/run.py`` measures over HTTP, without HTTP: the same municipality
(a child on one open case), the same 100 KB PDF placed on the case by CPR, each
document in its own transaction as ``POST /oio/dokument`` does. Prints the CPU time per
document, which splits a server's cost between the web side and the core and
database side (see bench/README.md).

    .venv/bin/python -m bench.intake.service [--documents 300] [--together 1]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from adapters.settings import load_settings
from bench.intake.run import CPR, DOCUMENT_BYTES, SENDER, prepare
from core.intake import IncomingDocument, IncomingVariant
from hub import build_hub


def delivery(blobs, number: int) -> IncomingDocument:
    writer = blobs.writer()
    writer.write(b"%PDF-1.7\n" + os.urandom(DOCUMENT_BYTES - 9))
    part = writer.finish().as_part("underretning.pdf", "application/pdf")
    return IncomingDocument(
        sender_system=SENDER,
        message_id=f"service-{number}",
        title="Underretning",
        cprs=[CPR],
        variants=[IncomingVariant(name="arkiv", parts=[part])],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument(
        "--together",
        type=int,
        default=1,
        help="deliveries per transaction, as concurrent callers share one (group commit)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sagshub-bench-service-") as folder:
        config, _ = prepare(Path(folder))
        hub = build_hub(load_settings(config))
        try:
            services = hub.services
            deliveries = [delivery(services.blobs, n) for n in range(args.documents)]
            started, cpu = time.perf_counter(), time.process_time()
            for start in range(0, len(deliveries), args.together):
                chunk = deliveries[start : start + args.together]
                if args.together == 1:
                    services.intake.receive(chunk[0])
                else:
                    services.intake.receive_batch(chunk)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - started
        finally:
            hub.close()
    count = args.documents
    print(
        f"{count} deliveries, {args.together} to a transaction: {count / wall:.0f} docs/s wall, "
        f"{1000 * cpu / count:.2f} ms CPU per document"
    )


if __name__ == "__main__":
    main()
