"""A client sends the same bearer token on every request: it is verified once and then
remembered by its exact text, only for as long as it is valid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.exceptions import NotAuthorizedException
from litestar.security.jwt import Token

from api.auth import remembering
from infra.security.tokens import ALGORITHM, AUDIENCE, ISSUER, mint, token_class

SECRET = "unit-secret-0123456789-0123456789-0123456789"
LEEWAY = 30


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).timestamp()

    def __call__(self) -> float:
        return self.now


def counting() -> tuple[type[Token], list[str]]:
    """The real verifying token class, counting what it is asked to verify."""
    verified = token_class(None, LEEWAY)
    asked: list[str] = []

    class Counted(verified):  # type: ignore[valid-type,misc]
        @classmethod
        def decode(cls, encoded_token: str, *args: Any, **kwargs: Any) -> Any:
            asked.append(encoded_token)
            return super().decode(encoded_token, *args, **kwargs)

    return Counted, asked


def decode(tokens: type[Token], encoded: str) -> Token:
    return tokens.decode(
        encoded,
        secret=SECRET,
        algorithm=ALGORITHM,
        audience=AUDIENCE,
        issuer=ISSUER,
        require_claims=["exp", "sub"],
    )


def token(lifetime: timedelta = timedelta(hours=1), secret: str = SECRET, sub: str = "a") -> str:
    return mint(secret, role="operator", sub=sub, lifetime=lifetime)


def test_the_same_token_is_verified_once_and_answers_the_same_claims() -> None:
    verified, asked = counting()
    tokens = remembering(verified, LEEWAY, clock=Clock())
    sent = token()
    first, again = decode(tokens, sent), decode(tokens, sent)
    assert asked == [sent]
    assert again.sub == first.sub == "a" and again.extras == first.extras


def test_a_token_past_its_expiry_is_no_longer_remembered_but_verified_afresh() -> None:
    verified, asked = counting()
    clock = Clock()
    tokens = remembering(verified, LEEWAY, clock=clock)
    sent = token(lifetime=timedelta(minutes=5))
    decode(tokens, sent)
    clock.now += 5 * 60 + LEEWAY - 2  # still valid, with the leeway
    decode(tokens, sent)
    assert asked == [sent]
    clock.now += 3  # past it: the verifier decides again (here, on the real clock: valid)
    decode(tokens, sent)
    assert asked == [sent, sent]


def test_a_token_that_fails_verification_is_never_remembered() -> None:
    verified, asked = counting()
    tokens = remembering(verified, LEEWAY, clock=Clock())
    forged = token(secret="another-secret-0123456789-0123456789-01234")
    for _ in range(2):
        with pytest.raises(NotAuthorizedException):
            decode(tokens, forged)
    assert asked == [forged, forged]


def test_only_the_most_recent_tokens_are_remembered() -> None:
    verified, asked = counting()
    tokens = remembering(verified, LEEWAY, size=2, clock=Clock())
    first, second, third = (token(sub=s) for s in "xyz")
    for sent in (first, second, third, third, second, first):
        decode(tokens, sent)
    assert asked == [first, second, third, first]
