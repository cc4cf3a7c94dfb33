"""The routing map's health (`docs/assist.md`, "The routing map's health"): for each
district x department x category, how many complaints the map sent somewhere were moved away
by an officer, and where to.

A complaint counts in the cell it was routed in: its filing's, or the helpline desk's choice
(`Triaged`) when the assistant left it for the desk. It is *moved away* when, before anything
else moved it, it was `Transferred` to another department (the category was misfiled: the
destination is the other department's category) or `Assigned` by hand to another post than
the one its route gave it (the destination is that post). Only its first move counts: what
officers did later is about the new place, not the map. A complaint the map sent to the
state-level pool (no route) and that was then assigned by hand is not a correction.

A route change is suggested when one destination takes at least `MAJORITY` of a cell's moves
and at least `ENOUGH` complaints: a post (`set_route`, the directory's own command) or
another department's category (`file_under`: the category belongs elsewhere).

The cost: one SQL pass over the event table picks the complaints with a transfer or a second
assignment, reading only the `topic` column (no event is decoded); only those complaints'
events are decoded and walked, O(moved complaints); each cell's complaints are counted from the
read model in one GROUP BY, each moved complaint's count moved back from where it ended to
where it was routed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import psycopg

from domain.events import Assigned, Filed, Transferred, Triaged
from domain.values import Trigger
from projections.rebuild import decoded_one
from projections.relay import EVENTS_TABLE
from projections.store import LIVE

MAJORITY = 2 / 3  # of a cell's moves going to one destination
ENOUGH = 5  # complaints moved to that destination

TRANSFERRED = f"{Transferred.__module__}:{Transferred.__qualname__}"
ASSIGNED = f"{Assigned.__module__}:{Assigned.__qualname__}"

Cell = tuple[str, str, str]  # district, department, category


@dataclass(frozen=True, order=True)
class Destination:
    kind: str  # "post": assigned by hand to `post`; "category": transferred to it
    department: str
    category: str | None = None
    post: str | None = None


@dataclass(frozen=True)
class Move:
    """One complaint's first move away from where the map sent it."""

    routed: Cell  # where it was routed
    now: Cell  # where it is after all its events
    destination: Destination


@dataclass
class CellHealth:
    district: str
    department: str
    category: str
    routed: int = 0  # complaints routed in this cell
    moved: int = 0
    destinations: Counter[Destination] = field(default_factory=Counter)

    def suggestion(self) -> Destination | None:
        if not self.destinations:
            return None
        best, count = min(self.destinations.items(), key=lambda kv: (-kv[1], kv[0]))
        return best if count >= ENOUGH and count >= MAJORITY * self.moved else None


def first_move(events: Iterable[Any]) -> Move | None:
    """The first move away from the map in one complaint's events (in order), if any."""
    cell: Cell | None = None
    now: Cell | None = None
    mapped: str | None = None
    first: Move | None = None
    for event in events:
        match event:
            case Filed():
                cell = now = (event.district, event.department, event.category)
            case Triaged() if now is not None:
                now = (now[0], event.to_department, event.to_category)
                if first is None:
                    cell, mapped = now, event.holder
            case Assigned() if event.trigger == Trigger.ROUTE and first is None:
                mapped = event.post
            case Assigned() if event.trigger == Trigger.MANUAL and cell is not None:
                if first is None and mapped is not None and event.post != mapped:
                    first = Move(cell, cell, Destination("post", cell[1], post=event.post))
                elif first is None and mapped is None:
                    mapped = event.post  # from the pool: no map to correct
            case Transferred() if now is not None:
                to = Destination("category", event.to_department, event.to_category)
                if first is None and cell is not None:
                    first = Move(cell, cell, to)
                now = (now[0], event.to_department, event.to_category)
            case _:
                pass
    if first is None or now is None:
        return None
    return Move(first.routed, now, first.destination)


def health(cells: dict[Cell, int], moves: Iterable[Move]) -> list[CellHealth]:
    """`cells`: complaints in each cell now (the read model); the cells with a move."""
    routed = Counter(cells)
    found: dict[Cell, CellHealth] = {}
    for move in moves:
        routed[move.now] -= 1
        routed[move.routed] += 1
        h = found.setdefault(move.routed, CellHealth(*move.routed))
        h.moved += 1
        h.destinations[move.destination] += 1
    for cell, h in found.items():
        h.routed = routed[cell]
    return sorted(found.values(), key=lambda h: (-h.moved, h.district, h.department, h.category))


def _moved_complaints(conn: psycopg.Connection[Any]) -> list[UUID]:
    return [
        r[0]
        for r in conn.execute(
            f"SELECT originator_id FROM {EVENTS_TABLE} WHERE topic IN (%s, %s) "
            "GROUP BY originator_id "
            "HAVING count(*) FILTER (WHERE topic = %s) > 0 "
            "OR count(*) FILTER (WHERE topic = %s) > 1",
            (TRANSFERRED, ASSIGNED, TRANSFERRED, ASSIGNED),
        )
    ]


def _streams(conn: psycopg.Connection[Any], ids: list[UUID]) -> Iterator[list[Any]]:
    """Each complaint's decoded events; one with an event that cannot be decoded is walked
    up to it (as the projector keeps it)."""
    rows = conn.execute(
        f"SELECT notification_id, originator_id, originator_version, topic, state "
        f"FROM {EVENTS_TABLE} WHERE originator_id = ANY(%s) "
        "ORDER BY originator_id, originator_version",
        (ids,),
    )
    current: UUID | None = None
    events: list[Any] = []
    broken = False
    for r in rows:
        if r[1] != current:
            if current is not None:
                yield events
            current, events, broken = r[1], [], False
        if broken:
            continue
        try:
            events.append(decoded_one(r))
        except Exception:
            broken = True
    if current is not None:
        yield events


def routing_health(conn: psycopg.Connection[Any]) -> list[CellHealth]:
    ids = _moved_complaints(conn)
    moves = [m for events in _streams(conn, ids) if (m := first_move(events)) is not None]
    cells = {
        (d, dep, cat): n
        for d, dep, cat, n in conn.execute(
            f"SELECT district, department, category, count(*) FROM {LIVE}.complaints "
            "GROUP BY district, department, category"
        )
    }
    return health(cells, moves)
