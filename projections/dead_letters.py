"""Dead letters: the records a consumer could not apply, set aside so its partition goes on.

A record is set aside when it cannot be decoded (an envelope or an event that is not what
its class says, an unknown event class) or applying it raises; the rest of its batch is
applied all the same. Its complaint then stops where it was: every later record of that
complaint is set aside behind it (`held`), in order, so no event is ever applied over a
missing one. `sampark projections retry-dead` replays them after a fix.

The table lives in the `sampark` schema, which a rebuild of the read models never touches,
and is keyed by consumer group: the read models and the notifications each have their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg

from projections.safe import CODE_LIMIT, TEXT_LIMIT, safe_text

FAILED, HELD = "failed", "held"


@dataclass(frozen=True)
class Letter:
    """A record set aside: where it was on the topic, what it is, and its bytes."""

    topic: str
    relay_epoch: int
    partition: int
    offset: int
    complaint_id: UUID | None
    complaint_version: int | None
    event_type: str | None
    record: bytes
    id: int | None = None
    attempts: int = 0

    @property
    def key(self) -> str:
        if self.complaint_id is not None and self.complaint_version is not None:
            return f"{self.complaint_id}/{self.complaint_version}"
        return f"{self.relay_epoch}/{self.partition}/{self.offset}"

    @property
    def place(self) -> str:
        return f"{self.topic}/{self.partition}@{self.offset} (epoch {self.relay_epoch})"

    def describe(self) -> str:
        what = self.event_type or "record"
        whose = (
            f" of complaint {self.complaint_id} (version {self.complaint_version})"
            if self.complaint_id
            else ""
        )
        return f"{what}{whose} at {self.place}"


def error_text(error: BaseException) -> str:
    return safe_text(f"{type(error).__name__}: {error}", 2_000)


class DeadLetters:
    """One consumer group's dead letters, used inside the caller's transaction."""

    def __init__(self, conn: psycopg.Connection[Any], group: str) -> None:
        self.conn = conn
        self.group = group

    def set_aside(self, letter: Letter, kind: str, error: str, at: datetime | None = None) -> None:
        self.conn.execute(
            "INSERT INTO sampark.dead_letters (consumer_group, key, topic, relay_epoch, "
            'partition, "offset", complaint_id, complaint_version, event_type, kind, error, '
            "record, first_seen, last_tried) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "%s, %s, coalesce(%s, now()), coalesce(%s, now())) "
            "ON CONFLICT (consumer_group, key) DO UPDATE SET topic = excluded.topic, "
            "relay_epoch = excluded.relay_epoch, partition = excluded.partition, "
            '"offset" = excluded."offset", kind = excluded.kind, error = excluded.error, '
            "record = excluded.record, last_tried = excluded.last_tried, "
            "attempts = sampark.dead_letters.attempts + 1",
            (
                self.group,
                letter.key,
                letter.topic,
                letter.relay_epoch,
                letter.partition,
                letter.offset,
                letter.complaint_id,
                letter.complaint_version,
                safe_text(letter.event_type, CODE_LIMIT) if letter.event_type else None,
                kind,
                safe_text(error, TEXT_LIMIT),
                letter.record,
                at,
                at,
            ),
        )

    def held_from(self, complaints: Iterable[UUID]) -> dict[UUID, int]:
        """complaint -> the first version set aside (records after it wait behind it)."""
        wanted = list(set(complaints))
        if not wanted:
            return {}
        found = self.conn.execute(
            "SELECT complaint_id, min(coalesce(complaint_version, 0)) FROM sampark.dead_letters "
            "WHERE consumer_group = %s AND complaint_id = ANY(%s) GROUP BY complaint_id",
            (self.group, wanted),
        ).fetchall()
        return {r[0]: int(r[1]) for r in found}

    def waiting(self) -> list[Letter]:
        """Every letter of this group, in the order to replay them: each complaint's by
        version; those without a complaint first. Locked until the caller commits."""
        found = self.conn.execute(
            'SELECT topic, relay_epoch, partition, "offset", complaint_id, complaint_version, '
            "event_type, record, id, attempts FROM sampark.dead_letters "
            "WHERE consumer_group = %s "
            "ORDER BY complaint_id NULLS FIRST, complaint_version NULLS FIRST, id FOR UPDATE",
            (self.group,),
        ).fetchall()
        return [
            Letter(
                topic=r[0],
                relay_epoch=r[1],
                partition=r[2],
                offset=r[3],
                complaint_id=r[4],
                complaint_version=r[5],
                event_type=r[6],
                record=bytes(r[7]),
                id=r[8],
                attempts=r[9],
            )
            for r in found
        ]

    def remove(self, letter: Letter) -> None:
        self.conn.execute("DELETE FROM sampark.dead_letters WHERE id = %s", (letter.id,))

    def failed_again(self, letter: Letter, kind: str, error: str) -> None:
        self.conn.execute(
            "UPDATE sampark.dead_letters SET kind = %s, error = %s, attempts = attempts + 1, "
            "last_tried = now() WHERE id = %s",
            (kind, safe_text(error, TEXT_LIMIT), letter.id),
        )


def held_error(version: int) -> str:
    return f"held: version {version} of this complaint is a dead letter; it waits behind it"


# --- a consumer failing again and again ---------------------------------------------------


def record_failure(
    conn: psycopg.Connection[Any],
    group: str,
    failures: int,
    repeats: int,
    at_record: str | None,
    error: str,
) -> None:
    conn.execute(
        "INSERT INTO sampark.consumer_failures (consumer_group, failures, repeats, at_record, "
        "error, since, last_failed_at) VALUES (%s, %s, %s, %s, %s, now(), now()) "
        "ON CONFLICT (consumer_group) DO UPDATE SET failures = excluded.failures, "
        "repeats = excluded.repeats, at_record = excluded.at_record, error = excluded.error, "
        "last_failed_at = now(), since = CASE WHEN excluded.failures = 1 THEN now() "
        "ELSE sampark.consumer_failures.since END",
        (group, failures, repeats, at_record, safe_text(error, 2_000)),
    )


def clear_failure(conn: psycopg.Connection[Any], group: str) -> None:
    conn.execute("DELETE FROM sampark.consumer_failures WHERE consumer_group = %s", (group,))
