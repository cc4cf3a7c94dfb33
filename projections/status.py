"""How far behind the event store the read side is: relay and projector lag."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
import psycopg

from infra import kafka
from projections.relay import EVENTS_TABLE
from projections.store import LIVE


class _Stamp(msgspec.Struct, forbid_unknown_fields=False):
    timestamp: datetime


def _seconds(now: datetime, then: datetime | None) -> float:
    return round(max(0.0, (now - then).total_seconds()), 3) if then else 0.0


def pipeline_status(
    conn: psycopg.Connection[Any], bootstrap: str | None, topic: str, group: str, now: datetime
) -> dict[str, Any]:
    head = conn.execute(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}").fetchone()
    relay = (
        conn.execute(
            "SELECT position, epoch, updated_at FROM sampark.relay_state WHERE topic = %s", (topic,)
        ).fetchone()
        if _exists(conn, "sampark.relay_state")
        else None
    )
    position = relay[0] if relay else 0
    behind = conn.execute(
        f"SELECT count(*), min(notification_id) FROM {EVENTS_TABLE} WHERE notification_id > %s",
        (position,),
    ).fetchone()
    assert head is not None and behind is not None
    oldest = None
    if behind[1] is not None:
        state = conn.execute(
            f"SELECT state FROM {EVENTS_TABLE} WHERE notification_id = %s", (behind[1],)
        ).fetchone()
        oldest = msgspec.json.decode(bytes(state[0]), type=_Stamp).timestamp if state else None

    stored = (
        conn.execute(
            f"SELECT partition, next_offset, last_event_time FROM {LIVE}.offsets "
            "WHERE consumer_group = %s AND topic = %s",
            (group, topic),
        ).fetchall()
        if _exists(conn, f"{LIVE}.offsets")
        else []
    )
    ends: dict[int, int] = {}
    if bootstrap:
        try:
            ends = kafka.end_offsets(bootstrap, topic)
        except Exception:  # the broker is down: say so, with what PostgreSQL knows
            ends = {}
    partitions = []
    lag_seconds = 0.0
    for partition in sorted(set(ends) | {p for p, _, _ in stored}):
        applied = next(((o, t) for p, o, t in stored if p == partition), (0, None))
        end = ends.get(partition)
        lag = max(0, end - applied[0]) if end is not None else None
        if lag:
            lag_seconds = max(lag_seconds, _seconds(now, applied[1]))
        partitions.append({"partition": partition, "applied": applied[0], "end": end, "lag": lag})
    gaps = (
        conn.execute(f"SELECT count(*) FROM {LIVE}.gaps").fetchone()
        if _exists(conn, f"{LIVE}.gaps")
        else (0,)
    )
    return {
        "event_store_head": head[0],
        "relay": {
            "position": position,
            "epoch": relay[1] if relay else None,
            "lag_events": behind[0],
            "lag_seconds": _seconds(now, oldest),
        },
        "projector": {
            "group": group,
            "topic": topic,
            "broker_reachable": bool(ends) if bootstrap else None,
            "partitions": partitions,
            "lag_events": sum(p["lag"] or 0 for p in partitions),
            "lag_seconds": lag_seconds,
            "gaps": gaps[0] if gaps else 0,
        },
    }


def _exists(conn: psycopg.Connection[Any], table: str) -> bool:
    found = conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()
    return found is not None and found[0] is not None
