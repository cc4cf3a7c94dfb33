"""Idempotency receipts: what a request sent with an `Idempotency-Key` did the first time.

A command's receipt is written by the recorder in the same transaction as its events (see
`store.py`), so after a crash a retry finds both or neither. An upload's receipt holds
its answer, since an upload writes no event.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from psycopg_pool import ConnectionPool


@dataclass(frozen=True)
class Receipt:
    principal: str
    key: str
    request_hash: str


@dataclass(frozen=True)
class PriorAnswer:
    request_hash: str
    originator_id: UUID | None
    originator_version: int | None
    response: bytes | None


class ReceiptBook:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def find(self, principal: str, key: str) -> PriorAnswer | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT request_hash, originator_id, originator_version, response "
                "FROM sampark.idempotency_keys WHERE principal = %s AND key = %s",
                (principal, key),
            ).fetchone()
        if row is None:
            return None
        return PriorAnswer(
            request_hash=row[0],
            originator_id=row[1],
            originator_version=row[2],
            response=bytes(row[3]) if row[3] is not None else None,
        )

    def record_answer(self, receipt: Receipt, response: bytes) -> PriorAnswer | None:
        """Keep `response` as the answer to `receipt`; if another got there first, its answer."""
        with self._pool.connection() as conn:
            inserted = conn.execute(
                "INSERT INTO sampark.idempotency_keys (principal, key, request_hash, response) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING 1",
                (receipt.principal, receipt.key, receipt.request_hash, response),
            ).fetchone()
        return None if inserted else self.find(receipt.principal, receipt.key)
