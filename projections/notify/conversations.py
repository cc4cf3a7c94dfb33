"""The WhatsApp conversations' state, in PostgreSQL (docs/whatsapp.md).

One row per citizen's number: the language it chose (kept for good), the step it is at and
the draft of the complaint it is filing (both dropped after `IDLE_TIMEOUT` without a word).
Each WhatsApp message is taken once: its id is noted in `notify.conversation_messages` in
the transaction that moves the conversation on and queues its answers, so a message the
provider delivers again, or twice at once, moves nothing and queues nothing a second time.
Two messages of the same number are taken one after the other (the row is locked).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

# A conversation silent this long starts again at the menu (its draft is dropped).
IDLE_TIMEOUT = timedelta(minutes=30)
IDLE = "idle"


@dataclass
class State:
    """Where a citizen's conversation stands."""

    mobile: str
    language: str | None = None
    step: str = IDLE
    draft: dict[str, Any] = field(default_factory=dict)
    last_message_at: datetime | None = None

    def timed_out(self, now: datetime) -> bool:
        return (
            self.step != IDLE
            and self.last_message_at is not None
            and now - self.last_message_at > IDLE_TIMEOUT
        )


class Conversations:
    """The conversations, used inside the caller's transaction."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def hold(self, mobile: str) -> State:
        """The number's conversation, locked until the transaction ends."""
        self.conn.execute(
            "INSERT INTO notify.conversations (mobile) VALUES (%s) ON CONFLICT DO NOTHING",
            (mobile,),
        )
        row = self.conn.execute(
            "SELECT language, step, draft, last_message_at FROM notify.conversations "
            "WHERE mobile = %s FOR UPDATE",
            (mobile,),
        ).fetchone()
        assert row is not None
        language, step, draft, last = row
        return State(mobile, language, step, dict(draft or {}), last)

    def peek(self, mobile: str) -> State | None:
        """The number's conversation as it is now, unlocked (None: it never wrote)."""
        row = self.conn.execute(
            "SELECT language, step, draft, last_message_at FROM notify.conversations "
            "WHERE mobile = %s",
            (mobile,),
        ).fetchone()
        return None if row is None else State(mobile, row[0], row[1], dict(row[2] or {}), row[3])

    def first_time(self, message_id: str, mobile: str, at: datetime) -> bool:
        """Note a message as taken; False if it was taken before (a second delivery)."""
        done = self.conn.execute(
            "INSERT INTO notify.conversation_messages (message_id, mobile, taken_at) "
            "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            (message_id, mobile, at),
        )
        return done.rowcount == 1

    def save(self, state: State, at: datetime) -> None:
        self.conn.execute(
            "UPDATE notify.conversations SET language = %s, step = %s, draft = %s, "
            "last_message_at = %s, updated_at = %s WHERE mobile = %s",
            (state.language, state.step, Jsonb(state.draft), at, at, state.mobile),
        )
