"""Streaming files into the blob store: limits, the sender's sha256, flat memory."""

from __future__ import annotations

import hashlib
import tracemalloc

import pytest

from adapters.intake.limits import IntakeLimits
from adapters.intake.staging import DeliveryStaging
from adapters.intake.xml_envelope import parse_envelope
from core.errors import InvalidValue, PayloadRejected

from .envelopes import PartSpec, VariantSpec, envelope, sha

CHUNK = 64 * 1024
SIXTY_MB = 60 * 1024 * 1024


def pdf_chunks(total: int):
    """A PDF-looking file of ``total`` bytes, made chunk by chunk (never whole in memory).

    Every chunk is a new object, as from a socket, so keeping them would show.
    """
    yield b"%PDF-1.7\n"
    left, number = total - 9, 0
    while left > 0:
        yield bytes([number % 256]) * min(CHUNK, left)
        left -= CHUNK
        number += 1


def expected_sha(total: int) -> str:
    digest = hashlib.sha256()
    for chunk in pdf_chunks(total):
        digest.update(chunk)
    return digest.hexdigest()


def test_stage_returns_hash_size_and_head(blobs, staging):
    blob = staging.stage([b"abc", b"", b"def"], field="f", expected_sha256=sha(b"abcdef"))
    assert (blob.size, blob.sha256, blob.head) == (6, sha(b"abcdef"), b"abcdef")
    assert staging.tokens == (blob.token,)
    assert blobs.staged_files() == [blob.token]


def test_sha256_mismatch_discards_the_file_and_names_the_field(blobs, staging):
    with pytest.raises(InvalidValue) as caught:
        staging.stage([b"abc"], field="variants[0].parts[0]", expected_sha256=sha(b"abd"))
    assert caught.value.field == "variants[0].parts[0]"
    assert blobs.staged_files() == []
    assert staging.tokens == ()


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (IntakeLimits(max_part_bytes=12), "larger than 12 bytes"),
        (IntakeLimits(max_document_bytes=20), "larger than 20 bytes together"),
    ],
)
def test_size_limits_stop_the_file_that_crosses_them(blobs, limits, message):
    staging = DeliveryStaging(blobs, limits)
    first = staging.stage([b"x" * 10], field="first")
    with pytest.raises(PayloadRejected) as caught:
        staging.stage([b"x" * 6, b"x" * 6, b"never read"], field="second")
    assert (caught.value.field, caught.value.message.endswith(message)) == ("second", True)
    assert blobs.staged_files() == [first.token]  # the failed file only; the delivery decides


async def test_async_stage_aborts_on_error_in_the_source(blobs, staging):
    async def broken():
        yield b"abc"
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await staging.astage(broken(), field="f")
    assert blobs.staged_files() == []


def test_leaving_the_block_with_an_error_discards_everything(blobs):
    with pytest.raises(RuntimeError), DeliveryStaging(blobs) as staging:
        staging.stage([b"one"], field="a")
        writer = staging.open_part(field="b")
        writer.write(b"half a file")
        raise RuntimeError("the core refused the document")
    assert blobs.staged_files() == []


def test_all_or_nothing_discards_files_staged_before_the_failure(blobs, staging):
    staging.stage([b"one"], field="a")
    with pytest.raises(ValueError), staging.all_or_nothing():
        staging.stage([b"two"], field="b")
        raise ValueError("bad")
    assert blobs.staged_files() == []


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
async def test_a_60_mb_cid_part_streams_with_bounded_memory(blobs, staging, use_async):
    spec = PartSpec("stor.pdf", data=b"", sha256=expected_sha(SIXTY_MB), cid="big")
    delivery = parse_envelope(envelope(variants=[VariantSpec(parts=[spec])]), staging)

    async def body():
        for chunk in pdf_chunks(SIXTY_MB):
            yield chunk

    tracemalloc.start()
    try:
        if use_async:
            blob = await delivery.astage("big", body())
        else:
            blob = delivery.stage("big", pdf_chunks(SIXTY_MB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert blob.size == SIXTY_MB
    assert (blobs.staging / blob.token).stat().st_size == SIXTY_MB
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes while staging 60 MB"
    assert delivery.to_incoming().variants[0].parts[0].size == SIXTY_MB
