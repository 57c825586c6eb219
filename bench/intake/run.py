"""Intake over HTTP: documents per second against a floor, and memory for a 500 MB document.

    .venv/bin/python bench/intake/run.py [--documents 300] [--rounds 3] [--concurrency 4]
                                          [--big-mb 500] [--skip-big] [--skip-throughput]
                                          [--http-only]

1. Throughput. A demo-like municipality on SQLite gets a child with one open case.
   Envelopes of ``urn:sagshub:intake:1`` with a 100 KB PDF inline and the child's CPR
   are POSTed to ``/oio/dokument`` of ``sagshub serve`` (uvicorn, in a child process)
   by ``--concurrency`` keep-alive clients; each is placed on the child's case. The
   same envelopes go to the *floor*: a bare ASGI handler on the same uvicorn that only
   parses the envelope, decodes, hashes and writes (and fsyncs) the file
   (``bench/intake/floor.py``). Rounds alternate floor and sagshub, so both see the
   same machine; the best round of each counts. Target: sagshub ≥ 0.6 × floor.
   With ``--http-only`` the rounds go to sagshub with a fake intake instead
   (``bench/intake/http_only.py``): the cost of the HTTP side without the database.
2. Memory. A fresh ``sagshub serve`` receives one document of ``--big-mb`` MB as a
   ``cid:`` part of a ``multipart/related`` request, sent chunked. Its resident memory
   is sampled from /proc while the bytes flow, and its high-water mark (VmHWM) read at
   the end. Target: peak ≤ 150 MB.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from adapters.settings import load_settings  # noqa: E402
from core.models import Caseworker  # noqa: E402
from core.services.cases import NewCase  # noqa: E402
from hub import build_container, build_hub  # noqa: E402

CPR = "0101159901"
SENDER = "bench-scanner"
DOCUMENT_BYTES = 100 * 1024
BOUNDARY = "bench-boundary-5f0e"
CONFIG = """\
[municipality]
name = "Benchmark Kommune"
cvr = "29188386"

[database]
url = "sqlite:///sagshub.db"

[blobs]
path = "blobs"

[intake]
max_part_bytes = 2147483648
max_document_bytes = 2147483648
"""


def prepare(folder: Path) -> tuple[Path, str]:
    """A migrated municipality with a child on one open case; returns the config and a key."""
    config = folder / "sagshub.toml"
    config.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(config)
    database = build_container(settings).database()
    database.upgrade()
    database.dispose()
    hub = build_hub(settings)
    try:
        services = hub.services
        with services.uow_factory(services.municipality.id) as uow:
            uow.caseworkers.add(
                Caseworker(municipality_id=uow.municipality_id, username="anha", name="Anne")
            )
            uow.commit()
        services.cases.create_case(
            NewCase(
                title="Særlig støtte",
                kle_subject="27.24.00",
                handlingsfacet="G01",
                primary_cpr=CPR,
                caseworker="anha",
            ),
            "bench",
        )
        key = services.clients.issue(SENDER, ["intake"]).key
    finally:
        hub.close()
    return config, key


def envelope(message_id: str, pdf: bytes) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Envelope xmlns="urn:sagshub:intake:1">'
        f"<Sender><System>{SENDER}</System><MessageId>{message_id}</MessageId></Sender>"
        "<Channel>scanning</Channel>"
        "<Document><Titel>Underretning</Titel><Type>Brev, indgaaende</Type></Document>"
        f"<Parties><Party>urn:oio:cpr-nr:{CPR}</Party></Parties>"
        "<Variants><Variant><Name>arkiv</Name><Part><FileName>underretning.pdf</FileName>"
        "<MimeType>application/pdf</MimeType>"
        f"<Sha256>{hashlib.sha256(pdf).hexdigest()}</Sha256>"
        f"<Inline>{base64.encodebytes(pdf).decode()}</Inline>"
        "</Part></Variant></Variants></Envelope>"
    ).encode()


def envelopes(prefix: str, count: int) -> list[bytes]:
    """``count`` envelopes, each with its own 100 KB PDF (random, so no two are equal)."""
    return [
        envelope(f"{prefix}-{n}", b"%PDF-1.7\n" + os.urandom(DOCUMENT_BYTES - 9))
        for n in range(count)
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    @classmethod
    def start(cls, command: list[str], port: int, env: dict[str, str], cwd: Path) -> Server:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=os.environ | env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return cls(process, port)
            except OSError:
                time.sleep(0.05)
        process.kill()
        raise RuntimeError(f"{command} did not start")

    def status(self, field: str) -> int:
        """A memory figure of the server from /proc (``VmRSS``, ``VmHWM``), in bytes."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise KeyError(field)

    def cpu_seconds(self) -> float:
        """User and system CPU time the server has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def sagshub_server(config: Path) -> Server:
    port = free_port()
    command = [str(Path(sys.executable).parent / "sagshub"), "--config", str(config)]
    return Server.start([*command, "serve", "--port", str(port)], port, {}, config.parent)


def http_only_server(config: Path) -> Server:
    """``sagshub serve`` with a fake intake (``bench/intake/http_only.py``)."""
    port = free_port()
    command = [sys.executable, "-m", "bench.intake.http_only", str(config), str(port)]
    return Server.start(command, port, {}, ROOT)


def floor_server(folder: Path) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "bench.intake.floor:app", "--port", str(port)]
    return Server.start(command, port, {"FLOOR_DIR": str(folder / "floor")}, ROOT)


@dataclass(frozen=True)
class Rate:
    per_second: float
    cpu_ms: float
    """The server's CPU time per document."""


