"""The notifications consumer: complaint events in, outbox messages out.

A consumer group of its own on the complaint topic (the projector's machinery: offsets saved
in the same transaction as the outbox rows). Sending is the sender's job
(`projections/notify/delivery.py`); this only decides what to say, once per event.

Each event is decided once. The decision (the messages it makes, maybe none, and why not
more) is recorded in `notify.decided` in the transaction that queues the messages and saves
the offsets; an event met again (a replayed topic, a relay that started over, offsets reset)
finds its decision and makes nothing, even if it would now (a post filled since, a directory
changed since). What it decides:

- events older than `max_age` when they arrive (a consumer started on an old topic, a long
  outage) are not announced: news of last month helps nobody. They are counted as skipped;
- news for the holder (assigned, deadline warning, reminder) is sent only while the event is
  still the complaint's situation: not when a later event of the complaint, in the same batch
  or already in the event store, moved it on (`MOVES_ON`: to another holder or level, or
  disposed of, or closed). A reminder for a complaint closed since, or "now with you" for the
  level-1 officer of a complaint at level 4, tells its reader nothing true. The complainant's
  messages are not held back this way.

What it writes from an event (a number, a registration number, a code in a message) is made
safe first (`projections/safe.py`); an event it still cannot handle is a dead letter of its
own group, as for the projector. Every line logged while deciding an event names its
complaint (`infra.logs.about`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.directory import Directory
from domain.events import (
    Assigned,
    Closed,
    Escalated,
    Filed,
    Followed,
    Linked,
    Reopened,
    Resolved,
    Transferred,
    Triaged,
    Withdrawn,
)
from infra.logs import about
from projections.apply import Applied
from projections.envelope import event_name
from projections.notify.messages import (
    HOLDER,
    PASSED_ON,
    Links,
    Message,
    Recipient,
    first_disposed,
    messages_for,
)
from projections.notify.outbox import GROUP, Decision, Outbox
from projections.projector import Projector
from projections.relay import EVENTS_TABLE
from projections.safe import CODE_LIMIT, safe_text
from projections.store import migrate as migrate_read_models

log = logging.getLogger(__name__)

# The events that move a complaint on: to another holder (or another level, or back to one),
# or out of anyone's hands. After one, what an earlier event told the holder is old news.
MOVES_ON = (Assigned, Triaged, Transferred, Escalated, Reopened, Resolved, Closed, Withdrawn)
_MOVES_ON_NAMES = frozenset(c.__name__ for c in MOVES_ON)


def _code(value: str) -> str:
    return safe_text(value, CODE_LIMIT)


def safe_recipient(r: Recipient) -> Recipient:
    return dataclasses.replace(
        r,
        registration_no=_code(r.registration_no),
        mobile=_code(r.mobile),
        language=_code(r.language),
    )


def safe_message(m: Message) -> Message:
    return dataclasses.replace(
        m,
        mobile=_code(m.mobile),
        language=_code(m.language),
        params=[safe_text(p) for p in m.params],
        text=safe_text(m.text),
    )


class Notifications(Projector):
    def __init__(
        self,
        database_url: str,
        bootstrap: str,
        *,
        directory: Callable[[], Directory],
        links: Links,
        clock: Callable[[], datetime],
        max_age: timedelta = timedelta(hours=72),
        **options: Any,
    ) -> None:
        options.setdefault("group", GROUP)
        super().__init__(database_url, bootstrap, **options)
        self.directory = directory
        self.links = links
        self.clock = clock
        self.max_age = max_age
        self.skipped = 0

    def prepare(self, conn: Any) -> None:
        migrate_read_models(conn)  # the offsets table

    def project(self, conn: Any, events: list[Any]) -> Applied:
        outbox = Outbox(conn)
        for event in events:
            with about(event.originator_id):
                self.remember(conn, outbox, event)
        recipients = outbox.recipients(e.originator_id for e in events)
        linked = linked_to(conn, [e.originator_id for e in events if isinstance(e, Resolved)])
        told = outbox.recipients(c for cs in linked.values() for c in cs)
        moved = moved_on(conn, events)
        directory = self.directory()
        now = self.clock()
        done = Applied()
        for event in events:
            with about(event.originator_id):
                decision = self.decide(event, recipients, moved, directory, now)
                if isinstance(event, Resolved) and decision.note is None:
                    first = recipients.get(event.originator_id)
                    extra = [
                        first_disposed(event, first, told[c], self.links)
                        for c in linked.get(event.originator_id, ())
                        if c in told
                    ]
                    decision = dataclasses.replace(
                        decision, messages=decision.messages + [safe_message(m) for m in extra]
                    )
                if not outbox.decide(decision, now):
                    done.duplicates += 1  # decided before: a replay decides nothing again
                    continue
                added = outbox.add(decision.messages, now)
                done.applied += added
                done.duplicates += len(decision.messages) - added
        return done

    @staticmethod
    def remember(conn: Any, outbox: Outbox, event: Any) -> None:
        """What a later event needs of this one: who filed it, and what it is linked to."""
        if isinstance(event, Filed):
            outbox.remember(
                safe_recipient(
                    Recipient(
                        complaint_id=event.originator_id,
                        registration_no=event.registration_no,
                        mobile=event.complainant.mobile,
                        language=event.complainant.language,
                    )
                )
            )
        elif isinstance(event, Linked):
            remember_link(conn, event.duplicate_of, event.originator_id)
        elif isinstance(event, Followed):  # told as a linked complaint is (once)
            remember_link(conn, event.following, event.originator_id)

    def decide(
        self,
        event: Any,
        recipients: dict[UUID, Recipient],
        moved: dict[UUID, int],
        directory: Directory,
        now: datetime,
    ) -> Decision:
        """What one event tells whom, by the rules of the module's docstring."""
        complaint, version = event.originator_id, event.originator_version
        name = type(event).__name__
        if now - event.timestamp > self.max_age:
            self.skipped += 1
            return Decision(complaint, version, name, [], f"older than {self.max_age}")
        messages = [
            safe_message(m)
            for m in messages_for(event, recipients.get(complaint), directory, self.links)
        ]
        note = None
        if moved.get(complaint, 0) > version and any(m.audience == HOLDER for m in messages):
            messages = [m for m in messages if m.audience != HOLDER and m.template != PASSED_ON]
            note = f"not to the holder: the complaint moved on (version {moved[complaint]})"
        return Decision(complaint, version, name, messages, note)


