"""Who looked: every read of complaints' personal data by staff, kept for the auditors.

One row per complaint shown: who (id and role), when, which complaint, which endpoint. A
citizen reading their own complaint, and an analyst (who is shown no personal data), are not
recorded. Rows are only ever added.

A read that shows one complaint records its look in the statement that reads it
(`shown_and_looked`): the row, the caller's scope and the entry are one round trip,
committed asynchronously before the answer is sent (docs/security.md, "Who looked").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg_pool import ConnectionPool

from infra import cursors


@dataclass(frozen=True)
class Look:
    at: datetime
    actor_id: str
    actor_role: str
    complaint_id: UUID
    endpoint: str


@dataclass(frozen=True)
class Looker:
    """Staff about to be shown complaints: the entry each complaint shown is recorded with."""

    actor_id: str
    actor_role: str
    endpoint: str
    at: datetime


def shown_and_looked(shown: sql.Composable) -> sql.Composed:
    """`shown` (a SELECT of complaints' rows, with their `id` and `version` columns) as one
    statement that also records a look at each row it returns whose version is at least
    the one waited for: no row shown, no entry. Its parameters are `shown`'s and then
    `looked_params`'. The statement's own transaction commits asynchronously
    (`synchronous_commit` off for it alone): an entry is lost only if PostgreSQL itself
    crashes before its WAL writer flushes it."""
    return sql.SQL(
        "WITH shown AS ({shown}), looked AS ("
        "INSERT INTO sampark.access_log (at, actor_id, actor_role, complaint_id, endpoint) "
        "SELECT %s, %s, %s, shown.id, %s FROM shown WHERE shown.version >= %s "
        "AND set_config('synchronous_commit', 'off', true) = 'off') "
        "SELECT * FROM shown"
    ).format(shown=shown)


def looked_params(shown: list[Any], looker: Looker, *, min_version: int = 0) -> list[Any]:
    """The parameters of `shown_and_looked(shown)`, after those of `shown`."""
    entry = [looker.at, looker.actor_id, looker.actor_role, looker.endpoint, min_version]
    return [*shown, *entry]


@dataclass(frozen=True)
class Looks:
    looks: list[Look]
    next_cursor: str | None


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
        cursor: str | None,
        limit: int,
    ) -> Looks:
        """The looks that match, newest first: the page of `limit` after `cursor`
        (`infra/cursors.py`; ValueError when it is not one `find` gave out)."""
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
        if cursor is not None:
            conditions.append("(at, id) < (%s, %s)")
            params += cursors.decode(cursor, cursors.moment, cursors.number)
        with self.pool.connection() as conn:
            found = conn.execute(
                "SELECT at, actor_id, actor_role, complaint_id, endpoint, id "
                f"FROM sampark.access_log WHERE {' AND '.join(conditions)} "
                "ORDER BY at DESC, id DESC LIMIT %s",
                [*params, limit + 1],
            ).fetchall()
        page = found[:limit]
        after = cursors.encode(page[-1][0], page[-1][5]) if len(found) > limit else None
        return Looks(looks=[Look(*r[:5]) for r in page], next_cursor=after)
