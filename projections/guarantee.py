"""The Public Services Guarantee Act on the read side (docs/guarantee.md).

Two tables of the read schema: `guarantee_cases`, one row per complaint about a notified
service (the scheduler's scan of stipulated times reads it), and `guarantee_days`, the Act's
figures per district, department and day. Both are written by the projector in the same
transaction as the rest of the batch (`projections/apply.py`), so a rebuild fills them too.

The figures, each counted on the day (in India) the event happened, under the complaint's
district and department then:

| figure | counts |
| --- | --- |
| `filed` | complaints filed about a notified service |
| `lapsed` | stipulated times that passed with the complaint undisposed |
| `first_appeals`, `second_appeals` | appeals received |
| `first_decided`, `second_decided` | appeals decided |
| `penalties`, `penalty_rupees` | penalties imposed, and their sum in rupees |
| `revisions` | revisions sought by officers penalised |

A case's `posts` are those the Act brought the complaint before (each appeal's post, the post
fined): their officers see the complaint (`projections/queries.py` scope_conditions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from domain import guarantee
from domain.events import (
    Filed,
    FirstAppealDecided,
    FirstAppealFiled,
    PenaltyImposed,
    RevisionSought,
    SecondAppealDecided,
    SecondAppealFiled,
    StipulatedTimePassed,
)
from domain.permissions import SERVICES, Scope
from domain.values import Identity
from projections.rows import ComplaintRow, day_in_india
from projections.safe import CODE_LIMIT, safe_text

FIGURES = (
    "filed",
    "lapsed",
    "first_appeals",
    "first_decided",
    "second_appeals",
    "second_decided",
    "penalties",
    "penalty_rupees",
    "revisions",
)
OPEN = "c.status IN ('unassigned', 'assigned', 'reopened')"
PAGE = 500
# A post the Act brought the complaint before, added to its `posts` once (a second copy of
# the event, or the same post at both stages, adds nothing).
CONCERNS = "posts = CASE WHEN %s = ANY(posts) THEN posts ELSE posts || %s::text END"
Key = tuple[datetime, UUID]


def _code(value: str) -> str:
    return safe_text(value, CODE_LIMIT)


def counts(event: object) -> dict[str, int]:
    """What `event` adds to the Act's figures (nothing for any other event)."""
    match event:
        case Filed():
            return {"filed": 1} if event.service is not None else {}
        case StipulatedTimePassed():
            return {"lapsed": 1}
        case FirstAppealFiled():
            return {"first_appeals": 1}
        case FirstAppealDecided():
            return {"first_decided": 1}
        case SecondAppealFiled():
            return {"second_appeals": 1}
        case SecondAppealDecided():
            return {"second_decided": 1}
        case PenaltyImposed():
            return {"penalties": 1, "penalty_rupees": event.amount}
        case RevisionSought():
            return {"revisions": 1}
    return {}


@dataclass
class Changes:
    """What a batch changes in the Act's two tables."""

    cases: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    days: dict[tuple[str, str, date], dict[str, int]] = field(default_factory=dict)

    def add(self, after: ComplaintRow, event: object) -> None:
        counted = counts(event)
        if counted:
            key = (_code(after.district), _code(after.department), day_in_india(event.timestamp))  # type: ignore[attr-defined]
            have = self.days.setdefault(key, {})
            for name, n in counted.items():
                have[name] = have.get(name, 0) + n
        match event:
            case Filed() if event.service is not None:
                claim = event.service
                self.cases.append(
                    (
                        "INSERT INTO {s}.guarantee_cases (id, service, district, department, "
                        "applied_on, due_on, lapses_at) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                        "ON CONFLICT (id) DO NOTHING",
                        (
                            after.id,
                            _code(claim.service),
                            _code(after.district),
                            _code(after.department),
                            claim.applied_on,
                            claim.due_on,
                            guarantee.lapses_at(claim),
                        ),
                    )
                )
            case StipulatedTimePassed():
                self._set(after.id, "lapsed_at = %s", event.timestamp)
            case FirstAppealFiled() | SecondAppealFiled():
                self._set(
                    after.id,
                    "appeal_post = %s, appeal_stage = %s, appeal_decide_by = %s, " + CONCERNS,
                    _code(event.post),
                    1 if isinstance(event, FirstAppealFiled) else 2,
                    event.decide_by,
                    _code(event.post),
                    _code(event.post),
                )
            case FirstAppealDecided() | SecondAppealDecided():
                self._set(
                    after.id, "appeal_post = NULL, appeal_stage = NULL, appeal_decide_by = NULL"
                )
            case PenaltyImposed():
                self._set(
                    after.id,
                    "penalty_amount = %s, " + CONCERNS,
                    event.amount,
                    _code(event.post),
                    _code(event.post),
                )

    def _set(self, complaint: UUID, assignments: str, *values: Any) -> None:
        self.cases.append(
            (f"UPDATE {{s}}.guarantee_cases SET {assignments} WHERE id = %s", (*values, complaint))
        )

    def save(self, conn: psycopg.Connection[Any], schema: sql.Identifier) -> None:
        with conn.cursor() as cur:
            for statement, params in self.cases:
                cur.execute(sql.SQL(statement).format(s=schema), params)  # type: ignore[arg-type]
            if not self.days:
                return
            names = sql.SQL(", ").join(map(sql.Identifier, FIGURES))
            added = sql.SQL(", ").join(
                sql.SQL("{c} = {s}.guarantee_days.{c} + excluded.{c}").format(
                    c=sql.Identifier(name), s=schema
                )
                for name in FIGURES
            )
            query = sql.SQL(
                "INSERT INTO {s}.guarantee_days (district, department, day, {names}) "
                "VALUES (%s, %s, %s, {values}) "
                "ON CONFLICT (department, day, district) DO UPDATE SET {added}"
            ).format(
                s=schema,
                names=names,
                values=sql.SQL(", ").join(sql.Placeholder() * len(FIGURES)),
                added=added,
            )
            cur.executemany(
                query,
                [
                    (*key, *(counted.get(name, 0) for name in FIGURES))
                    for key, counted in sorted(self.days.items())
                ],
            )


