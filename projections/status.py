"""How far behind the event store the read side is: relay and projector lag, and the
notifications' consumer and outbox.

The topic's end is taken from what the broker acknowledged to the relay (kept in PostgreSQL
beside its position), not asked of the broker: the relay is the topic's only writer, and
Tansu's ListOffsets answers with the start of the last record batch rather than the log's end.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
import psycopg

from projections.notify.outbox import GROUP as NOTIFICATIONS_GROUP
from projections.notify.outbox import Outbox
from projections.projector import group_for
from projections.relay import EVENTS_TABLE
from projections.store import LIVE


class _Stamp(msgspec.Struct, forbid_unknown_fields=False):
    timestamp: datetime


def _seconds(now: datetime, then: datetime | None) -> float:
    return round(max(0.0, (now - then).total_seconds()), 3) if then else 0.0


def _exists(conn: psycopg.Connection[Any], table: str) -> bool:
    found = conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()
    return found is not None and found[0] is not None


def pipeline_status(
    conn: psycopg.Connection[Any], topic: str, group: str, now: datetime
) -> dict[str, Any]:
    head = conn.execute(f"SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}").fetchone()
    relay = None
    if _exists(conn, "sampark.relay_state"):
        relay = conn.execute(
            "SELECT position, epoch, acked FROM sampark.relay_state WHERE topic = %s", (topic,)
        ).fetchone()
    position, epoch, acked = relay if relay else (0, None, {})
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
        try:
            oldest = msgspec.json.decode(bytes(state[0]), type=_Stamp).timestamp if state else None
        except msgspec.DecodeError:  # a stored event without a readable time
            oldest = None

    base_group = group
    group = group_for(group, epoch or 1)
    stored: dict[int, tuple[int, int, datetime | None]] = {}
    if _exists(conn, f"{LIVE}.offsets"):
        stored = {
            p: (o, e, t)
            for p, o, e, t in conn.execute(
                f"SELECT partition, next_offset, relay_epoch, last_event_time FROM {LIVE}.offsets "
                "WHERE consumer_group = %s AND topic = %s",
                (group, topic),
            )
        }
    partitions = []
    lag_seconds = 0.0
    for partition in sorted({int(p) for p in acked} | set(stored)):
        end = acked[str(partition)] + 1 if str(partition) in acked else 0
        applied, applied_epoch, last_time = stored.get(partition, (0, None, None))
        same_topic = applied_epoch == epoch or end == 0
        lag = max(0, end - applied) if same_topic else None
        if lag or lag is None:
            lag_seconds = max(lag_seconds, _seconds(now, last_time or oldest))
        partitions.append(
            {
                "partition": partition,
                "end": end,
                "applied": applied,
                "lag": lag,
                "projector_epoch": applied_epoch,
            }
        )
    gaps = (
        conn.execute(f"SELECT count(*) FROM {LIVE}.gaps").fetchone()
        if _exists(conn, f"{LIVE}.gaps")
        else (0,)
    )
    unknown = any(p["lag"] is None for p in partitions)
    letters = dead_letters(conn)
    return {
        "event_store_head": head[0],
        "relay": {
            "position": position,
            "epoch": epoch,
            "lag_events": behind[0],
            "lag_seconds": _seconds(now, oldest),
        },
        "projector": {
            "group": group,
            "topic": topic,
            "partitions": partitions,
            "lag_events": None if unknown else sum(p["lag"] for p in partitions),
            "lag_seconds": lag_seconds,
            "gaps": gaps[0] if gaps else 0,
            **consumer_health(conn, base_group, letters),
        },
        "dead_letters": {name: counts["dead_letters"] for name, counts in sorted(letters.items())},
    }


def dead_letters(conn: psycopg.Connection[Any]) -> dict[str, dict[str, int]]:
    """Per consumer group: records set aside (failed, and held behind those)."""
    if not _exists(conn, "sampark.dead_letters"):
        return {}
    found: dict[str, dict[str, int]] = {}
    for group, kind, count in conn.execute(
        "SELECT consumer_group, kind, count(*) FROM sampark.dead_letters GROUP BY 1, 2"
    ):
        counts = found.setdefault(group, {"dead_letters": 0, "failed": 0, "held": 0})
        counts[kind] = count
        counts["dead_letters"] += count
    return found


def consumer_health(
    conn: psycopg.Connection[Any], group: str, letters: dict[str, dict[str, int]]
) -> dict[str, Any]:
    """A consumer's dead letters, and whether it keeps failing (and at which record)."""
    counts = letters.get(group, {"dead_letters": 0, "failed": 0, "held": 0})
    failing = None
    if _exists(conn, "sampark.consumer_failures"):
        row = conn.execute(
            "SELECT failures, repeats, at_record, error, since, last_failed_at "
            "FROM sampark.consumer_failures WHERE consumer_group = %s",
            (group,),
        ).fetchone()
        if row:
            names = ("failures", "repeats", "at_record", "error", "since", "last")
            failing = dict(zip(names, row, strict=True))
    return {
        "dead_letters": counts["dead_letters"],
        "dead_letters_failed": counts["failed"],
        "dead_letters_held": counts["held"],
        "failing": failing,
    }


def notifications_status(
    conn: psycopg.Connection[Any], topic: str, now: datetime
) -> dict[str, Any]:
    """The notifications consumer's lag and failures, the outbox's counts by state (none
    before the notifier has made it), and whether sending is halted and why."""
    consumer = pipeline_status(conn, topic, NOTIFICATIONS_GROUP, now)["projector"]
    outbox = Outbox(conn).status() if _exists(conn, "notify.messages") else None
    halted = [s for s in (outbox or {}).get("senders", []) if s["state"] == "halted"]
    return {
        "consumer": {
            "group": NOTIFICATIONS_GROUP,
            "lag_events": consumer["lag_events"],
            "lag_seconds": consumer["lag_seconds"],
            "dead_letters": consumer["dead_letters"],
            "failing": consumer["failing"],
        },
        "outbox": outbox,
        "sending": "halted" if halted else "running",
        "halted_because": halted[0]["reason"] if halted else None,
    }