def remember_link(conn: Any, first_id: str, linked_id: UUID) -> None:
    """`linked_id`'s complainant is told when `first_id` is disposed of (a `Linked` or a
    `Followed` complaint)."""
    try:
        first = UUID(first_id)
    except ValueError:
        log.warning("a link or follow names no complaint id: %r", first_id)
        return
    conn.execute(
        "INSERT INTO notify.linked (first_id, linked_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (first, linked_id),
    )


def linked_to(conn: Any, firsts: list[UUID]) -> dict[UUID, list[UUID]]:
    """The complaints linked to each of `firsts`."""
    found: dict[UUID, list[UUID]] = {}
    if not firsts:
        return found
    for first, linked in conn.execute(
        "SELECT first_id, linked_id FROM notify.linked WHERE first_id = ANY(%s) "
        "ORDER BY first_id, linked_id",
        (firsts,),
    ):
        found.setdefault(first, []).append(linked)
    return found


def moved_on(conn: Any, events: list[Any]) -> dict[UUID, int]:
    """For each complaint of `events`, the version of its latest event that moved it on (to
    another holder, or out of anyone's hands), whether later in this batch or already in the
    event store: news for the holder from before it is no longer the complaint's situation."""
    since: dict[UUID, int] = {}
    moved: dict[UUID, int] = {}
    for event in events:
        complaint, version = event.originator_id, event.originator_version
        since[complaint] = min(since.get(complaint, version), version)
        if isinstance(event, MOVES_ON):
            moved[complaint] = max(moved.get(complaint, 0), version)
    if not since:
        return moved
    later = conn.execute(
        f"SELECT e.originator_id, e.originator_version, e.topic FROM {EVENTS_TABLE} e "
        "JOIN unnest(%s::uuid[], %s::bigint[]) AS b(id, since) "
        "ON e.originator_id = b.id AND e.originator_version > b.since",
        (list(since), list(since.values())),
    ).fetchall()
    for complaint, version, topic in later:
        if event_name(topic) in _MOVES_ON_NAMES:
            moved[complaint] = max(moved.get(complaint, 0), version)
    return moved
