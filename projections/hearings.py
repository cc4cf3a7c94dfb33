"""Hearings in the read models (docs/hearings.md): a row per hearing, and a Rajasthan Sampark
Diwas' list for a district and day, in the order its complaints were listed.

`HearingScheduled` fills where and when; `HearingHeld` fills what came of it. Each writes only
its own columns (an upsert), so a replay or a rebuild in any batch sizes leaves the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from domain.events import HearingHeld, HearingScheduled
from projections.rows import ComplaintRow
from projections.store import LIVE

SCHEDULED = (
    "registration_no",
    "district",
    "department",
    "subject",
    "scheduled_at",
    "scheduled_by_role",
    "hearing_on",
    "post",
    "mode",
    "diwas",
)
HELD = ("attended", "directions", "recorded_at")


@dataclass(frozen=True)
class HearingChange:
    complaint_id: UUID
    number: int
    columns: tuple[str, ...]
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Listed:
    """One complaint on a Sampark Diwas' list."""

    turn: int
    complaint_id: UUID
    registration_no: str
    department: str
    subject: str
    listed_at: datetime
    listed_by_role: str
    post: str
    mode: str
    attended: bool | None
    directions: str | None
    recorded_at: datetime | None


def changes(after: ComplaintRow, event: object) -> list[HearingChange]:
    """What `event` (applied to `after`) writes to `read.hearings`."""
    complaint: UUID = event.originator_id  # type: ignore[attr-defined]
    at: datetime = event.timestamp  # type: ignore[attr-defined]
    match event:
        case HearingScheduled():
            values = (
                after.registration_no,
                after.district,
                after.department,
                after.subject,
                at,
                str(event.actor.role),
                event.on,
                event.post,
                str(event.mode),
                event.diwas,
            )
            return [HearingChange(complaint, event.number, SCHEDULED, values)]
        case HearingHeld():
            held = (event.attended, event.directions, at)
            return [HearingChange(complaint, event.number, HELD, held)]
    return []


def save(
    conn: psycopg.Connection[Any], found: Sequence[HearingChange], schema: sql.Identifier
) -> None:
    table = sql.SQL("{}.hearings").format(schema)
    with conn.cursor() as cur:
        for columns in (SCHEDULED, HELD):
            rows = [
                (c.complaint_id, c.number, *c.values)
                for c in sorted(found, key=lambda c: (c.complaint_id, c.number))
                if c.columns == columns
            ]
            if not rows:
                continue
            names = sql.SQL(", ").join(map(sql.Identifier, columns))
            marks = sql.SQL(", ").join(sql.Placeholder() * (len(columns) + 2))
            updates = sql.SQL(", ").join(
                sql.SQL("{c} = excluded.{c}").format(c=sql.Identifier(c)) for c in columns
            )
            cur.executemany(
                sql.SQL(
                    "INSERT INTO {t} (complaint_id, number, {names}) VALUES ({marks}) "
                    "ON CONFLICT (complaint_id, number) DO UPDATE SET {updates}"
                ).format(t=table, names=names, marks=marks, updates=updates),
                rows,
            )


def diwas_list(
    conn: psycopg.Connection[Any], district: str, day: date, schema: str = LIVE
) -> list[Listed]:
    """The complaints listed for `district`'s Sampark Diwas on `day`, in their turn."""
    found = conn.execute(
        sql.SQL(
            "SELECT complaint_id, registration_no, department, subject, scheduled_at, "
            "scheduled_by_role, post, mode, attended, directions, recorded_at FROM {t} "
            "WHERE district = %s AND diwas = %s ORDER BY scheduled_at, complaint_id"
        ).format(t=sql.Identifier(schema, "hearings")),
        (district, day),
    ).fetchall()
    return [Listed(turn, *row) for turn, row in enumerate(found, start=1)]
