"""Signed, expiring tokens for links sent to citizens (HMAC-SHA256, URL-safe).

A token reads `<payload>.<signature>`, both base64url without padding; the payload is
`<purpose>|<subject>|<expires unix seconds>`. Anyone may read it; only the holder of the
secret can make one, and changing any byte of it makes it worthless.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: str, purpose: str, subject: str, expires: datetime) -> str:
    payload = f"{purpose}|{subject}|{int(expires.timestamp())}".encode()
    signature = hmac.new(secret.encode(), payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(signature)}"


class BadToken(Exception):
    """Forged, altered, for another purpose, or expired."""


def verify(secret: str, purpose: str, token: str, now: datetime) -> str:
    """The token's subject, if the token is genuine, for `purpose`, and not expired."""
    try:
        payload_text, signature_text = token.split(".")
        payload, signature = _unb64(payload_text), _unb64(signature_text)
    except (ValueError, TypeError) as error:
        raise BadToken("malformed token") from error
    expected = hmac.new(secret.encode(), payload, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise BadToken("the signature does not match")
    try:
        got_purpose, subject, expires = payload.decode().split("|")
        expires_at = datetime.fromtimestamp(int(expires), UTC)
    except (UnicodeDecodeError, ValueError) as error:
        raise BadToken("malformed token") from error
    if got_purpose != purpose:
        raise BadToken("the token is for something else")
    if now >= expires_at:
        raise BadToken("the link has expired")
    return subject


def hub_signature(app_secret: str, body: bytes) -> str:
    """The `X-Hub-Signature-256` a webhook body must carry: sha256=<hex HMAC>."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def check_hub_signature(app_secret: str, body: bytes, header: str | None) -> bool:
    return header is not None and hmac.compare_digest(header, hub_signature(app_secret, body))
