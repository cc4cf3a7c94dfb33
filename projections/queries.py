"""The read side's questions: search, one complaint, inboxes and dashboards.

Every query takes the caller's scope as SQL conditions from `scope_conditions`, so a collector
only ever counts its district and a citizen only finds its own complaints.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from domain.permissions import PERMISSIONS, PSEUDONYMOUS, SERVICES, Scope, uses
from domain.values import OPEN_STATUSES, Identity
from projections.rows import COLUMNS, ComplaintRow
from projections.store import LIVE

OPEN = sorted(s.value for s in OPEN_STATUSES)


class OutOfScope(Exception):
    """The caller's role has no view of this question."""


@dataclass(frozen=True)
class Search:
    status: str | None = None
    district: str | None = None
    department: str | None = None
    category: str | None = None
    level: int | None = None
    holder: str | None = None
    priority: str | None = None
    channel: str | None = None
    filed_from: datetime | None = None
    filed_to: datetime | None = None
    overdue: bool | None = None
    words: str | None = None


@dataclass(frozen=True)
class Page:
    rows: list[ComplaintRow]
    next_cursor: str | None


def scope_conditions(
    who: Identity, scope: Scope | None = None
) -> tuple[list[sql.Composable], list[Any]]:
    """What part of the state's complaints the caller may see (`domain/permissions.py`,
    action "see", or the `scope` given), as WHERE conditions."""
    match scope or PERMISSIONS["see"].get(who.role):
        case Scope.OWN_COMPLAINT:
            return [sql.SQL("complainant_mobile = %s")], [who.mobile or ""]
        case Scope.OWN_POST:
            return [sql.SQL("holder = %s")], [who.post or ""]
        case Scope.OFFICE:
            return [sql.SQL("(holder = %s OR (district = %s AND department = %s))")], [
                who.post or "",
                who.district or "",
                who.department or "",
            ]
        case Scope.DISTRICT:
            return [sql.SQL("district = %s")], [who.district or ""]
        case Scope.DEPARTMENT:
            return [sql.SQL("department = %s")], [who.department or ""]
        case Scope.STATE:
            return [], []
    raise OutOfScope(f"a {who.role} has no view of complaints")