def drive(server: Server, bodies: list[bytes], headers: dict[str, str], concurrency: int) -> Rate:
    """POST every body with ``concurrency`` keep-alive clients: documents per second, and
    the server's CPU time per document."""
    work: queue.Queue[bytes] = queue.Queue()
    for body in bodies:
        work.put(body)
    failures: list[str] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        while True:
            try:
                body = work.get_nowait()
            except queue.Empty:
                break
            connection.request("POST", "/oio/dokument", body=body, headers=headers)
            response = connection.getresponse()
            text = response.read()
            if response.status != 201:
                failures.append(f"{response.status} {text[:200]!r}")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    cpu = server.cpu_seconds()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = server.cpu_seconds() - cpu
    if failures:
        raise RuntimeError(f"{len(failures)} deliveries failed, e.g. {failures[0]}")
    return Rate(len(bodies) / elapsed, cpu * 1000 / len(bodies))


def throughput(folder: Path, config: Path, key: str, args: argparse.Namespace) -> None:
    xml = {"Content-Type": "application/xml"}
    sagshub_headers = xml | {"Authorization": f"Bearer {key}"}
    floor_rates: list[Rate] = []
    sagshub_rates: list[Rate] = []
    start_sagshub = http_only_server if args.http_only else sagshub_server
    name = "http side" if args.http_only else "sagshub"
    floor, sagshub = floor_server(folder), start_sagshub(config)
    try:
        drive(floor, envelopes("warm-f", 20), xml, args.concurrency)
        drive(sagshub, envelopes("warm-s", 20), sagshub_headers, args.concurrency)
        for round_ in range(args.rounds):
            bodies = envelopes(f"r{round_}", args.documents)
            floor_rates.append(drive(floor, bodies, xml, args.concurrency))
            sagshub_rates.append(drive(sagshub, bodies, sagshub_headers, args.concurrency))
            floor_rate, sagshub_rate = floor_rates[-1], sagshub_rates[-1]
            print(
                f"round {round_ + 1}: floor {floor_rate.per_second:6.1f} docs/s "
                f"({floor_rate.cpu_ms:.1f} ms CPU/doc)   {name} {sagshub_rate.per_second:6.1f} "
                f"docs/s ({sagshub_rate.cpu_ms:.1f} ms CPU/doc)"
            )
    finally:
        floor.stop()
        sagshub.stop()
    best_floor = max(r.per_second for r in floor_rates)
    best_sagshub = max(r.per_second for r in sagshub_rates)
    ratio = best_sagshub / best_floor
    cpu_ratio = min(r.cpu_ms for r in floor_rates) / min(r.cpu_ms for r in sagshub_rates)
    verdict = "meets" if ratio >= 0.6 else "MISSES"
    print(
        f"throughput, {args.documents} × 100 KB PDF, {args.concurrency} clients, best of "
        f"{args.rounds}: floor {best_floor:.1f} docs/s, {name} {best_sagshub:.1f} docs/s, "
        f"ratio {ratio:.2f} ({verdict} the target 0.6); by server CPU per document "
        f"{cpu_ratio:.2f}"
    )


