"""What the scheduler should look at, from the read models' partial indexes.

These are suggestions only: each one becomes a command the complaint decides on against its
own state, so a stale row can never cause a wrong move. Lists come in keyset pages (by time,
then id), so a row the command leaves unchanged (the read model is behind) is not offered
again within the same scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from domain.deadlines import WARNING_SHARE
from projections.store import LIVE

OPEN = "status IN ('unassigned', 'assigned', 'reopened')"
PAGE = 500
Key = tuple[datetime, UUID]  # a place in a list: (time, id)


@dataclass(frozen=True)
class Gap:
    """Complaints held back because the next post of their chain is missing or vacant."""

    department: str
    district: str
    level: int
    post: str | None
    reason: str
    complaints: int
    oldest_missed_due_at: datetime
    registration_nos: list[str]  # the first few, oldest first


@dataclass(frozen=True)
class Pool:
    """Open complaints no post holds (no route, or sent back to the pool), by place."""

    department: str
    district: str
    complaints: int
    oldest_filed_at: datetime
    registration_nos: list[str]  # the first few, oldest first


@dataclass(frozen=True)
class ReviewLine:
    complaint_id: UUID
    registration_no: str
    rank: int | None
    status: str
    level: int
    priority: str
    due_at: datetime | None
    subject: str
    district: str
    queued_at: datetime | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    note: str | None


class Agenda:
    def __init__(self, conn: psycopg.Connection[Any], schema: str = LIVE) -> None:
        self.conn = conn
        self.schema = sql.Identifier(schema)

    def _ids(self, condition: str, params: list[Any], key: str, after: Key | None) -> list[Key]:
        page: sql.Composable = sql.SQL("")
        if after is not None:
            page = sql.SQL(" AND ({k}, id) > (%s, %s)").format(k=sql.Identifier(key))
            params = [*params, *after]
        query = (
            sql.SQL("SELECT {k}, id FROM {s}.complaints WHERE ").format(
                k=sql.Identifier(key), s=self.schema
            )
            + sql.SQL(condition)
            + page
            + sql.SQL(" ORDER BY {k}, id LIMIT %s").format(k=sql.Identifier(key))
        )
        return [(r[0], r[1]) for r in self.conn.execute(query, [*params, PAGE])]

    def past_due(self, now: datetime, after: Key | None = None) -> list[Key]:
        """Open complaints whose deadline has passed and not yet been found unmovable."""
        return self._ids(
            f"{OPEN} AND stalled_due_at IS DISTINCT FROM due_at AND due_at <= %s",
            [now],
            "due_at",
            after,
        )

    def nearing_due(self, now: datetime, lead: timedelta, after: Key | None = None) -> list[Key]:
        """Open complaints due within their warning lead whose holder has not been warned of
        it. The lead is `lead` capped at a share of the time allowed (`warning_lead`); the
        row does not keep when its deadline was set, so filing is taken: exact for a
        deadline set at filing, and a later deadline may be offered early, to be refused."""
        return self._ids(
            f"{OPEN} AND warned_due_at IS DISTINCT FROM due_at AND due_at > %s AND due_at <= %s "
            "AND due_at - LEAST(%s, (due_at - filed_at) * %s) <= %s",
            [now, now + lead, lead, WARNING_SHARE, now],
            "due_at",
            after,
        )

    def feedback_window_over(self, now: datetime, after: Key | None = None) -> list[Key]:
        return self._ids(
            "status = 'resolved' AND feedback_until <= %s", [now], "feedback_until", after
        )

    def blocked(self) -> list[UUID]:
        """Complaints whose climb waits on a directory gap (tried again when it changes)."""
        query = sql.SQL(
            "SELECT id FROM {s}.complaints WHERE " + OPEN + " AND "
            "stalled_due_at = due_at AND gap_level IS NOT NULL ORDER BY due_at, id"
        ).format(s=self.schema)
        return [r[0] for r in self.conn.execute(query)]

    def gaps(self) -> list[Gap]:
        query = sql.SQL(
            "SELECT department, district, gap_level, gap_post, gap_reason, count(*), "
            "min(due_at), (array_agg(registration_no ORDER BY due_at, registration_no))[1:10] "
            "FROM {s}.complaints WHERE " + OPEN + " AND "
            "stalled_due_at = due_at AND gap_level IS NOT NULL "
            "GROUP BY department, district, gap_level, gap_post, gap_reason "
            "ORDER BY count(*) DESC, department, district"
        ).format(s=self.schema)
        return [Gap(*r) for r in self.conn.execute(query)]

    def unassigned(self) -> list[Pool]:
        """The unassigned pool, by department and district, the largest first."""
        query = sql.SQL(
            "SELECT department, district, count(*), min(filed_at), "
            "(array_agg(registration_no ORDER BY filed_at, registration_no))[1:10] "
            "FROM {s}.complaints WHERE status = 'unassigned' "
            "GROUP BY department, district ORDER BY count(*) DESC, department, district"
        ).format(s=self.schema)
        return [Pool(*r) for r in self.conn.execute(query)]

    def held_by(self, posts: list[str]) -> dict[str, int]:
        """How many open complaints each of `posts` holds (posts holding none are left out)."""
        if not posts:
            return {}
        query = sql.SQL(
            "SELECT holder, count(*) FROM {s}.complaints WHERE " + OPEN + " AND "
            "holder = ANY(%s) GROUP BY holder"
        ).format(s=self.schema)
        return {r[0]: r[1] for r in self.conn.execute(query, (posts,))}

    # --- the secretaries' review ------------------------------------------------------

    def departments_with_pending(self) -> list[str]:
        query = sql.SQL("SELECT DISTINCT department FROM {s}.complaints WHERE " + OPEN).format(
            s=self.schema
        )
        return sorted(r[0] for r in self.conn.execute(query))

    def queued(self, department: str, day: date) -> int:
        query = sql.SQL(
            "SELECT count(*) FROM {s}.reviews WHERE department = %s AND day = %s "
            "AND rank IS NOT NULL"
        ).format(s=self.schema)
        found = self.conn.execute(query, (department, day)).fetchone()
        return int(found[0]) if found else 0

    def most_in_need(self, department: str, day: date, now: datetime, limit: int) -> list[UUID]:
        """Pending complaints not yet on the day's list: overdue first, then high priority,
        then the oldest."""
        query = sql.SQL(
            "SELECT c.id FROM {s}.complaints c WHERE c.department = %s AND "
            + OPEN
            + " AND NOT EXISTS (SELECT 1 FROM {s}.reviews r WHERE r.day = %s "
            "AND r.complaint_id = c.id AND r.rank IS NOT NULL) "
            "ORDER BY (c.due_at <= %s) DESC NULLS LAST, (c.priority = 'high') DESC, "
            "c.filed_at, c.id LIMIT %s"
        ).format(s=self.schema)
        return [r[0] for r in self.conn.execute(query, (department, day, now, limit))]

    def review_list(self, department: str, day: date) -> list[ReviewLine]:
        query = sql.SQL(
            "SELECT c.id, c.registration_no, r.rank, c.status, c.level, c.priority, c.due_at, "
            "c.subject, c.district, r.queued_at, r.reviewed_at, r.reviewed_by, r.note "
            "FROM {s}.reviews r JOIN {s}.complaints c ON c.id = r.complaint_id "
            "WHERE r.department = %s AND r.day = %s "
            "ORDER BY r.rank NULLS LAST, r.reviewed_at, c.id"
        ).format(s=self.schema)
        return [ReviewLine(*r) for r in self.conn.execute(query, (department, day))]
