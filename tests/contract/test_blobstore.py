"""The filesystem blob store: staging, promotion, dedupe, limits, streaming."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
from collections.abc import Iterable
from uuid import uuid4

import pytest

from adapters.blobs.filesystem import HEAD_BYTES, FilesystemBlobStore
from core.errors import InvalidValue, NotFound, PayloadRejected

CHUNK = 64 * 1024


@pytest.fixture
def store(tmp_path) -> FilesystemBlobStore:
    return FilesystemBlobStore(tmp_path / "blobs")


def staged_files(store: FilesystemBlobStore) -> list:
    return list(store.staging.iterdir())


def write(store: FilesystemBlobStore, chunks: Iterable[bytes], max_bytes: int | None = None):
    """Stages the chunks one at a time, as an upload would."""
    writer = store.writer(max_bytes=max_bytes)
    for chunk in chunks:
        writer.write(chunk)
    return writer.finish()


def test_staged_bytes_are_hashed_and_promoted_to_their_content_address(store):
    content = os.urandom(10_000)
    staged = write(store, [content[:3000], content[3000:]])
    sha256 = hashlib.sha256(content).hexdigest()
    assert (staged.sha256, staged.size, staged.head) == (sha256, 10_000, content[:HEAD_BYTES])
    assert not store.exists(sha256)

    assert store.promote(staged.token, staged.sha256) is True
    assert (store.root / sha256[:2] / sha256[2:4] / sha256).read_bytes() == content
    assert store.exists(sha256)
    assert store.size(sha256) == 10_000
    with store.open(sha256) as stored:
        assert stored.read() == content
    assert staged_files(store) == []


def test_identical_content_is_stored_once(store):
    first, second = write(store, [b"same bytes"]), write(store, [b"same", b" bytes"])
    assert first.token != second.token
    assert store.promote(first.token, first.sha256) is True
    assert store.promote(second.token, second.sha256) is False
    stored = [p for p in store.root.rglob("*") if p.is_file()]
    assert stored == [store.root / first.sha256[:2] / first.sha256[2:4] / first.sha256]
    assert staged_files(store) == []


def test_a_batch_promoted_without_per_file_fsyncs_is_made_durable_by_sync(store, monkeypatch):
    """``durable=False`` leaves the fsyncs to two ``sync`` calls around the batch (the unit
    of work's commit); a single ``promote`` still fsyncs the file and its directory."""
    fsynced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsynced.append(fd), real_fsync(fd))[1])
    contents = [os.urandom(100) for _ in range(5)]
    staged = [write(store, [content]) for content in contents]

    store.sync()
    assert [store.promote(s.token, s.sha256, durable=False) for s in staged] == [True] * 5
    store.sync()

    assert fsynced == []
    for content in contents:
        with store.open(hashlib.sha256(content).hexdigest()) as stored:
            assert stored.read() == content
    assert staged_files(store) == []
    single = write(store, [b"one delivery"])
    assert store.promote(single.token, single.sha256) is True
    assert len(fsynced) >= 2


def test_discard_removes_the_staged_file_and_ignores_unknown_tokens(store):
    staged = write(store, [b"thrown away"])
    store.discard(staged.token)
    store.discard(staged.token)
    store.discard(uuid4().hex)
    assert staged_files(store) == []
    assert not store.exists(staged.sha256)
    with pytest.raises(NotFound):
        store.promote(staged.token, staged.sha256)


def test_tokens_and_hashes_cannot_reach_outside_the_store(store):
    with pytest.raises(InvalidValue):
        store.discard("../../etc/passwd")
    with pytest.raises(InvalidValue):
        store.open("../" + "0" * 61)
    with pytest.raises(InvalidValue):
        store.open("0" * 64 + "\n")
    with pytest.raises(InvalidValue):
        store.discard("0" * 32 + "\n")


def test_promoting_a_token_that_is_gone_is_not_found_even_when_its_content_is_stored(store):
    kept, gone = write(store, [b"same bytes"]), write(store, [b"same bytes"])
    store.promote(kept.token, kept.sha256)
    store.discard(gone.token)
    for durable in (True, False):
        with pytest.raises(NotFound):
            store.promote(gone.token, gone.sha256, durable=durable)


def test_max_bytes_is_enforced_while_writing_and_leaves_nothing(store):
    assert write(store, [b"x" * 100], max_bytes=100).size == 100
    writer = store.writer(max_bytes=100)
    writer.write(b"x" * 60)
    with pytest.raises(PayloadRejected, match="100 bytes"):
        writer.write(b"x" * 41)
    writer.abort()
    assert len(staged_files(store)) == 1  # only the first, accepted file


def test_abort_removes_the_temporary_file_and_can_be_repeated(store):
    writer = store.writer()
    writer.write(b"half a file")
    writer.abort()
    writer.abort()
    assert staged_files(store) == []
    with pytest.raises(ValueError, match="finished or aborted"):
        writer.write(b"more")


def test_missing_blobs_are_not_found_and_removal_is_quiet(store):
    staged = write(store, [b"short-lived"])
    store.promote(staged.token, staged.sha256)
    store.remove(staged.sha256)
    store.remove(staged.sha256)
    assert not store.exists(staged.sha256)
    with pytest.raises(NotFound):
        store.open(staged.sha256)
    with pytest.raises(NotFound):
        store.size(staged.sha256)


def test_a_50_mb_file_streams_through_in_64_kib_chunks_without_being_held(store):
    total = 50 * 1024 * 1024
    expected = hashlib.sha256()

    def chunks():
        for index in range(total // CHUNK):
            chunk = hashlib.sha256(index.to_bytes(4, "big")).digest() * (CHUNK // 32)
            expected.update(chunk)
            yield chunk

    tracemalloc.start()
    try:
        staged = write(store, chunks(), max_bytes=60 * 1024 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (staged.sha256, staged.size) == (expected.hexdigest(), total)
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes: the file was held in memory"
    assert store.promote(staged.token, staged.sha256)
    assert store.size(staged.sha256) == total
