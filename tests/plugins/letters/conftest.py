from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from plugins.eboks.sf1601 import Sf1601Client
from plugins.eboks.tokens import TokenEndpointProvider
from tests.fakes.sf1601.server import serve
from tests.fakes.sf1601.service import FakeSf1601
from tests.fakes.sf1601.sts import FakeSts
from tests.plugins.letters.builders import LetterWorld

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    path = Path(os.environ.get("SAGSHUB_STANDARDS_DIR", REPO.parent / "shared" / "standards"))
    if not (path / "memo").is_dir():
        pytest.fail(f"the official schemas are not in {path}; set SAGSHUB_STANDARDS_DIR")
    return path


@pytest.fixture
def world() -> LetterWorld:
    return LetterWorld()


@dataclass
class Serviceplatform:
    """The fake token service and SF1601, served locally, and a client wired to them."""

    sts: FakeSts
    sf1601: FakeSf1601
    sts_url: str
    base_url: str
    http: httpx.Client

    def client(self) -> Sf1601Client:
        tokens = TokenEndpointProvider(self.sts_url + "token", http=self.http)
        return Sf1601Client(self.base_url, tokens, http=self.http)


@pytest.fixture(scope="session")
def _servers(standards_dir) -> Iterator[tuple[FakeSts, FakeSf1601, str, str]]:
    sts = FakeSts()
    sf1601 = FakeSf1601(standards_dir=standards_dir, sts=sts)
    with serve(sts.app()) as sts_url, serve(sf1601.app()) as base_url:
        yield sts, sf1601, sts_url, base_url


@pytest.fixture
def platform(_servers) -> Iterator[Serviceplatform]:
    """A clean fake Serviceplatform for each test (the servers live for the session)."""
    sts, sf1601, sts_url, base_url = _servers
    sts.reset()
    sf1601.reset()
    with httpx.Client(timeout=5) as http:
        yield Serviceplatform(sts, sf1601, sts_url, base_url, http)
