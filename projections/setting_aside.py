"""Applying a consumer's batch so that no record can stop it, and replaying what was set aside.

A batch is applied in a savepoint; if that fails, record by record, each in its own, and a
record that fails is set aside as a dead letter (`projections/dead_letters.py`) with every
later record of its complaint behind it. Only a failure of the database itself (`TRANSIENT`)
fails the batch. `replay` is what `sampark projections retry-dead` does for one consumer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from infra import locks
from infra.logs import about
from projections import envelope
from projections.apply import TRANSIENT, Applied
from projections.dead_letters import FAILED, HELD, DeadLetters, Letter, error_text, held_error
from projections.relay import EVENTS_TABLE

log = logging.getLogger(__name__)

Project = Callable[[Any, list[Any]], Applied]  # (connection, events) -> what was done
Decode = Callable[[Any, envelope.ComplaintCloudEvent], Any]  # (connection, message) -> event


class NotNext(Exception):
    """Replaying a dead letter would leave a gap: the read model lacks an earlier event."""


@dataclass
class Delivered:
    """A record as it came off the topic: its event, or why it cannot be read."""

    letter: Letter
    event: Any = None
    error: BaseException | None = None


@dataclass
class Retried:
    """What `retry-dead` did with one consumer's dead letters."""

    applied: int = 0  # now applied (or found already applied): removed
    failed: int = 0  # failed again: kept, with the new error
    held: int = 0  # kept behind one of those


def read_claim(conn: Any) -> Callable[[int], bytes]:
    """Reading a claim check's stored state from the event store (`projections/envelope.py`)."""

    def claim(notification_id: int) -> bytes:
        with conn.transaction():  # a savepoint: a failure here fails this record only
            found = conn.execute(
                f"SELECT state FROM {EVENTS_TABLE} WHERE notification_id = %s",
                (notification_id,),
            ).fetchone()
        if found is None:
            raise LookupError(f"notification {notification_id} is not in the event store")
        return bytes(found[0])

    return claim


def apply_or_set_aside(
    conn: Any, group: str, delivered: list[Delivered], project: Project, who: str
) -> Applied:
    """Apply the batch's events; set aside what cannot be read or applied, and every later
    record of its complaint behind it. Runs in the batch's transaction."""
    letters = DeadLetters(conn, group)
    held = letters.held_from(d.letter.complaint_id for d in delivered if d.letter.complaint_id)
    done = Applied()

    def waits(d: Delivered) -> bool:
        first = held.get(d.letter.complaint_id) if d.letter.complaint_id else None
        return first is not None and (d.letter.complaint_version or 0) > first

    def set_aside(d: Delivered, error: BaseException | None) -> None:
        letter = d.letter
        if error is None:
            first = held[letter.complaint_id] if letter.complaint_id else 0
            letters.set_aside(letter, HELD, held_error(first))
        else:
            with about(letter.complaint_id):
                log.error(
                    "%s: set aside %s as a dead letter: %s",
                    who,
                    letter.describe(),
                    error_text(error),
                )
            letters.set_aside(letter, FAILED, error_text(error))
            if letter.complaint_id is not None:
                version = letter.complaint_version or 0
                held[letter.complaint_id] = min(held.get(letter.complaint_id, version), version)
        done.set_aside += 1

    good: list[Delivered] = []
    for d in delivered:
        if waits(d):
            set_aside(d, None)
        elif d.error is not None:
            set_aside(d, d.error)
        else:
            good.append(d)
    try:
        with conn.transaction():
            done += project(conn, [d.event for d in good])
        return done
    except TRANSIENT:
        raise
    except Exception as failed:
        log.warning(
            "%s: a batch of %d failed (%s); applying it record by record",
            who,
            len(good),
            error_text(failed),
        )
    for d in good:
        if waits(d):
            set_aside(d, None)
            continue
        try:
            with conn.transaction():
                done += project(conn, [d.event])
        except TRANSIENT:
            raise
        except Exception as error:
            set_aside(d, error)
    return done


def replay(conn: Any, group: str, decode: Decode, project: Project) -> Retried:
    """Replay a consumer's dead letters, after a fix: those that now apply are removed; those
    that still fail stay, with the new error and one more attempt, and so do the later records
    of their complaint. Holds the lock the batches share, alone, so no batch of this or
    another consumer runs meanwhile."""
    retried = Retried()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (locks.READ_MODELS,))
        letters = DeadLetters(conn, group)
        stuck: dict[UUID, int] = {}
        for letter in letters.waiting():
            if letter.complaint_id is not None and letter.complaint_id in stuck:
                letters.failed_again(letter, HELD, held_error(stuck[letter.complaint_id]))
                retried.held += 1
                continue
            try:
                with conn.transaction():
                    event = decode(conn, envelope.decode(letter.record))
                    done = project(conn, [event])
                    if done.gaps:
                        raise NotNext("the read model lacks an earlier event of it")
            except TRANSIENT:
                raise
            except Exception as error:
                letters.failed_again(letter, FAILED, error_text(error))
                if letter.complaint_id is not None:
                    stuck[letter.complaint_id] = letter.complaint_version or 0
                retried.failed += 1
            else:
                letters.remove(letter)
                retried.applied += 1
    return retried
