"""Incremental base64 decoding."""

from __future__ import annotations

import base64

import pytest

from adapters.intake.base64_stream import Base64Stream
from core.errors import InvalidValue

DATA = bytes(range(256)) + b"tail"


def decode_in_pieces(text: str, size: int) -> bytes:
    out: list[bytes] = []
    stream = Base64Stream(out.append, field="Inline")
    for start in range(0, len(text), size):
        stream.feed(text[start : start + size])
    stream.close()
    return b"".join(out)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64, 10_000])
def test_any_split_decodes_the_same(size):
    text = base64.encodebytes(DATA).decode()
    assert decode_in_pieces(text, size) == DATA


@pytest.mark.parametrize("data", [b"", b"a", b"ab", b"abc", b"abcd"])
def test_padding_at_the_end(data):
    assert decode_in_pieces(base64.b64encode(data).decode(), 1) == data


@pytest.mark.parametrize(
    "text",
    [
        "YWJj!",  # outside the alphabet
        "YW==YWJj",  # padding in the middle
        "YWI=YWJj",
        "YWJjZ",  # length not a multiple of 4
        "YWJ\u00e6",  # not ASCII
        "YWJj-_-_",  # the URL-safe alphabet is not base64Binary
    ],
)
def test_invalid_text_names_the_field(text):
    with pytest.raises(InvalidValue) as caught:
        decode_in_pieces(text, 3)
    assert caught.value.field == "Inline"


def test_text_after_padding_split_across_pieces():
    out: list[bytes] = []
    stream = Base64Stream(out.append, field="Inline")
    stream.feed("YWI=")
    with pytest.raises(InvalidValue):
        stream.feed("YWJj")


def test_characters_are_counted_without_whitespace():
    stream = Base64Stream(lambda _: None, field="Inline")
    stream.feed("YWJj\n  YWJj\r\n")
    assert stream.chars == 8
