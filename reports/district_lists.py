"""What a collector's meeting goes through beyond the figures: the district's pending
complaints that crossed departments (transferred at least once), and the oldest pending.

Read from `read.complaints` (docs/read-models.md), within one district, which the caller's
scope has already allowed (the pack asks the dashboards first). Registration numbers, places
and posts only: no personal data, no free text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from domain.values import HIGH_PRIORITY_CHANNELS
from projections.store import LIVE

PENDING = ("unassigned", "assigned", "reopened")
OLDEST = 15


@dataclass(frozen=True)
class Pending:
    registration_no: str
    department: str
    category: str
    filed_at: datetime
    level: int
    holder: str | None
    cmo_vip: bool
    transfers: int


def transferred_pending(conn: psycopg.Connection[Any], district: str) -> dict[str, int]:
    """Per department: its pending complaints in `district` transferred at least once."""
    rows = conn.execute(
        f"SELECT department, count(*) FROM {LIVE}.complaints "
        "WHERE district = %s AND status = ANY(%s) AND transfer_count > 0 GROUP BY department",
        (district, list(PENDING)),
    ).fetchall()
    return {department: int(count) for department, count in rows}


def oldest_pending(
    conn: psycopg.Connection[Any], district: str, limit: int = OLDEST
) -> list[Pending]:
    """The district's `limit` longest pending complaints, oldest first."""
    rows = conn.execute(
        "SELECT registration_no, department, category, filed_at, level, holder, "
        "channel = ANY(%s), transfer_count "
        f"FROM {LIVE}.complaints WHERE district = %s AND status = ANY(%s) "
        "ORDER BY filed_at, registration_no LIMIT %s",
        (sorted(HIGH_PRIORITY_CHANNELS), district, list(PENDING), limit),
    ).fetchall()
    return [Pending(*row) for row in rows]
