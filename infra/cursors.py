"""Cursors: where the next page of a list starts, as an opaque string.

Every list that can grow pages by keyset: a page is the items after the last one shown, in
the order the list is shown, so items added or removed meanwhile neither repeat an item nor
skip one that was there. The cursor is that last item's sort key, as JSON in base64url
without padding. It is not secret and not signed: a forged cursor could only move where a
page of the caller's own list starts (every list still applies the caller's scope). So
decoding checks its shape, each part with the parser of its place, and refuses anything else
with `ValueError` (the API's 400 naming `cursor`).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

Part = Callable[[object], Any]
NOT_OURS = "not a cursor this API gave out"


def encode(*key: datetime | UUID | str | int | bool | None) -> str:
    """The cursor after an item whose sort key is `key`."""
    parts = [
        str(k) if isinstance(k, UUID) else k.isoformat() if isinstance(k, datetime) else k
        for k in key
    ]
    raw = json.dumps(parts, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, *parts: Part) -> tuple[Any, ...]:
    """The sort key a cursor holds, each part read by its parser; `ValueError` when the
    cursor is not one `encode` wrote for a key of this shape."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
        if not isinstance(key, list) or len(key) != len(parts):
            raise ValueError(NOT_OURS)
        return tuple(part(value) for part, value in zip(parts, key, strict=True))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise ValueError(NOT_OURS) from error


def moment(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError(NOT_OURS)
    at = datetime.fromisoformat(value)
    if at.tzinfo is None:
        raise ValueError(NOT_OURS)
    return at


def uuid(value: object) -> UUID:
    if not isinstance(value, str):
        raise ValueError(NOT_OURS)
    return UUID(value)


def text(value: object) -> str:
    """A name (a post's, a district's): text PostgreSQL can hold (no NUL character)."""
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError(NOT_OURS)
    return value


def flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(NOT_OURS)
    return value


def number(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
        raise ValueError(NOT_OURS)
    return value


def optional(part: Part) -> Part:
    def read(value: object) -> Any:
        return None if value is None else part(value)

    return read
