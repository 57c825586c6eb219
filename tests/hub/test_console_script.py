"""The installed console script ``sagshub``, run as a separate process."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.config_files import write_config
from tests.hub.conftest import migrate

SAGSHUB = str(Path(sys.executable).with_name("sagshub"))


def test_an_error_is_one_plain_line_on_stderr_with_status_2(tmp_path):
    path = write_config(tmp_path, "[server]\nport = 0\n")
    result = subprocess.run(
        [SAGSHUB, "--config", str(path), "config", "check"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"sagshub: {path}: server.port: Input should be greater than or equal to 1\n"
    )


def wait_for_health(url: str, process: subprocess.Popen) -> httpx.Response:
    """Poll until the server answers (it is starting in another process) or has exited."""
    while process.poll() is None:
        try:
            return httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"sagshub serve exited with {process.returncode}")


def test_serve_answers_health_and_schema_over_a_real_socket(tmp_path, free_port):
    from adapters.settings import load_settings

    path = write_config(tmp_path, f"[server]\nport = {free_port}\n")
    migrate(load_settings(path))
    process = subprocess.Popen(
        [SAGSHUB, "--config", str(path), "serve"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = wait_for_health(f"http://127.0.0.1:{free_port}/health", process)
        schema = httpx.get(f"http://127.0.0.1:{free_port}/schema/openapi.json", timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert health.status_code == 200
    assert health.json()["migrated"] is True
    assert schema.json()["info"]["title"] == "sagshub"