# --- reads ------------------------------------------------------------------------------


def lapsing(conn: psycopg.Connection[Any], now: datetime, after: Key | None = None) -> list[Key]:
    """Open complaints about a notified service whose stipulated time is over, not yet
    recorded as passed: a page, in the order of their lapsing."""
    query = (
        "SELECT g.lapses_at, g.id FROM read.guarantee_cases g JOIN read.complaints c "
        f"ON c.id = g.id WHERE g.lapsed_at IS NULL AND g.lapses_at <= %s AND {OPEN}"
    )
    params: list[Any] = [now]
    if after is not None:
        query += " AND (g.lapses_at, g.id) > (%s, %s)"
        params += list(after)
    query += " ORDER BY g.lapses_at, g.id LIMIT %s"
    return [(r[0], r[1]) for r in conn.execute(query.encode(), [*params, PAGE])]


@dataclass(frozen=True)
class Figures:
    """The Act's figures over a span of days."""

    filed: int = 0
    lapsed: int = 0
    first_appeals: int = 0
    first_decided: int = 0
    second_appeals: int = 0
    second_decided: int = 0
    penalties: int = 0
    penalty_rupees: int = 0
    revisions: int = 0

    @property
    def appeals_received(self) -> int:
        return self.first_appeals + self.second_appeals

    @property
    def appeals_decided(self) -> int:
        return self.first_decided + self.second_decided


def figures(
    conn: psycopg.Connection[Any],
    first: date,
    last: date,
    *,
    department: str | None = None,
    district: str | None = None,
) -> Figures:
    """The Act's figures of the days `first` to `last` (in India), for a department and a
    district (None: all)."""
    sums = ", ".join(f"coalesce(sum({name}), 0)" for name in FIGURES)
    found = conn.execute(
        f"SELECT {sums} FROM read.guarantee_days WHERE day BETWEEN %s AND %s "
        "AND (%s::text IS NULL OR department = %s) AND (%s::text IS NULL OR district = %s)",
        (first, last, department, department, district, district),
    ).fetchone()
    assert found is not None
    return Figures(*(int(v) for v in found))


def figures_by_district(
    conn: psycopg.Connection[Any], department: str, first: date, last: date
) -> dict[str, Figures]:
    sums = ", ".join(f"sum({name})" for name in FIGURES)
    found = conn.execute(
        f"SELECT district, {sums} FROM read.guarantee_days WHERE department = %s "
        "AND day BETWEEN %s AND %s GROUP BY district ORDER BY district",
        (department, first, last),
    ).fetchall()
    return {r[0]: Figures(*(int(v) for v in r[1:])) for r in found}


@dataclass(frozen=True)
class PendingAppeal:
    complaint_id: UUID
    registration_no: str
    district: str
    department: str
    service: str
    stage: int
    post: str
    decide_by: datetime


def pending_appeals(
    conn: psycopg.Connection[Any], who: Identity, limit: int
) -> list[PendingAppeal]:
    """The appeals under the Act awaiting a decision within what `who` may list
    (`appeals_pending` in `domain/permissions.py`): an officer's before its own post; a
    collector's in its district; a head's or secretary's in its department; the state's.
    Those to be decided soonest first."""
    scope = SERVICES["appeals_pending"][who.role]
    condition, params = {
        Scope.OWN_POST: ("g.appeal_post = %s", [who.post]),
        Scope.DISTRICT: ("g.district = %s", [who.district]),
        Scope.DEPARTMENT: ("g.department = %s", [who.department]),
        Scope.STATE: ("TRUE", []),
    }[scope]
    rows = conn.execute(
        "SELECT g.id, c.registration_no, g.district, g.department, g.service, g.appeal_stage, "
        "g.appeal_post, g.appeal_decide_by FROM read.guarantee_cases g JOIN read.complaints c "
        f"ON c.id = g.id WHERE g.appeal_post IS NOT NULL AND {condition} "
        "ORDER BY g.appeal_decide_by, g.id LIMIT %s",
        [*params, limit],
    ).fetchall()
    return [PendingAppeal(*row) for row in rows]
