"""The notifications consumer: complaint events in, outbox messages out.

A consumer group of its own on the complaint topic (the projector's machinery: offsets saved
in the same transaction as the outbox rows). Sending is the sender's job
(`projections/delivery.py`); this only decides what to say, once per event.

Events older than `max_age` when they arrive (a consumer started on an old topic, a long
outage) are not announced: news of last month helps nobody. They are counted as skipped.

What it writes from an event (a number, a registration number, a code in a message) is made
safe first (`projections/safe.py`); an event it still cannot handle is a dead letter of its
own group, as for the projector.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from domain.directory import Directory
from domain.events import Filed
from projections.apply import Applied
from projections.messages import Links, Message, Recipient, messages_for
from projections.outbox import GROUP, Outbox, migrate
from projections.projector import Projector
from projections.safe import CODE_LIMIT, safe_text
from projections.store import migrate as migrate_read_models

log = logging.getLogger(__name__)


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
        migrate(conn)

    def project(self, conn: Any, events: list[Any]) -> Applied:
        outbox = Outbox(conn)
        for event in events:
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
        recipients = outbox.recipients(e.originator_id for e in events)
        directory = self.directory()
        now = self.clock()
        done = Applied()
        for event in events:
            if now - event.timestamp > self.max_age:
                self.skipped += 1
                done.duplicates += 1
                continue
            messages = messages_for(
                event, recipients.get(event.originator_id), directory, self.links
            )
            added = outbox.add([safe_message(m) for m in messages], now)
            done.applied += added
            done.duplicates += len(messages) - added
        return done
