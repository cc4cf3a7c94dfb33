"""Fixed-window rate limits kept in PostgreSQL, so every API process counts together; and
the client address they count by."""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from psycopg_pool import ConnectionPool


class RateLimiter:
    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool

    def take(self, key: str, limit: int, seconds: int, now: datetime) -> float | None:
        """Count one use of `key`; the seconds to wait if that was one too many, else None."""
        epoch = now.timestamp()
        start = now - timedelta(seconds=epoch % seconds)
        with self.pool.connection() as conn:
            found = conn.execute(
                "INSERT INTO sampark.rate_windows (key, window_start, count) VALUES (%s, %s, 1) "
                "ON CONFLICT (key, window_start) DO UPDATE "
                "SET count = sampark.rate_windows.count + 1 RETURNING count",
                (key, start),
            ).fetchone()
            count = int(found[0]) if found else 1
            if count == 1:  # a new window: forget this key's old ones
                conn.execute(
                    "DELETE FROM sampark.rate_windows WHERE key = %s AND window_start < %s",
                    (key, start),
                )
        if count <= limit:
            return None
        return max(1.0, math.ceil((start + timedelta(seconds=seconds) - now).total_seconds()))


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(peer: str | None, forwarded_for: str | None, proxies: Sequence[Network]) -> str:
    """The address a request comes from. `X-Forwarded-For` is believed only when the peer is
    one of our own proxies (`SAMPARK_TRUSTED_PROXIES`), and only back to the first hop that
    is not: any client can write the header, so hops it added are never taken for its own."""
    if peer is None:
        return "unknown"
    if not forwarded_for or not _trusted(peer, proxies):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a hop we cannot read: count the proxy that sent it
    return peer
