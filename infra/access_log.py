"""Who looked: every read of complaints' personal data by staff, kept for the auditors.

One row per complaint shown: who (id and role), when, which complaint, which endpoint. A
citizen reading their own complaint, and an analyst (who is shown no personal data), are not
recorded. Rows are only ever added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg_pool import ConnectionPool

ACCESS_LOG_SQL = """
CREATE TABLE IF NOT EXISTS sampark.access_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL,
    actor_id text NOT NULL,
    actor_role text NOT NULL,
    complaint_id uuid NOT NULL,
    endpoint text NOT NULL
);
CREATE INDEX IF NOT EXISTS access_log_complaint ON sampark.access_log (complaint_id, at);
CREATE INDEX IF NOT EXISTS access_log_actor ON sampark.access_log (actor_id, at);
"""


@dataclass(frozen=True)
class Look:
    at: datetime
    actor_id: str
    actor_role: str
    complaint_id: UUID
    endpoint: str


class AccessLog:
    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool

    def record(
        self,
        actor_id: str,
        actor_role: str,
        complaints: Iterable[UUID],
        endpoint: str,
        at: datetime,
    ) -> None:
        rows = [(at, actor_id, actor_role, c, endpoint) for c in complaints]
        if not rows:
            return
        with self.pool.connection() as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO sampark.access_log (at, actor_id, actor_role, complaint_id, endpoint) "
                "VALUES (%s, %s, %s, %s, %s)",
                rows,
            )

    def find(
        self,
        *,
        complaint: UUID | None,
        actor: str | None,
        since: datetime | None,
        until: datetime | None,
        limit: int,
    ) -> list[Look]:
        conditions, params = ["true"], []
        for column, op, value in (
            ("complaint_id", "=", complaint),
            ("actor_id", "=", actor),
            ("at", ">=", since),
            ("at", "<", until),
        ):
            if value is not None:
                conditions.append(f"{column} {op} %s")
                params.append(value)
        with self.pool.connection() as conn:
            found = conn.execute(
                "SELECT at, actor_id, actor_role, complaint_id, endpoint FROM sampark.access_log "
                f"WHERE {' AND '.join(conditions)} ORDER BY at DESC, id DESC LIMIT %s",
                [*params, limit],
            ).fetchall()
        return [Look(*r) for r in found]


def migrate(conn: psycopg.Connection[Any]) -> None:
    conn.execute(ACCESS_LOG_SQL)
