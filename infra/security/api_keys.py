"""The keys of the systems that file through Open311 (`api/open311.py`): a partner's app, a
city's kiosk network. Each key stands for one operator identity, under which its filings are
recorded and by which it reads back only what it filed.

A key is shown once, when issued (`sampark open311 key`); only its SHA-256 is kept, so the
table leaks nothing usable. A revoked key is refused from the next request on. Rows are never
deleted: an auditor can always tell whose key filed what.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from psycopg_pool import ConnectionPool

from domain.inputs import CODE
from domain.values import Identity, Role

PREFIX = "o311"
MAX_KEY_LENGTH = 128


@dataclass(frozen=True)
class IssuedKey:
    id: str  # names the key in lists and revocations; not a secret
    key: str  # the secret: shown once


def identity_of(key_id: str) -> Identity:
    """The operator a key files as: `open311:<key id>`, recorded on every event it causes."""
    return Identity(id=f"open311:{key_id}", role=Role.OPERATOR)


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


class ApiKeys:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def issue(self, client: str, at: datetime) -> IssuedKey:
        """A new key for `client` (a code naming the partner, e.g. `emitra-jaipur`)."""
        client = CODE.clean(client, "client")
        key_id = secrets.token_hex(4)
        key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
        with self._pool.connection() as conn:
            conn.execute(
                "INSERT INTO sampark.api_keys (id, digest, client, issued_at) "
                "VALUES (%s, %s, %s, %s)",
                (key_id, _digest(key), client, at),
            )
        return IssuedKey(id=key_id, key=key)

    def revoke(self, key_id: str, at: datetime) -> bool:
        """Whether a live key of that id was revoked now."""
        with self._pool.connection() as conn:
            done = conn.execute(
                "UPDATE sampark.api_keys SET revoked_at = %s WHERE id = %s AND revoked_at IS NULL",
                (at, key_id),
            )
            return done.rowcount == 1

    def identify(self, key: str) -> Identity | None:
        """The operator a live key stands for, or None (unknown, revoked or malformed)."""
        if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
            return None
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT id FROM sampark.api_keys WHERE digest = %s AND revoked_at IS NULL",
                (_digest(key),),
            ).fetchone()
        return identity_of(row[0]) if row else None
