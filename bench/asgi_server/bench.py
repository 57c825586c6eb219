"""Which production ASGI server should ``sagshub serve`` use? Measure, don't guess.

Serves the same demo municipality (SQLite) with uvicorn and with granian, one worker
each, in turn, and drives each with the same closed-loop load from this process
(``--concurrency`` clients for ``--seconds``). Reports requests/s and the median and
99th-percentile latency of ``GET /health`` (a database round trip) and of
``GET /schema/openapi.json`` (pure framework work).

    .venv/bin/pip install 'granian>=2.5,<3'
    .venv/bin/python bench/asgi_server/bench.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
SERVERS = {
    "uvicorn": lambda port: [
        str(BIN / "uvicorn"),
        "--factory",
        "hub:asgi_app",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ],
    "granian": lambda port: [
        str(BIN / "granian"),
        "--interface",
        "asgi",
        "--factory",
        "hub:asgi_app",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ],
}
PATHS = ("/health", "/schema/openapi.json")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def load(url: str, concurrency: int, seconds: float) -> tuple[float, list[float]]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await http.get(url)
            response.raise_for_status()
            latencies.append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, latencies


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not come up")


def measure(server: str, config: Path, concurrency: int, seconds: float) -> dict[str, tuple]:
    port = free_port()
    env = os.environ | {"SAGSHUB_CONFIG": str(config)}
    process = subprocess.Popen(SERVERS[server](port), env=env, cwd=Path(__file__).parents[2])
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, process)
        results = {}
        for path in PATHS:
            asyncio.run(load(base + path, concurrency, 1.0))  # warm up
            rate, latencies = asyncio.run(load(base + path, concurrency, seconds))
            quantiles = statistics.quantiles(latencies, n=100)
            results[path] = (rate, quantiles[49] * 1000, quantiles[98] * 1000)
        return results
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    missing = [name for name in SERVERS if shutil.which(name, path=str(BIN)) is None]
    if missing:
        raise SystemExit(f"install first: {', '.join(missing)} (see this file's docstring)")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [str(BIN / "sagshub"), "demo", "--dir", folder], check=True, stdout=subprocess.DEVNULL
        )
        config = Path(folder) / "sagshub.toml"
        print(f"{'server':8} {'path':22} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
        for server in SERVERS:
            for path, (rate, p50, p99) in measure(
                server, config, args.concurrency, args.seconds
            ).items():
                print(f"{server:8} {path:22} {rate:8.0f} {p50:8.1f} {p99:8.1f}")


if __name__ == "__main__":
    main()
