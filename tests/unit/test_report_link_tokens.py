"""A report link's token opens the report only exactly as it was sent: the citizen's page
puts the token into its links, so a token with anything added, padded or re-encoded must not
be taken for the genuine one."""

from __future__ import annotations

import base64
import string
from datetime import timedelta

import pytest

from infra.security.signing import BadToken, sign, verify
from tests.support import START

SECRET = "report-link-secret"
SUBJECT = "6f1c1f0e-6f0a-4c55-9d6e-3b1f2a7c9d10"
TOKEN = sign(SECRET, "atr", SUBJECT, START + timedelta(days=90))
ALPHABET = string.ascii_letters + string.digits + "-_"


def refused(token: str) -> bool:
    try:
        verify(SECRET, "atr", token, START)
    except BadToken:
        return True
    return False


def test_the_token_as_sent_opens_the_report() -> None:
    assert verify(SECRET, "atr", TOKEN, START) == SUBJECT


@pytest.mark.parametrize(
    "tail",
    [
        "'><img src=x onerror=alert(document.domain)>",
        "='><img src=x onerror=alert(document.domain)>",
        "=",
        "==",
        "===",
        "=x",
        " ",
        "\n",
        "%3D",
        ".",
        ".AAAA",
        "A",
        "\x00",
    ],
)
def test_nothing_may_follow_the_signature(tail: str) -> None:
    assert refused(TOKEN + tail)


def test_the_token_may_not_be_padded_or_spelled_in_another_alphabet() -> None:
    payload, signature = TOKEN.split(".")
    padded = f"{payload}{'=' * (-len(payload) % 4)}.{signature}="
    standard = TOKEN.replace("-", "+").replace("_", "/")
    assert all(refused(t) for t in (padded, f"{payload}.{signature}=", f"={TOKEN}"))
    assert standard == TOKEN or refused(standard)
    assert refused(" " + TOKEN) and refused(TOKEN.upper()) and refused("")


def test_a_signature_with_its_spare_bits_set_is_not_the_signature() -> None:
    """43 base64 characters carry 258 bits for a 256-bit signature: the last character has
    two spare bits, and three other spellings of it decode to the same bytes."""
    payload, signature = TOKEN.split(".")
    same_bytes = [
        f"{payload}.{signature[:-1]}{c}"
        for c in ALPHABET
        if c != signature[-1]
        and base64.urlsafe_b64decode(signature[:-1] + c + "=")
        == base64.urlsafe_b64decode(signature + "=")
    ]
    assert len(same_bytes) == 3
    assert all(refused(t) for t in same_bytes)


def test_every_one_character_change_is_refused() -> None:
    for position, original in enumerate(TOKEN):
        for other in ALPHABET + ".=":
            if other != original:
                changed = TOKEN[:position] + other + TOKEN[position + 1 :]
                assert refused(changed), (position, other)


def test_a_payload_that_sign_would_not_write_is_refused_even_when_signed() -> None:
    """The signature covers bytes, but the token is checked as `sign` would write it: an
    expiry spelled with a sign or an underscore is not the same token."""
    import hashlib
    import hmac

    def signed(payload: bytes) -> str:
        signature = hmac.new(SECRET.encode(), payload, hashlib.sha256).digest()
        encode = base64.urlsafe_b64encode
        return f"{encode(payload).rstrip(b'=').decode()}.{encode(signature).rstrip(b'=').decode()}"

    expires = int((START + timedelta(days=90)).timestamp())
    assert not refused(signed(f"atr|{SUBJECT}|{expires}".encode()))
    for odd in (
        f"+{expires}",
        f" {expires}",
        f"{expires}\n",
        f"{str(expires)[:3]}_{str(expires)[3:]}",
    ):
        assert refused(signed(f"atr|{SUBJECT}|{odd}".encode())), odd
