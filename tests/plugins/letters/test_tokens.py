from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from plugins.eboks.tokens import TokenEndpointProvider
from ports.tokens import TokenUnavailable

AUDIENCE = "http://entityid.kombit.dk/service/kombipostafsend/1"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_token_is_reused_until_shortly_before_it_expires(platform):
    clock = Clock()
    platform.sts.lifetime_seconds = 600
    tokens = TokenEndpointProvider(platform.sts_url + "token", http=platform.http, clock=clock)
    first = tokens.access_token(AUDIENCE)
    assert tokens.access_token(AUDIENCE) == first
    assert first.authorization.startswith("Holder-of-key ")
    assert platform.sts.is_valid(first.authorization, AUDIENCE)
    clock.now += timedelta(minutes=5, seconds=1)  # within the 5-minute margin of expiry
    assert tokens.access_token(AUDIENCE) != first
    assert len(platform.sts.requests) == 2


def test_tokens_are_kept_per_audience_and_a_forgotten_one_is_fetched_again(platform):
    tokens = TokenEndpointProvider(platform.sts_url + "token", http=platform.http)
    other = "http://entityid.kombit.dk/service/postforespoerg/1"
    kombi, lookup = tokens.access_token(AUDIENCE), tokens.access_token(other)
    assert kombi != lookup
    tokens.forget(AUDIENCE)
    assert tokens.access_token(AUDIENCE) != kombi
    assert tokens.access_token(other) == lookup


def test_a_refusing_token_service_raises_token_unavailable(platform):
    platform.sts.refuse = True
    tokens = TokenEndpointProvider(platform.sts_url + "token", http=platform.http)
    with pytest.raises(TokenUnavailable):
        tokens.access_token(AUDIENCE)


@pytest.mark.parametrize("body", [b"not json", b'{"token_type": "x"}', b"[]"])
def test_an_unusable_token_answer_raises_token_unavailable(body):
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, content=body)))
    with pytest.raises(TokenUnavailable):
        TokenEndpointProvider("https://sts.example/token", http=http).access_token(AUDIENCE)


def test_the_token_is_never_in_its_repr(platform):
    token = TokenEndpointProvider(platform.sts_url + "token", http=platform.http).access_token(
        AUDIENCE
    )
    assert token.access_token not in repr(token)
