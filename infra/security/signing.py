"""Signed, expiring tokens for links sent to citizens (HMAC-SHA256, URL-safe).

A token reads `<payload>.<signature>`, both base64url without padding; the payload is
`<purpose>|<subject>|<expires unix seconds>`. Anyone may read it; only the holder of the
secret can make one, and changing any byte of it makes it worthless.

A token is accepted only as `sign` wrote it, to the last character: the whole string is
compared (in constant time) with the token signed afresh from what it says. Padding, other
alphabets, non-canonical base64 (spare bits set), spaces, anything appended: all refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime

# What `sign` writes: canonical base64url pieces, the signature exactly 32 bytes (43 chars).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,512}\.[A-Za-z0-9_-]{43}")
EXPIRES_SHAPE = re.compile(r"[0-9]{1,12}")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _payload(purpose: str, subject: str, expires: int) -> bytes:
    return f"{purpose}|{subject}|{expires}".encode()


def _signed(secret: str, payload: bytes) -> str:
    signature = hmac.new(secret.encode(), payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(signature)}"


def sign(secret: str, purpose: str, subject: str, expires: datetime) -> str:
    return _signed(secret, _payload(purpose, subject, int(expires.timestamp())))


class BadToken(Exception):
    """Forged, altered, for another purpose, or expired."""


def verify(secret: str, purpose: str, token: str, now: datetime) -> str:
    """The token's subject, if the token is genuine, for `purpose`, and not expired."""
    if not TOKEN_SHAPE.fullmatch(token):
        raise BadToken("malformed token")
    payload_text = token.partition(".")[0]
    try:
        got_purpose, subject, expires = _unb64(payload_text).decode().split("|")
    except (ValueError, UnicodeDecodeError) as error:  # binascii.Error is a ValueError
        raise BadToken("malformed token") from error
    if not EXPIRES_SHAPE.fullmatch(expires):
        raise BadToken("malformed token")
    # Signed afresh from what the token says: any byte that `sign` would not have written
    # (in the payload's encoding as in the signature's) makes the strings differ.
    expected = _signed(secret, _payload(got_purpose, subject, int(expires)))
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise BadToken("the signature does not match")
    if got_purpose != purpose:
        raise BadToken("the token is for something else")
    try:
        expires_at = datetime.fromtimestamp(int(expires), UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise BadToken("malformed token") from error
    if now >= expires_at:
        raise BadToken("the link has expired")
    return subject


def hub_signature(app_secret: str, body: bytes) -> str:
    """The `X-Hub-Signature-256` a webhook body must carry: sha256=<hex HMAC>."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def check_hub_signature(app_secret: str, body: bytes, header: str | None) -> bool:
    return header is not None and hmac.compare_digest(header, hub_signature(app_secret, body))