def big_body(size: int) -> Iterator[bytes]:
    """A multipart/related request: the envelope, then ``size`` bytes of PDF by cid:."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Envelope xmlns="urn:sagshub:intake:1">'
        f"<Sender><System>{SENDER}</System><MessageId>big-1</MessageId></Sender>"
        "<Channel>scanning</Channel><Document><Titel>Stor sag</Titel></Document>"
        f"<Parties><Party>urn:oio:cpr-nr:{CPR}</Party></Parties>"
        "<Variants><Variant><Name>arkiv</Name><Part><FileName>stor.pdf</FileName>"
        "<MimeType>application/pdf</MimeType><ContentRef>cid:big@bench</ContentRef>"
        "</Part></Variant></Variants></Envelope>"
    )
    yield (
        f"--{BOUNDARY}\r\nContent-ID: <env@bench>\r\nContent-Type: application/xml\r\n\r\n"
        f"{xml}\r\n--{BOUNDARY}\r\nContent-ID: <big@bench>\r\n"
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    ).encode()
    block = os.urandom(1024 * 1024)
    sent = 9
    while sent < size:
        chunk = block[: size - sent]
        sent += len(chunk)
        yield chunk
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def memory(config: Path, key: str, megabytes: int) -> None:
    server = sagshub_server(config)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, server.status("VmRSS"))
            time.sleep(0.02)

    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
        connection.request("GET", "/health")
        connection.getresponse().read()
        before = server.status("VmRSS")
        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.perf_counter()
        connection.request(
            "POST",
            "/oio/dokument",
            body=big_body(megabytes * 1024 * 1024),
            headers={
                "Authorization": f"Bearer {key}",
                "Content-Type": f'multipart/related; boundary="{BOUNDARY}"; start="<env@bench>"',
            },
            encode_chunked=True,
        )
        response = connection.getresponse()
        text = response.read()
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        high_water = server.status("VmHWM")
    finally:
        done.set()
        server.stop()
    if response.status != 201:
        raise RuntimeError(f"the big delivery failed: {response.status} {text[:300]!r}")
    mib = 1024 * 1024
    verdict = "meets" if max(peak, high_water) <= 150 * mib else "MISSES"
    print(
        f"memory, one {megabytes} MB document in {elapsed:.1f} s: server RSS before "
        f"{before / mib:.0f} MiB, peak while receiving {peak / mib:.0f} MiB, high-water mark "
        f"{high_water / mib:.0f} MiB ({verdict} the target 150 MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--big-mb", type=int, default=500)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument(
        "--http-only",
        action="store_true",
        help="measure the HTTP side alone: sagshub with a fake intake (no database work)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sagshub-bench-intake-") as temporary:
        folder = Path(temporary)
        config, key = prepare(folder)
        if not args.skip_throughput:
            throughput(folder, config, key, args)
        if not args.skip_big:
            memory(config, key, args.big_mb)


if __name__ == "__main__":
    main()
