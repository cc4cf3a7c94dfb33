"""The figures of the clock that waits (docs/hearings.md): questions asked of complainants,
answered, lapsed, interim replies, and the time the clocks stood still, per district x
department and day; kept apart from the flows of `read.flows`, so the Sampark deadline
figures (pending, beyond deadline) are not changed by them.

A wait's paused time is counted on the day it ends (answered, or lapsed and disposed of).
While a complaint waits it cannot move to another district or department, so asked -
answered - lapsed up to a day is the number waiting at that day's end. The oracle
(`projections/oracle.py`, `waiting`) computes the same by folding every complaint's events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from domain.events import (
    ClarificationAnswered,
    ClarificationLapsed,
    ClarificationSought,
    InterimReplied,
)
from projections.figures import FigureScope
from projections.rows import ComplaintRow, cell, day_in_india
from projections.store import LIVE

COUNTERS = ("asked", "answered", "lapsed", "paused_seconds", "interim_replies")


@dataclass(frozen=True)
class WaitingTally:
    district: str
    department: str
    day: date
    counts: tuple[int, int, int, int, int]  # in the order of COUNTERS


@dataclass(frozen=True)
class WaitingFigures:
    """A scope's figures over a window of days."""

    asked: int = 0  # questions asked of complainants in the window
    answered: int = 0  # answers received in the window
    lapsed: int = 0  # waits ended unanswered (the complaint disposed of as such)
    paused_seconds: int = 0  # time the clocks stood still, of the waits ended in the window
    interim_replies: int = 0
    waiting_at_end: int = 0  # complaints waiting for their complainant at the window's end


def tallies(after: ComplaintRow, event: object) -> list[WaitingTally]:
    """What `event` (already applied to `after`) adds to `read.waiting`."""
    match event:
        case ClarificationSought():
            counts = (1, 0, 0, 0, 0)
        case ClarificationAnswered():
            counts = (0, 1, 0, event.paused_seconds, 0)
        case ClarificationLapsed():
            counts = (0, 0, 1, event.paused_seconds, 0)
        case InterimReplied():
            counts = (0, 0, 0, 0, 1)
        case _:
            return []
    district, department, _ = cell(after)
    at = event.timestamp  # type: ignore[attr-defined]
    return [WaitingTally(district, department, day_in_india(at), counts)]


def save(
    conn: psycopg.Connection[Any], found: Sequence[WaitingTally], schema: sql.Identifier
) -> None:
    """Add the tallies to `schema`'s table, summed per cell and day first (one statement)."""
    if not found:
        return
    table = sql.SQL("{}.waiting").format(schema)
    summed: dict[tuple[str, str, date], list[int]] = {}
    for t in found:
        into = summed.setdefault((t.district, t.department, t.day), [0] * len(COUNTERS))
        for i, n in enumerate(t.counts):
            into[i] += n
    columns = sql.SQL(", ").join(map(sql.Identifier, COUNTERS))
    added = sql.SQL(", ").join(
        sql.SQL("{c} = {t}.{c} + excluded.{c}").format(c=sql.Identifier(c), t=table)
        for c in COUNTERS
    )
    query = sql.SQL(
        "INSERT INTO {t} (district, department, day, {columns}) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (district, department, day) DO UPDATE SET {added}"
    ).format(t=table, columns=columns, added=added)
    with conn.cursor() as cur:
        cur.executemany(query, [(*key, *counts) for key, counts in sorted(summed.items())])


def figures(
    conn: psycopg.Connection[Any],
    scope: FigureScope,
    first: date,
    last: date,
    schema: str = LIVE,
) -> WaitingFigures:
    """The scope's waiting figures for the days first..last (a post's scope is not kept:
    the waits are counted per district x department)."""
    if scope.post is not None:
        raise ValueError("the waiting figures are kept per district and department, not post")
    where = [sql.SQL("day <= %(last)s")]
    if scope.district is not None:
        where.append(sql.SQL("district = %(district)s"))
    if scope.department is not None:
        where.append(sql.SQL("department = %(department)s"))
    sums = sql.SQL(", ").join(
        sql.SQL("coalesce(sum({c}) FILTER (WHERE day >= %(first)s), 0)").format(c=sql.Identifier(c))
        for c in COUNTERS
    )
    query = sql.SQL(
        "SELECT {sums}, coalesce(sum(asked - answered - lapsed), 0) FROM {t} WHERE {where}"
    ).format(sums=sums, t=sql.Identifier(schema, "waiting"), where=sql.SQL(" AND ").join(where))
    params = {
        "first": first,
        "last": last,
        "district": scope.district,
        "department": scope.department,
    }
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return WaitingFigures(*(int(v) for v in row))