def encode_cursor(row: ComplaintRow) -> str:
    raw = json.dumps([row.filed_at.isoformat(), str(row.id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    """The position after which a page starts; ValueError when the cursor is not ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        filed_at, complaint_id = json.loads(raw)
        return datetime.fromisoformat(filed_at), UUID(complaint_id)
    except (ValueError, TypeError) as error:
        raise ValueError("not a cursor this API gave out") from error


@dataclass(frozen=True)
class Attached:
    anywhere: int
    visible: int


class ReadQueries:
    def __init__(self, conn: psycopg.Connection[Any], schema: str = LIVE) -> None:
        self.conn = conn
        self.schema = sql.Identifier(schema)

    def _rows(
        self,
        where: list[sql.Composable],
        params: list[Any],
        tail: sql.Composable,
        tail_params: list[Any],
    ) -> list[ComplaintRow]:
        query = sql.SQL("SELECT {columns} FROM {s}.complaints").format(
            columns=sql.SQL(", ").join(map(sql.Identifier, COLUMNS)), s=self.schema
        )
        if where:
            query += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
        query += tail
        return [ComplaintRow(*r) for r in self.conn.execute(query, [*params, *tail_params])]

    def attached(self, who: Identity, sha256: str) -> Attached:
        """How many complaints carry this file (as filed or as evidence), and how many of
        them `who` may see."""
        refers = sql.SQL(
            "(attachments @> %s::jsonb OR coalesce(evidence, '[]'::jsonb) @> %s::jsonb)"
        )
        file = json.dumps([{"sha256": sha256}])
        query = sql.SQL("SELECT count(*) FROM {s}.complaints WHERE ").format(s=self.schema)
        anywhere = self.conn.execute(query + refers, [file, file]).fetchone()
        try:
            where, params = scope_conditions(who)
        except OutOfScope:
            return Attached(anywhere=int(anywhere[0]) if anywhere else 0, visible=0)
        seen = sql.SQL(" AND ").join([refers, *where])
        visible = self.conn.execute(query + seen, [file, file, *params]).fetchone()
        return Attached(
            anywhere=int(anywhere[0]) if anywhere else 0, visible=int(visible[0]) if visible else 0
        )

    def complaint(
        self, complaint_id: UUID, *, seen_by: Identity | None = None
    ) -> ComplaintRow | None:
        """One complaint's row; with `seen_by`, only if that caller's scope takes it in."""
        where, params = scope_conditions(seen_by) if seen_by else ([], [])
        found = self._rows([sql.SQL("id = %s"), *where], [complaint_id, *params], sql.SQL(""), [])
        return found[0] if found else None

    def search(
        self, who: Identity, search: Search, *, cursor: str | None, limit: int, now: datetime
    ) -> Page:
        where, params = scope_conditions(who)
        if search.words and who.role in PSEUDONYMOUS:
            # Words would find what the text says, which these callers are not shown.
            raise OutOfScope(f"a {who.role} does not search the complaints' text (q)")
        equal = {
            "status": search.status,
            "district": search.district,
            "department": search.department,
            "category": search.category,
            "level": search.level,
            "holder": search.holder,
            "priority": search.priority,
            "channel": search.channel,
        }
        for column, value in equal.items():
            if value is not None:
                where.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
                params.append(value)
        if search.filed_from is not None:
            where.append(sql.SQL("filed_at >= %s"))
            params.append(search.filed_from)
        if search.filed_to is not None:
            where.append(sql.SQL("filed_at < %s"))
            params.append(search.filed_to)
        if search.overdue is not None:
            overdue = sql.SQL("(status = ANY(%s) AND due_at < %s)")
            where.append(overdue if search.overdue else sql.SQL("NOT ") + overdue)
            params += [OPEN, now]
        if search.words:
            where.append(sql.SQL("words @@ plainto_tsquery('simple', %s)"))
            params.append(search.words)
        if cursor is not None:
            filed_at, complaint_id = decode_cursor(cursor)
            where.append(sql.SQL("(filed_at, id) < (%s, %s)"))
            params += [filed_at, complaint_id]
        rows = self._rows(
            where, params, sql.SQL(" ORDER BY filed_at DESC, id DESC LIMIT %s"), [limit + 1]
        )
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(rows=rows, next_cursor=encode_cursor(rows[-1]) if more and rows else None)

    def inbox(self, who: Identity, *, limit: int) -> list[ComplaintRow]:
        """The caller's pending complaints: high priority first, then the nearest deadline."""
        scope = SERVICES["inbox"].get(who.role)
        if scope is None:
            raise OutOfScope(f"a {who.role} has no inbox")
        where, params = scope_conditions(who, scope)
        where.append(sql.SQL("status = ANY(%s)"))
        params.append(OPEN)
        if scope == Scope.STATE:
            where.append(sql.SQL("holder IS NULL"))  # the state-level pool
        return self._rows(
            where,
            params,
            sql.SQL(" ORDER BY (priority = 'high') DESC, due_at ASC NULLS LAST, id LIMIT %s"),
            [limit],
        )

    # --- dashboards ---------------------------------------------------------------------

    def dashboard(
        self, who: Identity, by: str, first: date, last: date, now: datetime
    ) -> list[dict[str, Any]]:
        """Figures per district, per department or per day, for the days first..last."""
        key = {"district": "district", "department": "department", "day": "day"}[by]
        if not uses(who, "dashboards"):
            raise OutOfScope(f"a {who.role} has no dashboards")
        where, params = scope_conditions(who)
        scope = sql.SQL(" AND ").join(where) if where else sql.SQL("TRUE")
        counts = self._grouped(
            sql.SQL(
                "SELECT {key} AS key, sum(registered) AS registered, sum(resolved) AS disposed, "
                "sum(resolved_relief) AS relief, sum(feedback_satisfied) AS satisfied, "
                "sum(feedback_not_satisfied) AS not_satisfied, sum(escalated_l2) AS l2, "
                "sum(escalated_l3) AS l3, sum(escalated_l4) AS l4 FROM {s}.daily_counts "
                "WHERE day BETWEEN %s AND %s AND {scope} GROUP BY 1"
            ).format(key=sql.Identifier(key), s=self.schema, scope=scope),
            [first, last, *params],
        )
        days = self._grouped(
            sql.SQL(
                "SELECT {key} AS key, avg(days) AS average, "
                "percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median "
                "FROM {s}.disposals WHERE day BETWEEN %s AND %s AND {scope} GROUP BY 1"
            ).format(key=sql.Identifier(key), s=self.schema, scope=scope),
            [first, last, *params],
        )
        pending: dict[Any, dict[str, Any]] = {}
        if by != "day":
            pending = self._grouped(
                sql.SQL(
                    "SELECT {key} AS key, count(*) AS pending, "
                    "count(*) FILTER (WHERE due_at < %s) AS beyond_deadline, "
                    "count(*) FILTER (WHERE %s - filed_at <= interval '7 days') AS age_0_7, "
                    "count(*) FILTER (WHERE %s - filed_at > interval '7 days' "
                    "  AND %s - filed_at <= interval '15 days') AS age_8_15, "
                    "count(*) FILTER (WHERE %s - filed_at > interval '15 days' "
                    "  AND %s - filed_at <= interval '30 days') AS age_16_30, "
                    "count(*) FILTER (WHERE %s - filed_at > interval '30 days') AS age_over_30 "
                    "FROM {s}.complaints WHERE status = ANY(%s) AND {scope} GROUP BY 1"
                ).format(key=sql.Identifier(key), s=self.schema, scope=scope),
                [now] * 7 + [OPEN, *params],
            )
        return [
            _figures(k, counts.get(k, {}), days.get(k, {}), pending.get(k, {}), by != "day")
            for k in sorted(set(counts) | set(days) | set(pending))
        ]

    def _grouped(self, query: sql.Composed, params: list[Any]) -> dict[Any, dict[str, Any]]:
        with self.conn.cursor(row_factory=dict_row) as cur:
            return {r["key"]: r for r in cur.execute(query, params)}


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _figures(
    key: Any, c: dict[str, Any], d: dict[str, Any], p: dict[str, Any], with_pending: bool
) -> dict[str, Any]:
    disposed = int(c.get("disposed") or 0)
    satisfied = int(c.get("satisfied") or 0)
    answered = satisfied + int(c.get("not_satisfied") or 0)
    figures: dict[str, Any] = {
        "key": key.isoformat() if isinstance(key, date) else key,
        "registered": int(c.get("registered") or 0),
        "disposed": disposed,
        "relief_pct": _share(int(c.get("relief") or 0), disposed),
        "satisfaction_pct": _share(satisfied, answered),
        "average_days_to_dispose": round(float(d["average"]), 2) if d.get("average") else None,
        "median_days_to_dispose": round(float(d["median"]), 2) if d.get("median") else None,
        "escalations": {f"l{n}": int(c.get(f"l{n}") or 0) for n in (2, 3, 4)},
    }
    if with_pending:
        figures["pending"] = int(p.get("pending") or 0)
        figures["pending_beyond_deadline"] = int(p.get("beyond_deadline") or 0)
        figures["pending_by_age"] = {
            band: int(p.get(f"age_{band}") or 0) for band in ("0_7", "8_15", "16_30", "over_30")
        }
    return figures
